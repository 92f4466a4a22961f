#!/usr/bin/env bash
# Side-by-side closed-loop echo benchmark. Four servers run at once, each in its own JVM pinned to CPU 0:
# the raw Netty floor, the protocol-layer echo servers (a Protocol getting byte[] chunks, a BufferedProtocol
# reading into its own buffer) and the streams echo server. For each load (10 and 100 connections x 1 KiB
# and 10 KiB messages) the load generator, pinned to CPU 1, drives them in turn, round after round, so that
# whatever else the machine does falls on all four alike. Per server and load it reports the totals over
# all rounds: requests/s, p50/p99 latency (median over rounds) and the server's CPU time per request
# (utime + stime from /proc/PID/stat over the measured windows), then the ratios to raw Netty.
#
#   benchmarks/echo/run.sh                       # 2 rounds x (3 s warm-up + 5 s measured): about 5 minutes
#   ROUNDS=3 DURATION=5 TRANSPORT=EPOLL benchmarks/echo/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-3}
TRANSPORT=${TRANSPORT:-NIO}
BASE_PORT=${PORT:-19007}
SERVERS=${SERVERS:-netty protocol buffered streams}
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
RAW=$(mktemp)
declare -A PID PORT_OF
trap 'for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done; rm -f "$RAW"' EXIT

i=0
for server in $SERVERS; do
  case $server in
    netty) main=NettyEchoServer ;;
    protocol) main=ProtocolEchoServer ;;
    buffered) main=BufferedEchoServer ;;
    streams) main=StreamsEchoServer ;;
    *) echo "unknown server $server" >&2; exit 1 ;;
  esac
  port=$((BASE_PORT + i)); i=$((i + 1))
  taskset -c 0 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" "dev.asyncio.bench.echo.$main" "$port" "$TRANSPORT" > /dev/null &
  PID[$server]=$!
  PORT_OF[$server]=$port
done
for server in $SERVERS; do
  for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/${PORT_OF[$server]}) 2>/dev/null && break
    sleep 0.1
  done
done

echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) CPUs  transport=$TRANSPORT  rounds=$ROUNDS x (${WARMUP}s warm-up + ${DURATION}s measured)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for conns in 10 100; do
  for size in 1024 10240; do
    for round in $(seq "$ROUNDS"); do
      for server in $SERVERS; do
        taskset -c 1 "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.echo.EchoLoad --port "${PORT_OF[$server]}" \
          --connections "$conns" --size "$size" --warmup "$WARMUP" --duration "$DURATION" \
          --server-pid "${PID[$server]}" --label "$server" --clk-tck "$CLK_TCK" >> "$RAW"
      done
    done
  done
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-9s %5s %6s %9s %10s %9s %9s %10s\n' server conns size requests 'req/s' 'p50_us' 'p99_us' 'cpu_us/req'
# Raw rows: label conns size requests req/s p50 p99 cpu_us/req (one per round). Totals: requests and CPU add
# up over rounds; req/s is the mean; p50/p99 the median of the rounds.
awk -v servers="$SERVERS" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { k = $1 SUBSEP $2 SUBSEP $3; req[k] += $4; rps[k] += $5; cpu[k] += $8 * $4; rounds[k]++
    p50[k] = p50[k] " " $6; p99[k] = p99[k] " " $7 }
  END {
    ns = split(servers, s, " "); split("10 1024,10 10240,100 1024,100 10240", loads, ",")
    for (li = 1; li <= 4; li++) {
      split(loads[li], l, " ")
      for (si = 1; si <= ns; si++) {
        k = s[si] SUBSEP l[1] SUBSEP l[2]
        printf "%-9s %5d %6d %9d %10.0f %9.1f %9.1f %10.2f\n", s[si], l[1], l[2], req[k], rps[k] / rounds[k],
          median(p50[k]), median(p99[k]), cpu[k] / req[k]
        c[s[si], li] = cpu[k] / req[k]; r[s[si], li] = rps[k] / rounds[k]
      }
    }
    print ""
    print "# ratios to raw Netty: server CPU per request (lower is better) and requests/s (higher is better)"
    printf "%5s %6s", "conns", "size"
    for (si = 1; si <= ns; si++) if (s[si] != "netty") printf " %13s", s[si] " cpu x"
    for (si = 1; si <= ns; si++) if (s[si] != "netty") printf " %13s", s[si] " rps x"
    print ""
    for (li = 1; li <= 4; li++) {
      split(loads[li], l, " ")
      printf "%5d %6d", l[1], l[2]
      for (si = 1; si <= ns; si++) if (s[si] != "netty") printf " %13.3f", c[s[si], li] / c["netty", li]
      for (si = 1; si <= ns; si++) if (s[si] != "netty") printf " %13.3f", r[s[si], li] / r["netty", li]
      print ""
    }
  }' "$RAW"
