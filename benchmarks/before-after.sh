#!/usr/bin/env bash
# The echo and HTTP client benchmarks of this tree against another build of the project (the "before"),
# side by side in the same run: the echo servers (protocol, streams) of both builds run at once, pinned to
# CPU 0, and one EchoLoad drives them in interleaved rounds (with raw Netty from this tree as the floor);
# then HttpLoad of each build (asyncio-java's client and the JDK's HttpClient) runs against one HelloServer,
# alternating builds round after round. Ranges across rounds are what to read: the machine is shared.
#
#   git clone /work/main /tmp/before && (cd /tmp/before && git checkout 98afdf2 && \
#     ./mvnw -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
#   benchmarks/before-after.sh /tmp/before
#   ROUNDS=3 DURATION=1 HTTP_ROUNDS=3 REQUESTS=10000 benchmarks/before-after.sh /tmp/before
#   PARTS=echo CONNS=10 benchmarks/before-after.sh /tmp/before      # only the echo part, 10 connections
set -euo pipefail
BEFORE=$(cd "${1:?usage: before-after.sh PATH-TO-BEFORE-CLONE}" && pwd)
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-1}
HTTP_ROUNDS=${HTTP_ROUNDS:-4}
REQUESTS=${REQUESTS:-10000}
PARTS=${PARTS:-echo http}
CONNS=${CONNS:-10 100}
source benchmarks/find-java.sh
./mvnw -B -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
AFTER_CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
BEFORE_CP="$BEFORE/benchmarks/target/classes:$(cat "$BEFORE/benchmarks/target/classpath.txt")"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms512m -Xmx512m -Dio.netty.leakDetection.level=disabled)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return; sleep 0.1; done; }

echo "# $(date -u +%FT%TZ)  after: $(git rev-parse --short HEAD)  before: $(git -C "$BEFORE" rev-parse --short HEAD)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ " $PARTS " == *" echo "* ]]; then
TARGETS=()
port=19107
for spec in "netty:after:NettyEchoServer" "protocol-before:before:ProtocolEchoServer" "protocol-after:after:ProtocolEchoServer" \
            "streams-before:before:StreamsEchoServer" "streams-after:after:StreamsEchoServer"; do
  IFS=: read -r name build main <<< "$spec"
  cp=$AFTER_CP; [ "$build" = before ] && cp=$BEFORE_CP
  taskset -c 0 "$JAVA" "${JVM_FLAGS[@]}" -cp "$cp" "dev.asyncio.bench.echo.$main" "$port" NIO > /dev/null &
  PIDS+=($!)
  wait_port "$port"
  TARGETS+=(--target "$name:$port:$!")
  port=$((port + 1))
done
for conns in $CONNS; do
  taskset -c 1 "$JAVA" "${JVM_FLAGS[@]}" -cp "$AFTER_CP" dev.asyncio.bench.echo.EchoLoad "${TARGETS[@]}" \
    --connections "$conns" --size 1024 --rounds "$ROUNDS" --first-warmup 2 --warmup 0.5 --duration "$DURATION" \
    --clk-tck "$(getconf CLK_TCK)" --per-round true
done
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
PIDS=()
fi

if [[ " $PARTS " == *" http "* ]]; then
echo "# HTTP client: $REQUESTS GETs, 100 in flight, per build and round; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 0 "$JAVA" "${JVM_FLAGS[@]}" -cp "$AFTER_CP" dev.asyncio.bench.http.HelloServer 18181 > /dev/null &
PIDS+=($!)
wait_port 18181
for r in $(seq "$HTTP_ROUNDS"); do
  for build in before after; do
    cp=$AFTER_CP; [ "$build" = before ] && cp=$BEFORE_CP
    taskset -c 1 "$JAVA" "${JVM_FLAGS[@]}" -cp "$cp" dev.asyncio.bench.http.HttpLoad --url http://127.0.0.1:18181/ \
      --requests "$REQUESTS" --concurrency 100 --rounds 1 --warmup-rounds 2 \
      | grep '^#   round' | sed "s/^#   round 1/http $build round $r:/"
  done
done
fi
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
