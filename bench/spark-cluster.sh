#!/usr/bin/env bash
# A Spark standalone cluster on this machine for `glassbox train ... --spark spark://127.0.0.1:PORT`:
# bench/spark-cluster.sh [WORKERS] [DIR] starts a Master and WORKERS Workers (default 2; one core
# and 2 GB each), each a JVM of its own on 127.0.0.1, from the Spark jars Maven fetched (no Spark
# distribution); prints the master's URL; Ctrl-C (or killing this script) stops them all.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/.mvn/java25.sh"
glassbox_find_java || exit 1
"$here/mvnw" -q -B -f "$here/pom.xml" -DskipTests package -pl spark -am
cp="$here/spark/target/glassbox-spark-0.1.0-SNAPSHOT.jar:$(cat "$here/spark/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -cp "$cp" dev.glassbox.spark.StandaloneCluster "$@" \
  2> >(grep -av --line-buffered '^WARNING: Using incubator modules' >&2)
