#!/usr/bin/env bash
# Scaling: does a server on N loops serve N times the requests of one loop when its handler is CPU-bound?
# An echo whose handler hashes each request (SHA-256, calibrated once to WORK_US microseconds of CPU, the same
# rounds passed to every server), so that the server, not the network, is the bottleneck. Servers, each its
# own JVM, all running at once, none pinned (nor is the load generator): the asyncio streams server on a
# LoopGroup of 1, 2, ... loops, and raw Netty (the strongest peer: a hand-written handler doing the same work)
# on an event loop group of as many threads. One closed-loop load generator (benchmarks' EchoLoad: each
# connection sends SIZE bytes, waits for all of them to come back, sends again) drives the servers in turn,
# round after round, so that whatever else the machine does falls on all alike; it prints each round's
# requests/s, then the totals. The summary gives per implementation the N-loop / 1-loop ratio of every round
# (min..max) and of the totals. Per transport: NIO (one acceptor, connections dealt round robin, as
# LoopGroup servers do) and EPOLL (one SO_REUSEPORT socket per loop: the kernel spreads by a hash of the
# addresses and ports, so with few connections one loop can get more than its share).
#
#   benchmarks/run-scaling.sh                          # 1 vs 2 loops, NIO and EPOLL: about 4 minutes
#   LOOPS="1 2 4 8" CONNECTIONS=128 benchmarks/run-scaling.sh     # on a machine with 8 cores or more
#   ROUNDS=2 DURATION=1 TRANSPORTS=NIO benchmarks/run-scaling.sh  # smoke run
#
# The load generator is one thread: on a machine with many cores it may be what limits the higher loop
# counts (then its core is at 100% in top); the results say nothing beyond that point.
# Results: benchmarks/results/scaling-<date>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

LOOPS=${LOOPS:-1 2}
TRANSPORTS=${TRANSPORTS:-NIO EPOLL}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-3}
WARMUP=${WARMUP:-1}
FIRST_WARMUP=${FIRST_WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-32}
SIZE=${SIZE:-64}
WORK_US=${WORK_US:-20}
BASE_PORT=${PORT:-19107}
. benchmarks/find-java.sh

./mvnw -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms512m -Xmx512m -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
mkdir -p benchmarks/results
out="benchmarks/results/scaling-$(date +%Y%m%d-%H%M%S).txt"

{
  echo "# $(date -u +%FT%TZ)  $(uname -srm)  $(nproc) CPUs  loops: $LOOPS  $CONNECTIONS connections x $SIZE B," \
       "$ROUNDS rounds x ${DURATION}s measured per server (warm-up ${FIRST_WARMUP}s, then ${WARMUP}s)"
  echo "# command: LOOPS=\"$LOOPS\" TRANSPORTS=\"$TRANSPORTS\" ROUNDS=$ROUNDS DURATION=$DURATION CONNECTIONS=$CONNECTIONS SIZE=$SIZE WORK_US=$WORK_US benchmarks/run-scaling.sh"
  HASH_ROUNDS=$("$JAVA" -cp "$CP" dev.asyncio.bench.scaling.CpuWork "$WORK_US" "$SIZE")
  echo "# work per request: $HASH_ROUNDS SHA-256 rounds (calibrated to ${WORK_US} us on this machine, now)"
  port=$BASE_PORT
  for transport in $TRANSPORTS; do
    echo
    echo "## transport $transport   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    TARGETS=()
    for impl in asyncio netty; do
      for n in $LOOPS; do
        main=dev.asyncio.bench.scaling.ScalingEchoServer; [ "$impl" = netty ] && main=dev.asyncio.bench.echo.NettyScalingEchoServer
        "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "$main" "$port" "$transport" "$n" "$HASH_ROUNDS" > /dev/null 2>&1 &
        PIDS+=($!)
        TARGETS+=(--target "$impl-$n:$port:$!")
        for _ in $(seq 100); do
          (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
          sleep 0.1
        done
        port=$((port + 1))
      done
    done
    printf '%-11s %5s %6s %9s %10s %9s %9s %10s %8s %8s\n' server conns size requests 'req/s' 'p50_us' 'p99_us' 'cpu_us/req' 'cpu x' 'rps x'
    "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.echo.EchoLoad "${TARGETS[@]}" \
      --connections "$CONNECTIONS" --size "$SIZE" --rounds "$ROUNDS" --first-warmup "$FIRST_WARMUP" \
      --warmup "$WARMUP" --duration "$DURATION" --clk-tck "$(getconf CLK_TCK)" --per-round true > "$out.load"
    cat "$out.load"
    echo "# summary (N loops / ${LOOPS%% *} loop, the same implementation, the same round):"
    awk -v loops="$LOOPS" '
          $1 == "round" { rps[$3, $2] = $4; rounds = $2 + 1; next }
          $1 ~ /-[0-9]+$/ { total[$1] = $5 }
          END {
            n = split(loops, L, " ")
            for (k = 2; k <= n; k++) {
              for (impl_i = 1; impl_i <= 2; impl_i++) {
                impl = impl_i == 1 ? "asyncio" : "netty"
                lo = 1e9; hi = 0; rlo = 1e12; rhi = 0
                for (r = 0; r < rounds; r++) {
                  one = rps[impl "-" L[1], r]; many = rps[impl "-" L[k], r]
                  if (one > 0) { x = many / one; if (x < lo) lo = x; if (x > hi) hi = x }
                  if (many < rlo) rlo = many; if (many > rhi) rhi = many
                }
                printf "%-8s %s vs %s loops: ratio per round %.2f..%.2f, of the totals %.2f;  %s-%s req/s per round %.0f..%.0f\n",
                  impl, L[k], L[1], lo, hi, total[impl "-" L[k]] / total[impl "-" L[1]], impl, L[k], rlo, rhi
              }
            }
            for (impl_i = 1; impl_i <= 2; impl_i++) {
              impl = impl_i == 1 ? "asyncio" : "netty"
              rlo = 1e12; rhi = 0
              for (r = 0; r < rounds; r++) { v = rps[impl "-" L[1], r]; if (v < rlo) rlo = v; if (v > rhi) rhi = v }
              printf "%-8s %s loop(s): req/s per round %.0f..%.0f\n", impl, L[1], rlo, rhi
            }
          }' "$out.load"
    rm -f "$out.load"
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    PIDS=()
    echo "## load average after $transport: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
} 2>&1 | tee "$out"
echo "written: $out"
