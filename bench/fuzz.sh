#!/usr/bin/env bash
# The long fuzzing run of the readers (Jazzer; the short replay of their seeds runs in every
# ./mvnw verify): each reader gets RUNS inputs (default a million) or MAX time (default 2h),
# whichever ends first, one after the other. A finding fails its test and leaves its input in
# src/test/resources/.../<Test>Inputs/<reader>/crash-*: fix the reader, rename the file to say
# what it is, and commit it: it then replays as a regression test in every run.
#   bench/fuzz.sh                 # every reader
#   RUNS=100000 bench/fuzz.sh idx # one reader, fewer inputs
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
runs="${RUNS:-1000000}" max="${MAX:-2h}"
readers=(core:ReaderFuzzTest#idx core:ReaderFuzzTest#safetensors core:ReaderFuzzTest#csv
         models:WordFilesFuzzTest#wordVectors models:WordFilesFuzzTest#wordSim models:WordFilesFuzzTest#analogies
         models:WordFilesFuzzTest#text)
./mvnw -B -q install -DskipTests
failed=0
for r in "${readers[@]}"; do
  module="${r%%:*}" test="${r#*:}"
  if [ $# -gt 0 ] && [[ " $* " != *" ${test#*#} "* ]]; then continue; fi
  echo "== $test ($module): $runs inputs or $max"
  if ! (cd "$module" && JAZZER_FUZZ=1 JAZZER_MAX_EXECUTIONS="$runs" JAZZER_MAX_DURATION="$max" \
        ../mvnw -B test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep -E "^Done|FuzzTestFinding|Tests run:.*Fail" | tail -3); then
    failed=1
  fi
  rm -rf "$module/.cifuzz-corpus"
done
exit $failed
