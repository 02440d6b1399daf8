#!/usr/bin/env bash
# Timing probes (dev.glassbox.bench.Probes): bench/probe.sh w4-steps|lstm
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/.mvn/java25.sh"
glassbox_find_java || exit 1
"$here/mvnw" -q -B -f "$here/pom.xml" -DskipTests package -pl bench -am
cp="$here/bench/target/glassbox-bench-0.1.0-SNAPSHOT.jar:$("$here/mvnw" -q -B -f "$here/bench/pom.xml" dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:+UseParallelGC -XX:GCTimeRatio=19 -cp "$cp" dev.glassbox.bench.Probes "$@" \
  2> >(grep -v --line-buffered '^WARNING: Using incubator modules' >&2)
