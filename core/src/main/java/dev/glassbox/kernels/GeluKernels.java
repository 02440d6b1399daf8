package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** GELU's vector kernels, forward (through {@link VectorKernels#unary}) and backward; twins in {@link ScalarKernels}. */
public final class GeluKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private GeluKernels() {}

    /** dL/dx for y = gelu(x) = x·Φ(x): g·(Φ(x) + x·φ(x)), with Φ from the same erf as the forward. */
    public static void geluBackward(int n, float[] g, float[] x, float[] out) {
        if (n >= VectorKernels.PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, VectorKernels.GRAIN, (s, e) -> geluBackwardSerial(e - s, g, s, x, s, out, s));
        } else {
            geluBackwardSerial(n, g, 0, x, 0, out, 0);
        }
    }

    private static void geluBackwardSerial(int n, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.geluBackward(n, g, gOff, x, xOff, out, oOff);
            return;
        }
        int bound = F.loopBound(n);
        gelu(x, xOff, g, gOff, out, oOff, bound, true);
        ScalarKernels.geluBackward(n - bound, g, gOff + bound, x, xOff + bound, out, oOff + bound);
    }

    private static final float ERF_P = 0.3275911f, ERF_A1 = 0.254829592f, ERF_A2 = -0.284496736f, ERF_A3 = 1.421413741f,
            ERF_A4 = -1.453152027f, ERF_A5 = 1.061405429f, SQRT1_2 = 0.70710678118654752f, INV_SQRT_2PI = 0.39894228040143268f;

    /** Elements per pass of {@link #gelu}: its three passes run over 2 KB blocks that stay in L1. */
    private static final int BLOCK = 512;

    /**
     * GELU over whole vectors, exact form x·Φ(x) with Φ(x) = (1 + erf(x/√2))/2 and erf by
     * Abramowitz and Stegun 7.1.26 (as {@link UnaryOp#erf}): first e^(−x²/2) into a block of scratch
     * (by {@link VectorKernels#expInto}, which serves both erf's factor and the density φ), then the forward
     * x·Φ(x), or with {@code backward} the gradient g·(Φ(x) + x·φ(x)). Block by block, so the
     * three passes read from L1 rather than memory (over whole arrays of a W6 step, 4 MB each,
     * they streamed three times through memory). The exponentials go to a block of scratch, so
     * {@code out} may be {@code g} (the backward in place) or {@code x}.
     */
    static void gelu(float[] x, int xOff, float[] g, int gOff, float[] out, int oOff, int bound, boolean backward) {
        float[] e = new float[Math.min(BLOCK, bound)];
        for (int b = 0; b < bound; b += BLOCK) {
            int n = Math.min(BLOCK, bound - b);
            geluBlock(x, xOff + b, g, gOff + b, out, oOff + b, n, backward, e);
        }
    }

    private static void geluBlock(float[] x, int xOff, float[] g, int gOff, float[] out, int oOff, int bound, boolean backward, float[] e) {
        FloatVector half = FloatVector.broadcast(F, -0.5f);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(v).mul(half).intoArray(e, i);
        }
        VectorKernels.expInto(e, 0, e, 0, bound, 1f, 0f);
        FloatVector one = FloatVector.broadcast(F, 1f), p = FloatVector.broadcast(F, ERF_P), s = FloatVector.broadcast(F, SQRT1_2);
        FloatVector a1 = FloatVector.broadcast(F, ERF_A1), a2 = FloatVector.broadcast(F, ERF_A2), a3 = FloatVector.broadcast(F, ERF_A3);
        FloatVector a4 = FloatVector.broadcast(F, ERF_A4), a5 = FloatVector.broadcast(F, ERF_A5), hf = FloatVector.broadcast(F, 0.5f);
        FloatVector pdf = FloatVector.broadcast(F, INV_SQRT_2PI), zero = FloatVector.zero(F);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i), ev = FloatVector.fromArray(F, e, i);
            FloatVector t = one.div(v.abs().mul(s).fma(p, one));
            FloatVector poly = a5.fma(t, a4).fma(t, a3).fma(t, a2).fma(t, a1).mul(t);
            FloatVector y = one.sub(poly.mul(ev));                                     // erf(|x|/√2)
            y = y.blend(y.neg(), v.compare(VectorOperators.LT, zero));
            FloatVector cdf = y.add(one).mul(hf);
            if (backward) {
                cdf.add(v.mul(ev).mul(pdf)).mul(FloatVector.fromArray(F, g, gOff + i)).intoArray(out, oOff + i);
            } else {
                v.mul(cdf).intoArray(out, oOff + i);
            }
        }
    }
}
