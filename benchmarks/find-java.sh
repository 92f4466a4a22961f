# Sourced by the benchmark scripts: sets JAVA to a JDK 25 java (from $JAVA, /usr/lib/jvm or $JAVA_HOME), or exits.
JAVA=${JAVA:-}
if [ -z "$JAVA" ]; then
  for candidate in /usr/lib/jvm/*25*/bin/java "${JAVA_HOME:-/nonexistent}/bin/java"; do
    if [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "25'; then JAVA=$candidate; break; fi
  done
fi
[ -n "$JAVA" ] || { echo "no JDK 25 found: set JAVA=/path/to/jdk25/bin/java" >&2; exit 1; }
