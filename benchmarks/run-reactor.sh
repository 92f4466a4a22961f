#!/usr/bin/env bash
# Reactor interop, per item, each beside its floor in the same run (ReactorBenchmark):
#   consume Flux.range(0, 10M) in a task (AsyncReactor.iterate) vs Flux.subscribe() (floor) vs toIterable();
#   produce 10M items from an asynchronous generator as a Flux (AsyncReactor.flux) vs Flux.generate (floor).
# Usage: benchmarks/run-reactor.sh [quick]
# Results go to benchmarks/results/reactor-<date>.txt and are summarised in benchmarks/README.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/results
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"   # the JDK the toolchain finds (BUILD-FACTS.md)
out="benchmarks/results/reactor-$(date +%Y%m%d-%H%M%S).txt"
if [ "${1:-}" = quick ]; then jmh="-f 1 -wi 1 -i 3 -w 2s -r 2s"; else jmh="-f 2 -wi 3 -i 5 -w 2s -r 2s"; fi
{
  echo "# $(date -u +%FT%TZ)  $(uname -srm)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)"
  ./mvnw -q -pl benchmarks -am package -DskipTests
  # JMH's lock file refuses a second JMH on the machine; other sessions' benchmarks may hold it on a shared
  # machine, so it is ignored here and the load average is recorded instead.
  "$java25" -Djmh.ignoreLock=true --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main $jmh -rf text -rff /dev/null ReactorBenchmark \
    | grep -E '^# Benchmark:|^# Fork|^Iteration|^Benchmark |^ReactorBenchmark'
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
echo "written: $out"
