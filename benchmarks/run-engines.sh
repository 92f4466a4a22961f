#!/usr/bin/env bash
# The two engines side by side, with their floors, the engine before this branch and CPython asyncio/uvloop,
# in one run, interleaved round by round (the machine is shared: compare ranges, not single numbers):
#   per switch (sleep(0) ping-pong), per create+run+await, bytes per task suspended in sleep(3600).
# Usage: benchmarks/run-engines.sh [rounds] [base-jar]
#   rounds    default 3; each round runs every JMH benchmark once (1 fork, 3 warm-up + 5 measured 1 s iterations)
#             and HeapPerTask with 7 rounds of its own (its median is a warmed-up one)
#   base-jar  a benchmarks.jar built from the commit to compare with (before/after); optional
# Needs: the benchmarks jar built (./mvnw -q -pl benchmarks -am package -DskipTests), a JDK 25, and for the
# Python rows /usr/bin/python3 with uvloop (apt-get install python3-uvloop).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
base="${2:-}"
java="${JAVA:-$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)}"
jar=benchmarks/target/benchmarks.jar
flag="--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED"
jmh="-f 1 -wi 3 -i 5 -w 1s -r 1s -foe true"
mkdir -p benchmarks/results
stamp="$(date +%Y%m%d-%H%M%S)"
out="benchmarks/results/engines-$stamp.txt"
csvdir="$(mktemp -d)"
{
  echo "# $(date -u +%FT%TZ)  $(uname -srm)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)  commit $(git rev-parse --short HEAD)"
  echo "# command: benchmarks/run-engines.sh $*   java: $java"
  for r in $(seq 1 "$rounds"); do
    echo "## round $r  load: $(cut -d' ' -f1-3 /proc/loadavg)"
    if [ -n "$base" ]; then
      "$java" $flag -cp "$base" org.openjdk.jmh.Main $jmh -rf csv -rff "$csvdir/base-$r.csv" \
        'SwitchBenchmark.asyncioSleep0PingPong|TaskBenchmark.asyncioCreateRunAwait' > /dev/null
      sed -n '2,$p' "$csvdir/base-$r.csv" | sed 's/^"[^"]*\.\([A-Za-z0-9]*\)"/"before:\1"/'
      "$java" $flag -Xmx2g -cp "$base" dev.asyncio.bench.HeapPerTask 100000 7 | sed 's/^/before: /'
    fi
    "$java" $flag -cp "$jar" org.openjdk.jmh.Main $jmh -rf csv -rff "$csvdir/cont-$r.csv" \
      'SwitchBenchmark|TaskBenchmark.asyncioCreateRunAwait|TaskBenchmark.rawContinuation' > /dev/null
    sed -n '2,$p' "$csvdir/cont-$r.csv"
    "$java" -cp "$jar" org.openjdk.jmh.Main $jmh -rf csv -rff "$csvdir/threads-$r.csv" ThreadEngineBenchmark > /dev/null
    sed -n '2,$p' "$csvdir/threads-$r.csv"
    "$java" $flag -Xmx2g -cp "$jar" dev.asyncio.bench.HeapPerTask 100000 7 | sed 's/^/continuation: /'
    "$java" -Dasyncio.engine=threads -Xmx2g -cp "$jar" dev.asyncio.bench.HeapPerTask 100000 7 | sed 's/^/threads: /'
    if [ -x /usr/bin/python3 ]; then
      /usr/bin/python3 benchmarks/python/engines.py 1
    fi
  done
  echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
rm -rf "$csvdir"
echo
/usr/bin/python3 - "$out" <<'PY' | tee -a "$out"
import re, sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.match(r'"(?:[\w.]*\.)?([\w:]+)","avgt",\d+,\d+,([\d.]+)', line)
    if m:
        rows[m.group(1)].append(float(m.group(2)))
        continue
    m = re.match(r'(\S+: )?(suspended asyncio task|parked virtual thread)[^:]*:\s+(\d+) bytes', line)
    if m:
        rows[((m.group(1) or '') + m.group(2)).strip()].append(float(m.group(3)))
        continue
    m = re.match(r'(cpython-asyncio|uvloop)\s+(switch ns|create\+await ns):\s+([\d.]+)', line)
    if m:
        rows[m.group(1) + ' ' + m.group(2)].append(float(m.group(3)))
        continue
    m = re.match(r'(cpython-asyncio|uvloop)\s+task in sleep\(3600\):\s+(\d+)', line)
    if m:
        rows[m.group(1) + ' task bytes'].append(float(m.group(2)))
print("# summary: min - max over rounds (median)")
for k, xs in rows.items():
    xs.sort()
    print(f"{k:60s} {xs[0]:10.1f} - {xs[-1]:10.1f}  ({xs[len(xs) // 2]:.1f})  n={len(xs)}")
PY
echo "written: $out"
