#!/usr/bin/env bash
# Proves the published artifacts from outside: installs the library modules (with asyncio-bom and the parent
# pom) into a local repository inside target/, then runs this consumer project every way a user would:
#   mvn test (with several JUnit releases), mvn exec:java, java -cp, and java --module-path,
# each once without any JVM flag and once with the fast engine's flag. Prints one line per run and exits
# non-zero if any run fails. Environment:
#   ONLY=flag | noflag   run only the variants with (or without) the flag
#   SKIP_INSTALL=1       use the artifacts installed by an earlier run
#   JUNIT_VERSIONS="..." the JUnit releases `mvn test` is run with (flag variant; default below)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
repo="$root/target/consumer-repo"
junits=${JUNIT_VERSIONS:-"5.10.3 5.14.4 6.0.1 6.1.3"}
only=${ONLY:-}

# Maven as the user runs it (the wrapper puts Maven itself on JDK 25, which exec:java needs), with the local
# repository in target/ so that concurrent builds never see each other's snapshots; everything else comes
# from ~/.m2 (tail) or Central.
mvn_repo=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$HOME/.m2/repository")
mvn() { "$root/mvnw" -q -B -f "$here/pom.xml" "${mvn_repo[@]}" "$@"; }
jdk=$("$root/.mvn/require-jdk25") || exit 1
java="${jdk:-${JAVA_HOME:-}}"; java="${java:+$java/bin/}java"

cp_flag="--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"
mp_flag="--add-exports java.base/jdk.internal.vm=asyncio.core"
logs="$here/target/run-all"
failed=0

if [ -z "${SKIP_INSTALL:-}" ]; then
    echo "installing asyncio-java into $repo"
    "$root/mvnw" -q -B -f "$root/pom.xml" "${mvn_repo[@]}" install -DskipTests -Dmaven.javadoc.skip=true \
        -pl asyncio-bom,asyncio-core,asyncio-test,asyncio-net,asyncio-http -am || exit 1
fi
rm -rf "$here/target"; mkdir -p "$logs"
mvn compile org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$here/target/runtime.classpath" >"$logs/compile.log" 2>&1 \
    || { echo "FAIL compile (see $logs/compile.log)"; exit 1; }
deps=$(cat "$here/target/runtime.classpath")

# check NAME EXPECTED-TEXT COMMAND...: runs the command, passes if it exits 0 and printed the text.
check() {
    local name=$1 expect=$2; shift 2
    local log="$logs/$name.log" start=$SECONDS
    if "$@" >"$log" 2>&1 && grep -q -- "$expect" "$log"; then
        echo "ok    $name ($((SECONDS - start)) s)"
    else
        echo "FAIL  $name after $((SECONDS - start)) s: $(grep -v '^WARNING' "$log" | grep -m1 -E 'Exception|Error|error|FAIL|needs' || tail -1 "$log") (log: $log)"
        failed=1
    fi
}
tests_ran() {
    local report="$here"/target/surefire-reports/TEST-com.example.echo.EchoTest.xml
    grep -q 'tests="3"' "$report" && grep -q 'skipped="0"' "$report" && echo "3 tests"
}
mvn_test() { mvn test "$@" && tests_ran; }

for variant in noflag flag; do
    [ -n "$only" ] && [ "$only" != "$variant" ] && continue
    # The engine each run must end up on: the continuation engine with the flag, the thread engine without it.
    if [ "$variant" = flag ]; then cpf=$cp_flag; mpf=$mp_flag; versions=$junits; engine=continuation
    else cpf=""; mpf=""; versions=5.14.4; engine=threads; fi
    for v in $versions; do
        check "$variant-mvn-test-junit-$v" "3 tests" mvn_test -Djunit.version="$v" -DargLine="$cpf -Dconsumer.engine=$engine"
    done
    check "$variant-mvn-exec-java" "echoed: hello (engine: $engine)" env MAVEN_OPTS="$cpf" "$root/mvnw" -q -B -f "$here/pom.xml" "${mvn_repo[@]}" exec:java
    # shellcheck disable=SC2086 # the flag is two words, or none
    check "$variant-java-class-path" "echoed: hello (engine: $engine)" "$java" $cpf -cp "$here/target/classes:$deps" com.example.echo.Main
    # shellcheck disable=SC2086
    check "$variant-java-module-path" "echoed: hello (engine: $engine)" "$java" $mpf --module-path "$deps" --add-modules asyncio.net \
        -cp "$here/target/classes" com.example.echo.Main
done
exit $failed
