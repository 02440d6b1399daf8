package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Whether the vectorized kernels are used, and the vector species they use. */
public final class Simd {
    /** {@code -Dglassbox.simd=false} routes every kernel call to its scalar twin. */
    public static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("glassbox.simd"));
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Simd() {}

    /** Lanes per float vector on this machine (8 with AVX2). */
    public static int lanes() { return F.length(); }
}
