# Sourced by ./glassbox and ./mvnw: points JAVA_HOME at a Java 25 (or newer) JDK.
# Order: $JAVA_HOME if it is 25+, then the usual install places, then `java` on PATH.
# Stops with a message naming what to install when none is found.
glassbox_java_major() {
  # prints the feature version of the JDK at $1 (e.g. 25), or nothing
  local rel="$1/release"
  if [ -r "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}
glassbox_find_java() {
  local c v
  for c in "${JAVA_HOME:-}" \
           /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
           /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 \
           /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* \
           /opt/java/openjdk /opt/jdk-2[5-9]* "$HOME"/.sdkman/candidates/java/current \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    v=$(glassbox_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA_HOME="$c"; export JAVA_HOME; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(glassbox_java_major "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then JAVA_HOME="$c"; export JAVA_HOME; return 0; fi
  fi
  echo "glassbox: needs a Java 25 JDK and found none (JAVA_HOME=${JAVA_HOME:-unset})." >&2
  echo "  Install one (for example Eclipse Temurin 25: apt-get install temurin-25-jdk) and set JAVA_HOME to it." >&2
  return 1
}
