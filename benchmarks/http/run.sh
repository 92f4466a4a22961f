#!/usr/bin/env bash
# Side-by-side HTTP client benchmark: 20,000 small GETs with 100 in flight, over keep-alive connections,
# against one local server, by asyncio-java's HttpClient (100 tasks on one loop thread) and by the JDK's
# java.net.http.HttpClient (100 virtual threads), in interleaved rounds in one client JVM; wrk, when it is
# installed, runs in the same rounds (a few seconds each) as the ceiling: what the server gives a C client;
# and so does Python's aiohttp, on asyncio's loop and on uvloop, when both are installed (AIOHTTP=no skips it).
#
# The server is nginx (one worker) when it is installed, otherwise HelloServer (Netty's HttpServerCodec on one
# event loop thread); both answer "Hello, World!\n" with keep-alive. The server is pinned to CPU 0, the
# clients (and wrk) to CPU 1, so each side has one core.
#
#   benchmarks/http/run.sh                          # nginx if installed; 5 warm-up + 5 measured rounds; about a minute
#   SERVER=embedded ROUNDS=3 TRANSPORT=EPOLL benchmarks/http/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

REQUESTS=${REQUESTS:-20000}
CONCURRENCY=${CONCURRENCY:-100}
ROUNDS=${ROUNDS:-5}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-5}
TRANSPORT=${TRANSPORT:-NIO}
PORT=${PORT:-18080}
SERVER=${SERVER:-auto}            # auto | nginx | embedded
WRK_SECONDS=${WRK_SECONDS:-2}
source benchmarks/find-java.sh
pin() { if command -v taskset > /dev/null; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
# Starts the server in the background; exec keeps one PID from the subshell to the server, so that it can be killed.
start_server() {
  ( if command -v taskset > /dev/null; then exec taskset -c "$1" "${@:2}"; else exec "${@:2}"; fi ) &
  SERVER_PID=$!
}
CPUS=$(nproc)
SERVER_CPU=0
CLIENT_CPU=$(( CPUS > 1 ? 1 : 0 ))

mvn -B -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
JVM_FLAGS=(--add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
           -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Dio.netty.leakDetection.level=disabled)

SERVER_PID=
WORK=$(mktemp -d)
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
  echo "something already listens on 127.0.0.1:$PORT: stop it or set PORT" >&2; exit 1
fi
if [ "$SERVER" = auto ]; then
  if command -v nginx > /dev/null; then SERVER=nginx; else SERVER=embedded; fi
fi
case $SERVER in
  nginx)
    command -v nginx > /dev/null || { echo "SERVER=nginx but nginx is not installed (apt-get install nginx)" >&2; exit 1; }
    mkdir -p "$WORK/logs"
    cat > "$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 10000000;
    keepalive_timeout 120s;
    client_body_temp_path $WORK/body;
    proxy_temp_path $WORK/proxy;
    fastcgi_temp_path $WORK/fastcgi;
    uwsgi_temp_path $WORK/uwsgi;
    scgi_temp_path $WORK/scgi;
    server {
        listen 127.0.0.1:$PORT;
        location / {
            default_type text/plain;
            return 200 "Hello, World!\n";
        }
    }
}
EOF
    start_server "$SERVER_CPU" nginx -p "$WORK" -c "$WORK/nginx.conf"
    SERVER_DESC="$(nginx -v 2>&1 | sed 's/.*: //'), 1 worker"
    ;;
  embedded)
    start_server "$SERVER_CPU" "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.http.HelloServer "$PORT" > /dev/null
    SERVER_DESC="embedded HelloServer (Netty HttpServerCodec, 1 thread)"
    ;;
  *) echo "unknown SERVER=$SERVER (auto, nginx or embedded)" >&2; exit 1 ;;
esac
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
  sleep 0.1
done
URL="http://127.0.0.1:$PORT/"

echo "# server: $SERVER_DESC on CPU $SERVER_CPU; clients on CPU $CLIENT_CPU; $CPUS CPUs: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
WRK_ARGS=()
if command -v wrk > /dev/null; then
  WRK_ARGS=(--wrk "$(command -v wrk)" --wrk-seconds "$WRK_SECONDS")
  echo "# wrk: $(command -v wrk), run in the same rounds for ${WRK_SECONDS}s each"
else
  echo "# wrk is not installed (apt-get install wrk): no ceiling"
fi
PY_ARGS=()
if [ "${AIOHTTP:-auto}" = no ]; then
  echo "# Python clients skipped (AIOHTTP=no)"
elif python3 -c 'import aiohttp, uvloop' 2> /dev/null; then
  PY_ARGS=(--aiohttp "$(command -v python3)")
  echo "# Python $(python3 -c 'import sys, aiohttp, uvloop; print(sys.version.split()[0], "aiohttp", aiohttp.__version__, "uvloop", uvloop.__version__)'), one process per round"
else
  echo "# Python with aiohttp and uvloop not found (pip install aiohttp uvloop): no Python clients"
fi
pin "$CLIENT_CPU" "$JAVA" "${JVM_FLAGS[@]}" -cp "$CP" dev.asyncio.bench.http.HttpLoad --url "$URL" \
  --requests "$REQUESTS" --concurrency "$CONCURRENCY" --rounds "$ROUNDS" --warmup-rounds "$WARMUP_ROUNDS" \
  --transport "$TRANSPORT" "${WRK_ARGS[@]}" "${PY_ARGS[@]}"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
