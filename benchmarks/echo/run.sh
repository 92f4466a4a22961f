#!/usr/bin/env bash
# Side-by-side closed-loop echo benchmark: the raw Netty floor, the protocol-layer echo servers (Protocol
# with byte[] chunks, BufferedProtocol reading into its own buffer) and the streams echo server, one after
# the other, under the same load (10 and 100 connections x 1 KiB and
# 10 KiB messages). Each server runs in its own JVM pinned to CPU 0, the load generator in another pinned
# to CPU 1. Prints one row per (server, connections, size) and the ratios to raw Netty.
#
#   benchmarks/echo/run.sh                       # 5 s warm-up + 10 s measured per row (about 4.5 minutes)
#   DURATION=5 WARMUP=2 TRANSPORT=EPOLL benchmarks/echo/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
TRANSPORT=${TRANSPORT:-NIO}
PORT=${PORT:-19007}
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for candidate in /usr/lib/jvm/*25*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "25'; then JAVA=$candidate; break; fi
  done
fi
[ -n "$JAVA" ] || { echo "no JDK 25 found: set JAVA=/path/to/jdk25/bin/java" >&2; exit 1; }

mvn -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
CLK_TCK=$(getconf CLK_TCK)
RESULTS=$(mktemp)

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  transport=$TRANSPORT  warmup=${WARMUP}s  measured=${DURATION}s"
echo "# load before: $(uptime | sed 's/.*load average/load average/')"
printf '%-9s %5s %6s %9s %10s %9s %9s %9s\n' server conns size requests 'req/s' 'p50_us' 'p99_us' 'cpu_us/req'

for server in ${SERVERS:-netty protocol buffered streams}; do
  case $server in
    netty) main=NettyEchoServer ;;
    protocol) main=ProtocolEchoServer ;;
    buffered) main=BufferedEchoServer ;;
    streams) main=StreamsEchoServer ;;
  esac
  taskset -c 0 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "dev.asyncio.bench.echo.$main" "$PORT" "$TRANSPORT" > /dev/null &
  pid=$!
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
    sleep 0.1
  done
  for conns in 10 100; do
    for size in 1024 10240; do
      taskset -c 1 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.echo.EchoLoad --port "$PORT" \
        --connections "$conns" --size "$size" --warmup "$WARMUP" --duration "$DURATION" \
        --server-pid "$pid" --label "$server" --clk-tck "$CLK_TCK" | tee -a "$RESULTS"
    done
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done

echo "# load after: $(uptime | sed 's/.*load average/load average/')"
echo
echo "# ratios to raw Netty (server CPU per request; requests/s)"
awk '
  { key = $2 " " $3; cpu[$1, key] = $8; rps[$1, key] = $5; keys[key] = 1 }
  END {
    printf "%5s %6s %15s %15s %15s %13s %13s %13s\n", "conns", "size", "protocol cpu x", "buffered cpu x", "streams cpu x", "protocol rps x", "buffered rps x", "streams rps x"
    n = split("10 1024,10 10240,100 1024,100 10240", order, ",")
    for (i = 1; i <= n; i++) {
      k = order[i]; split(k, p, " ")
      printf "%5s %6s %15.3f %15.3f %15.3f %13.3f %13.3f %13.3f\n", p[1], p[2],
        cpu["protocol", k] / cpu["netty", k], cpu["buffered", k] / cpu["netty", k], cpu["streams", k] / cpu["netty", k],
        rps["protocol", k] / rps["netty", k], rps["buffered", k] / rps["netty", k], rps["streams", k] / rps["netty", k]
    }
  }' "$RESULTS"
rm -f "$RESULTS"
