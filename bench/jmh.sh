#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the bench module: bench/jmh.sh [JMH options] [benchmark regex]
# e.g. bench/jmh.sh -p gemm=1024,1024,1024,f,f KernelBenchmarks.sgemm
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/.mvn/java25.sh"
glassbox_find_java || exit 1
"$here/mvnw" -q -B -f "$here/pom.xml" -DskipTests package -pl bench -am
cp="$here/bench/target/glassbox-bench-0.1.0-SNAPSHOT.jar:$("$here/mvnw" -q -B -f "$here/bench/pom.xml" dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=runtime)"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "$cp" org.openjdk.jmh.Main "$@"
