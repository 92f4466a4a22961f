#!/usr/bin/env bash
# Side-by-side HTTP server benchmark (issue 13): wrk, keep-alive, GET / ("Hello, World!") and GET /json (a
# 1 KiB JSON document encoded per request) at 64 and 256 connections, against
#   netty          raw Netty HttpServerCodec + a hand-written handler, one event loop (the floor)
#   asyncio        asyncio-java's HttpServer on one AsyncLoop
#   vertx          Vert.x 5.0.7 (vertx-stack-depchain BOM) HttpServer + Router, one event loop
#   reactor-netty  reactor-netty 1.3 HttpServer + routes, one event loop
#   go             Go net/http, GOMAXPROCS=1
#   aiohttp        aiohttp.web on uvloop (Debian's python3-aiohttp, python3-uvloop, /usr/bin/python3)
#   nginx          nginx, one worker, `return 200` with fixed bodies
# Each server in turn, pinned to CPU 0, wrk (one thread) pinned to CPU 1. Per round, every server is started,
# warmed up on the four loads, measured on each of them for DURATION seconds, and stopped; the order of the
# servers rotates from round to round. Server CPU per request comes from /proc/PID/stat (utime + stime of the
# server and its children) over each measured run. Prints a Markdown table (median and min - max over the
# rounds, ratios to raw Netty taken round by round) and writes it, with the raw rows, to
# benchmarks/results/http-server-<UTC time>.txt.
#
#   benchmarks/http-server/run.sh                       # 3 rounds x 7 s per load; about 13 minutes
#   ROUNDS=1 DURATION=1 WARMUP=1 benchmarks/http-server/run.sh        # smoke run, about a minute
#   SERVERS="netty asyncio vertx" CONNECTIONS="64" ENDPOINTS="plaintext" TRANSPORT=EPOLL benchmarks/http-server/run.sh
#
# Needs: JDK 25 (found like the other scripts, or JAVA=...), wrk, taskset, curl; go, nginx, python3-aiohttp and
# python3-uvloop for those peers (skipped, and said so, when missing). On Debian:
#   apt-get install -y wrk golang-go nginx-light python3-aiohttp python3-uvloop
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-7}              # seconds measured per round, server, endpoint and connection count
WARMUP=${WARMUP:-2}                  # seconds of warm-up per load for the JVM servers, after each start
NATIVE_WARMUP=${NATIVE_WARMUP:-1}    # the same for Go, aiohttp and nginx
CONNECTIONS=${CONNECTIONS:-64 256}
ENDPOINTS=${ENDPOINTS:-plaintext json}
SERVERS=${SERVERS:-netty asyncio vertx reactor-netty go aiohttp nginx}
TRANSPORT=${TRANSPORT:-NIO}          # NIO | EPOLL, for every Netty-based server alike
WRK_THREADS=${WRK_THREADS:-1}
BASE_PORT=${PORT:-19400}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PYTHON=${PYTHON:-/usr/bin/python3}   # Debian's python3-aiohttp and python3-uvloop live there
OFFLINE=${OFFLINE:-}                 # OFFLINE=1: build with mvn -o
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for candidate in /usr/lib/jvm/*25*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "25'; then JAVA=$candidate; break; fi
  done
fi
[ -n "$JAVA" ] || { echo "no JDK 25 found: set JAVA=/path/to/jdk25/bin/java" >&2; exit 1; }
for tool in wrk taskset curl; do
  command -v "$tool" > /dev/null || { echo "$tool is not installed (apt-get install -y wrk util-linux curl)" >&2; exit 1; }
done
CLK_TCK=$(getconf CLK_TCK)
HERE=benchmarks/http-server
PAYLOAD=$HERE/payload.json
WORK=benchmarks/target/http-server
mkdir -p "$WORK/logs" benchmarks/results
STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT=benchmarks/results/http-server-$STAMP.txt
ROWS=$WORK/rows-$STAMP.tsv
: > "$ROWS"
say() { echo "$@" | tee -a "$OUT"; }

# ---- build
MVN_FLAGS=(-B -q)
[ -n "$OFFLINE" ] && MVN_FLAGS+=(-o)
./mvnw "${MVN_FLAGS[@]}" -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)
jar_version() { tr ':' '\n' < benchmarks/target/classpath.txt | grep -m1 "/$1/" | sed 's|.*/\([^/]*\)/[^/]*\.jar$|\1|'; }

SKIPPED=()
AVAILABLE=()
for server in $SERVERS; do
  case $server in
    netty|vertx|reactor-netty) AVAILABLE+=("$server") ;;
    asyncio)
      if [ -f benchmarks/target/classes/dev/asyncio/bench/httpserver/AsyncioHttpServer.class ]; then AVAILABLE+=("$server")
      else SKIPPED+=("asyncio (AsyncioHttpServer not built: asyncio-java's HttpServer is not on this branch)"); fi ;;
    go)
      if command -v go > /dev/null; then
        (cd "$WORK" && GOPROXY=off GOFLAGS= go build -o goserver "$OLDPWD/$HERE/server.go")
        AVAILABLE+=("$server")
      else SKIPPED+=("go (go not installed: apt-get install -y golang-go)"); fi ;;
    aiohttp)
      if "$PYTHON" -c 'import aiohttp, uvloop' 2> /dev/null; then AVAILABLE+=("$server")
      else SKIPPED+=("aiohttp ($PYTHON lacks aiohttp or uvloop: apt-get install -y python3-aiohttp python3-uvloop)"); fi ;;
    nginx)
      if command -v nginx > /dev/null; then AVAILABLE+=("$server")
      else SKIPPED+=("nginx (not installed: apt-get install -y nginx-light)"); fi ;;
    *) echo "unknown server $server (netty asyncio vertx reactor-netty go aiohttp nginx)" >&2; exit 1 ;;
  esac
done
[ ${#AVAILABLE[@]} -gt 0 ] || { echo "no server to measure" >&2; exit 1; }

# nginx's configuration: one worker, no logs, the same bodies as the others (fixed: nginx encodes nothing).
if grep -q "[\$'\\\\]" "$PAYLOAD"; then echo "$PAYLOAD must not hold \$, ' or \\ (it goes into nginx.conf)" >&2; exit 1; fi
NGINX_DIR=$(pwd)/$WORK/nginx
mkdir -p "$NGINX_DIR/logs"
nginx_conf() {
  cat <<CONF
worker_processes 1;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_body_temp_path $NGINX_DIR/body;
    proxy_temp_path $NGINX_DIR/proxy;
    fastcgi_temp_path $NGINX_DIR/fastcgi;
    uwsgi_temp_path $NGINX_DIR/uwsgi;
    scgi_temp_path $NGINX_DIR/scgi;
    server {
        listen 127.0.0.1:$1 backlog=1024;
        location = / { default_type text/plain; return 200 'Hello, World!'; }
        location = /json { default_type application/json; return 200 '$(cat "$PAYLOAD")'; }
    }
}
CONF
}

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2> /dev/null || true
    wait "$SERVER_PID" 2> /dev/null || true
    SERVER_PID=
  fi
}
trap stop_server EXIT

port_of() { local i=0; for s in netty asyncio vertx reactor-netty go aiohttp nginx; do [ "$s" = "$1" ] && break; i=$((i + 1)); done; echo $((BASE_PORT + i)); }
# Starts a server pinned to SERVER_CPU; exec keeps one PID from the subshell to the server.
start_server() {
  local server=$1 port=$2 log=$3 cmd
  case $server in
    netty) cmd=("$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.httpserver.NettyHttpServer "$port" "$TRANSPORT" "$PAYLOAD") ;;
    asyncio) cmd=("$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.httpserver.AsyncioHttpServer "$port" "$TRANSPORT" "$PAYLOAD") ;;
    vertx) cmd=("$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.httpserver.VertxHttpServer "$port" "$TRANSPORT" "$PAYLOAD") ;;
    reactor-netty) cmd=("$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.httpserver.ReactorNettyHttpServer "$port" "$TRANSPORT" "$PAYLOAD") ;;
    go) cmd=(env GOMAXPROCS=1 "$WORK/goserver" "$port" "$PAYLOAD") ;;
    aiohttp) cmd=("$PYTHON" "$HERE/aiohttp_server.py" "$port" "$PAYLOAD") ;;
    nginx) nginx_conf "$port" > "$NGINX_DIR/nginx.conf"; cmd=(nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf") ;;
  esac
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "something already listens on 127.0.0.1:$port: stop it or set PORT" >&2; exit 1; fi
  ( exec taskset -c "$SERVER_CPU" "${cmd[@]}" ) > "$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 300); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "$SERVER_PID" 2> /dev/null || break
    sleep 0.1
  done
  echo "$server did not start; its output:" >&2; cat "$log" >&2; exit 1
}
# utime + stime, in clock ticks, of the server and its children (nginx's worker).
cpu_ticks() {
  local total=0 pid
  for pid in "$SERVER_PID" $(pgrep -P "$SERVER_PID" || true); do
    # the fields after the command name, which may hold spaces: utime and stime are the 12th and 13th
    total=$(( total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') ))
  done
  echo "$total"
}
path_of() { if [ "$1" = plaintext ]; then echo /; else echo /json; fi; }
run_wrk() { # seconds connections url
  taskset -c "$CLIENT_CPU" wrk -t"$WRK_THREADS" -c"$2" -d"$1"s --latency "$3"
}
check_server() { # server port: the bodies are what every server must answer
  local port=$2
  [ "$(curl -s "http://127.0.0.1:$port/")" = "Hello, World!" ] || { echo "$1: GET / did not answer Hello, World!" >&2; exit 1; }
  curl -s "http://127.0.0.1:$port/json" | cmp -s - "$PAYLOAD" || { echo "$1: GET /json did not answer $PAYLOAD" >&2; exit 1; }
  { echo "## $1: response headers"; curl -s -D - -o /dev/null "http://127.0.0.1:$port/"; curl -s -D - -o /dev/null "http://127.0.0.1:$port/json"; } | tr -d '\r' >> "$WORK/headers-$STAMP.txt"
}

# ---- the run
say "# HTTP server benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')"
say "# command: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP NATIVE_WARMUP=$NATIVE_WARMUP CONNECTIONS=\"$CONNECTIONS\" ENDPOINTS=\"$ENDPOINTS\" TRANSPORT=$TRANSPORT WRK_THREADS=$WRK_THREADS SERVERS=\"$SERVERS\" $HERE/run.sh"
say "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), Linux $(uname -r); servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU"
say "# java: $("$JAVA" -version 2>&1 | sed -n 2p); JVM flags: ${JVM_FLAGS[*]}; transport $TRANSPORT"
say "# versions: netty $(jar_version netty-codec-http), vert.x $(jar_version vertx-core), reactor-netty $(jar_version reactor-netty-http), jackson $(jar_version jackson-databind), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
command -v go > /dev/null && say "# versions: $(go version)"
command -v nginx > /dev/null && say "# versions: $(nginx -v 2>&1)"
"$PYTHON" -c 'import aiohttp, uvloop' 2> /dev/null && say "# versions: $("$PYTHON" -c 'import sys, aiohttp, uvloop; print("Python", sys.version.split()[0], "aiohttp", aiohttp.__version__, "uvloop", uvloop.__version__)')"
for s in "${SKIPPED[@]}"; do say "# skipped: $s"; done
say "# per round, server, endpoint and connections: ${DURATION}s measured; warm-up after each start ${WARMUP}s per load (JVMs), ${NATIVE_WARMUP}s (others)"
say "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

N=${#AVAILABLE[@]}
for round in $(seq 1 "$ROUNDS"); do
  say "# round $round, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S)"
  for k in $(seq 0 $((N - 1))); do
    server=${AVAILABLE[$(( (k + round - 1) % N ))]}
    port=$(port_of "$server")
    start_server "$server" "$port" "$WORK/logs/$server-$STAMP-r$round.log"
    [ "$round" = 1 ] && check_server "$server" "$port"
    case $server in go|aiohttp|nginx) warm=$NATIVE_WARMUP ;; *) warm=$WARMUP ;; esac
    if [ "$warm" -gt 0 ]; then
      for endpoint in $ENDPOINTS; do for conns in $CONNECTIONS; do
        run_wrk "$warm" "$conns" "http://127.0.0.1:$port$(path_of "$endpoint")" > /dev/null
      done; done
    fi
    for endpoint in $ENDPOINTS; do
      for conns in $CONNECTIONS; do
        before=$(cpu_ticks)
        out=$(run_wrk "$DURATION" "$conns" "http://127.0.0.1:$port$(path_of "$endpoint")")
        after=$(cpu_ticks)
        row=$(awk -v r="$round" -v s="$server" -v e="$endpoint" -v c="$conns" -v t=$((after - before)) '
          function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
          / requests in / { req = $1; sec = $4; sub(/s,?$/, "", sec) }
          /^Requests\/sec:/ { rps = $2 }
          /^ +99%/ { p99 = ms($2) }
          /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
          /Non-2xx or 3xx responses:/ { err += $5 }
          END { printf "%d\t%s\t%s\t%d\t%s\t%d\t%.1f\t%.3f\t%d\t%d\n", r, s, e, c, sec, req, rps, p99, t, err + 0 }' <<< "$out")
        echo "$row" >> "$ROWS"
        printf '%s\n' "$row" | awk -F'\t' '{ printf "#   %-13s %-9s %4d conns: %9.0f req/s  p99 %7.2f ms  %5d ticks  errors %d\n", $2, $3, $4, $7, $8, $9, $10 }' | tee -a "$OUT"
      done
    done
    stop_server
  done
done
say "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

ORDER=()
for s in netty asyncio vertx reactor-netty go aiohttp nginx; do
  for a in "${AVAILABLE[@]}"; do [ "$a" = "$s" ] && ORDER+=("$s"); done
done
{
  echo
  echo "## Results: median (min - max) over $ROUNDS rounds; ratios to raw Netty taken round by round"
  python3 "$HERE/table.py" "$ROWS" "$CLK_TCK" netty "${ORDER[@]}"
  echo
  echo "## Raw rows: round, server, endpoint, connections, seconds, requests, req/s, p99 ms, server CPU ticks (1/$CLK_TCK s), errors"
  echo '```'
  cat "$ROWS"
  echo '```'
  echo
  echo "## Response headers (first round)"
  echo '```'
  cat "$WORK/headers-$STAMP.txt"
  echo '```'
} | tee -a "$OUT"
echo "# written to $OUT"
