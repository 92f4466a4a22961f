#!/usr/bin/env bash
# Where a Java server of the HTTP server benchmark spends its CPU under wrk: the server pinned to CPU 0 (as in
# run.sh), warmed up, then a JFR recording (settings=profile) over one wrk run on CPU 1, summarised by
# jfr_frames.py (self and inclusive samples of the event loop thread).
# Run benchmarks/http-server/run.sh once first (it builds the classes and the class path).
#
#   benchmarks/http-server/profile.sh asyncio                  # GET / at 64 connections, 10 s
#   benchmarks/http-server/profile.sh netty json 256 10
set -euo pipefail
cd "$(dirname "$0")/../.."

SERVER=${1:?usage: profile.sh netty|asyncio|vertx|reactor-netty [plaintext|json] [connections] [seconds]}
ENDPOINT=${2:-plaintext}
CONNS=${3:-64}
SECONDS_=${4:-10}
WARMUP=${WARMUP:-8}
TRANSPORT=${TRANSPORT:-NIO}
PORT=${PORT:-19410}
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for candidate in /usr/lib/jvm/*25*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "25'; then JAVA=$candidate; break; fi
  done
fi
[ -n "$JAVA" ] || { echo "no JDK 25 found: set JAVA=/path/to/jdk25/bin/java" >&2; exit 1; }
JDK_BIN=$(dirname "$(readlink -f "$JAVA")")
case $SERVER in
  netty) main=NettyHttpServer ;; asyncio) main=AsyncioHttpServer ;; vertx) main=VertxHttpServer ;;
  reactor-netty) main=ReactorNettyHttpServer ;; *) echo "profile.sh profiles the Java servers only" >&2; exit 1 ;;
esac
[ -f benchmarks/target/classpath.txt ] || { echo "run benchmarks/http-server/run.sh first (it builds)" >&2; exit 1; }
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
URL="http://127.0.0.1:$PORT$([ "$ENDPOINT" = json ] && echo /json || echo /)"
OUT=benchmarks/target/http-server/profile-$SERVER-$ENDPOINT-$CONNS.jfr
mkdir -p "$(dirname "$OUT")"

( exec taskset -c 0 "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled \
    -cp "$CP" "dev.asyncio.bench.httpserver.$main" "$PORT" "$TRANSPORT" benchmarks/http-server/payload.json ) > /dev/null 2>&1 &
PID=$!
trap 'kill $PID 2> /dev/null || true; wait $PID 2> /dev/null || true' EXIT
for _ in $(seq 300); do curl -s -o /dev/null "$URL" && break; sleep 0.1; done
taskset -c 1 wrk -t1 -c"$CONNS" -d"$WARMUP"s "$URL" > /dev/null
"$JDK_BIN/jcmd" "$PID" JFR.start name=bench settings=profile "jdk.ExecutionSample#period=1ms" > /dev/null
echo "# $SERVER $ENDPOINT $CONNS connections, load average $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 1 wrk -t1 -c"$CONNS" -d"$SECONDS_"s --latency "$URL" | grep -E 'Requests/sec| 99%'
"$JDK_BIN/jcmd" "$PID" JFR.stop name=bench filename="$(pwd)/$OUT" > /dev/null
"$JDK_BIN/jfr" print --events jdk.ExecutionSample --stack-depth 128 "$OUT" | python3 benchmarks/http-server/jfr_frames.py 40
echo "# recording: $OUT"
