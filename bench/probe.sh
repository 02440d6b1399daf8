#!/usr/bin/env bash
# Timing probes (dev.glassbox.bench.Probes): bench/probe.sh w2-steps|w4-steps|w8-steps|lstm|kernel-peak|gemm-openblas M N K [threads] [NN|NT|TN|TT]
# and bench/probe.sh dcgan-replay FILE (PyTorch's W9 steps replayed; FILE from bench/peers/w9_torch.py --replay FILE)
# PROBE_JAVA_OPTS adds JVM options (for example -Dglassbox.sgemm.splitOnceRows=1024 to try another path);
# PROBE_OPENBLAS_CORETYPE picks OpenBLAS's kernels for gemm-openblas (Haswell: AVX2's).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/.mvn/java25.sh"
glassbox_find_java || exit 1
# The class path from the same reactor build, so core and models are this tree's jars (resolving
# bench's dependencies on its own took whatever snapshot an earlier `install` left in ~/.m2).
cp_file="$here/bench/target/probe-classpath.txt"
"$here/mvnw" -q -B -f "$here/pom.xml" -DskipTests package dependency:build-classpath -pl bench -am \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
cp="$here/bench/target/glassbox-bench-0.1.0-SNAPSHOT.jar:$(cat "$cp_file")"
# The machine sets these for old OpenBLAS builds; they slow Debian's (the peer runner drops them too).
# PROBE_OPENBLAS_CORETYPE=Haswell gives gemm-openblas the kernels an AVX2 machine runs (with
# PROBE_JAVA_OPTS=-XX:UseAVX=2 for our side: both sides on AVX2's paths, as bench --isa avx2).
unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE
[ -n "${PROBE_OPENBLAS_CORETYPE:-}" ] && export OPENBLAS_CORETYPE="$PROBE_OPENBLAS_CORETYPE"
# kernel-peak times core's micro-kernel, so it is core's own class; the others are the bench module's
main=dev.glassbox.bench.Probes
if [ "${1:-}" = kernel-peak ]; then main=dev.glassbox.kernels.KernelRates; shift; fi
if [ "${1:-}" = dcgan-replay ]; then main=dev.glassbox.bench.DcganReplay; shift; fi
exec "$JAVA_HOME/bin/java" ${PROBE_JAVA_OPTS:-} --add-modules=jdk.incubator.vector -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy -Xmn256m -XX:SurvivorRatio=2 --enable-native-access=ALL-UNNAMED -cp "$cp" "$main" "$@" \
  2> >(grep -av --line-buffered '^WARNING: Using incubator modules' >&2)
