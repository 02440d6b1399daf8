package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Whether the vectorized kernels are used, and the vector species they use. */
public final class Simd {
    /** {@code -Dglassbox.simd=false} routes every kernel call to its scalar twin. */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("glassbox.simd"));
    /**
     * The machine's widest species, or {@code -Dglassbox.simd.bits=256} for AVX2's 8 lanes on an
     * AVX-512 machine (to test and time the AVX2 paths there).
     */
    static final VectorSpecies<Float> F = switch (System.getProperty("glassbox.simd.bits", "")) {
        case "" -> FloatVector.SPECIES_PREFERRED;
        case "256" -> FloatVector.SPECIES_256;
        case "512" -> FloatVector.SPECIES_512;
        default -> throw new IllegalArgumentException("glassbox.simd.bits is 256 or 512, got " + System.getProperty("glassbox.simd.bits"));
    };

    private Simd() {}

    /** Lanes per float vector on this machine (8 with AVX2). */
    public static int lanes() { return F.length(); }
}
