#!/usr/bin/env bash
# Live heap per idle connection, one side at a time (benchmarks/src/main/java/dev/asyncio/bench/idle/IdleConnections.java):
# the JVM measured holds N idle connections of one kind, the other ends are plain JDK sockets in a child JVM;
# heap after full collections, before and after, divided by N. Raw Netty on the same event loop is the floor.
#
#   benchmarks/idle/run.sh                    # 10,000 connections per kind, every kind
#   N=2000 KINDS="streams-server protocol-server" benchmarks/idle/run.sh
#   JOPTS="-Didle.histogram=25" benchmarks/idle/run.sh   # JVM options for the measured JVM: here, the 25 classes
#                                                        # that grew most, per connection (see IdleConnections)
set -euo pipefail
cd "$(dirname "$0")/../.."

N=${N:-10000}
KINDS=${KINDS:-netty-server protocol-server streams-server netty-client protocol-client streams-client}
source benchmarks/find-java.sh

./mvnw -B -q -o -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
CP="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(git rev-parse --short HEAD)  N=$N  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $KINDS; do
  "$JAVA" --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -Xmx1g -XX:+UseSerialGC ${JOPTS:-} -Dio.netty.leakDetection.level=disabled \
    -cp "$CP" dev.asyncio.bench.idle.IdleConnections "$kind" "$N" < /dev/null
done
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
