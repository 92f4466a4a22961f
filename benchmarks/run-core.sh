#!/usr/bin/env bash
# Core runtime benchmarks, each side by side with its floor or baseline in the same run:
#   switch cost (sleep(0) ping-pong vs raw continuation yield+resume),
#   create + run + await one task (vs raw continuation, vs virtual thread start+join),
#   heap per suspended task (100k tasks in sleep(3600) vs 100k parked virtual threads),
#   and, where python3 exists, CPython asyncio's sleep(0) switch and task size for reference.
# Usage: benchmarks/run-core.sh [quick]      (quick: fewer iterations, for a smoke run)
# Results go to benchmarks/results/core-<date>.txt and are summarised in benchmarks/README.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/results
out="benchmarks/results/core-$(date +%Y%m%d-%H%M%S).txt"
if [ "${1:-}" = quick ]; then jmh="-f 1 -wi 3 -i 5 -w 1s -r 1s"; rounds=3; else jmh="-f 3 -wi 5 -i 10 -w 1s -r 1s"; rounds=7; fi
{
  echo "# $(date -u +%FT%TZ)  $(uname -srm)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  ./mvnw -q -pl benchmarks -am package -DskipTests
  ./mvnw -q -o -pl benchmarks -am package exec:exec -DskipTests -Dbench.args="$jmh -rf text -rff /dev/null SwitchBenchmark TaskBenchmark" \
    | sed -n '/^Benchmark /,$p'
  echo
  ./mvnw -q -o -pl benchmarks -am package exec:exec -DskipTests -Dbench.main=dev.asyncio.bench.HeapPerTask -Dbench.args="100000 $rounds"
  if command -v python3 >/dev/null; then
    echo
    echo "# CPython $(python3 -c 'import sys; print(sys.version.split()[0])') asyncio, same machine, same run:"
    python3 benchmarks/python/asyncio_core.py
  fi
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
echo "written: $out"
