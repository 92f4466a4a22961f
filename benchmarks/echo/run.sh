#!/usr/bin/env bash
# Side-by-side closed-loop echo benchmark. Five servers run at once, each in its own JVM pinned to CPU 0:
# the raw Netty floor, the protocol-layer echo servers (a Protocol getting byte[] chunks, a BufferedProtocol
# reading into its own buffer) and the two streams echo servers (byte[] reads and writes; the zero-copy
# readBuf / write(ByteBuf)). For each load (10 and 100 connections x 1 KiB and 10 KiB messages) one load
# generator JVM, pinned to CPU 1, drives the five in turn, round after round (so that whatever else the
# machine does falls on all five alike), and prints per server the totals over the rounds: requests,
# requests/s, p50/p99 latency, the server's CPU time per request (utime + stime from /proc/PID/stat over the
# measured windows), and the CPU and requests/s ratios to raw Netty.
#
#   benchmarks/echo/run.sh            # 5 rounds x 2 s measured = 10 s per server and load; about 6 minutes
#   ROUNDS=10 DURATION=1 TRANSPORT=EPOLL benchmarks/echo/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-2}
WARMUP=${WARMUP:-1}
FIRST_WARMUP=${FIRST_WARMUP:-4}
TRANSPORT=${TRANSPORT:-NIO}
BASE_PORT=${PORT:-19007}
SERVERS=${SERVERS:-netty protocol buffered streams streams-buf}
. benchmarks/find-java.sh

mvn -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

TARGETS=()
i=0
for server in $SERVERS; do
  case $server in
    netty) main=NettyEchoServer ;;
    protocol) main=ProtocolEchoServer ;;
    buffered) main=BufferedEchoServer ;;
    streams) main=StreamsEchoServer ;;
    streams-buf) main=StreamsBufEchoServer ;;
    *) echo "unknown server $server" >&2; exit 1 ;;
  esac
  port=$((BASE_PORT + i)); i=$((i + 1))
  taskset -c 0 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "dev.asyncio.bench.echo.$main" "$port" "$TRANSPORT" > /dev/null &
  PIDS+=($!)
  TARGETS+=(--target "$server:$port:$!")
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.1
  done
done

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  transport=$TRANSPORT  per server and load: $ROUNDS rounds x ${DURATION}s measured (warm-up ${FIRST_WARMUP}s, then ${WARMUP}s)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-11s %5s %6s %9s %10s %9s %9s %10s %8s %8s\n' server conns size requests 'req/s' 'p50_us' 'p99_us' 'cpu_us/req' 'cpu x' 'rps x'
for conns in 10 100; do
  for size in 1024 10240; do
    taskset -c 1 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.echo.EchoLoad "${TARGETS[@]}" \
      --connections "$conns" --size "$size" --rounds "$ROUNDS" --first-warmup "$FIRST_WARMUP" \
      --warmup "$WARMUP" --duration "$DURATION" --clk-tck "$(getconf CLK_TCK)"
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
