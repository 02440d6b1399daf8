package dev.glassbox.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The instruction set a benchmark runs with, on both sides. {@code native} is whatever the CPU
 * has. {@code avx2} limits both sides to AVX2 on an AVX-512 machine, so the code paths an AVX2
 * CPU (the AMD Zen 3 of this machine kind) would run can be measured side by side where no such
 * CPU is at hand: our JVM with {@code -XX:UseAVX=2} (256-bit vectors, the 3×3 SGEMM tile), the
 * peer with OpenBLAS's Haswell kernels, oneDNN and ATen at AVX2. It emulates the instructions
 * only: the caches and the core stay this machine's.
 */
public enum Isa {
    NATIVE(List.of(), Map.of()),
    AVX2(List.of("-XX:UseAVX=2"),
            Map.of("OPENBLAS_CORETYPE", "Haswell", "ONEDNN_MAX_CPU_ISA", "AVX2", "DNNL_MAX_CPU_ISA", "AVX2", "ATEN_CPU_CAPABILITY", "avx2"));

    /** Options for our side's JVM. */
    public final List<String> jvmArgs;
    /** Variables for the peer's process. */
    public final Map<String, String> peerEnv;

    Isa(List<String> jvmArgs, Map<String, String> peerEnv) {
        this.jvmArgs = jvmArgs;
        this.peerEnv = peerEnv;
    }

    /** The name on the command line and in the JSON ({@code native}, {@code avx2}). */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** {@code native} or {@code avx2}, in any case; anything else is an error naming the choices. */
    public static Isa parse(String s) {
        for (Isa i : values()) if (i.id().equalsIgnoreCase(s)) return i;
        throw new IllegalArgumentException("unknown --isa '" + s + "'; choose native or avx2");
    }
}
