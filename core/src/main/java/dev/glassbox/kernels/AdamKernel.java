package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One Adam update over a parameter, fused into one pass (Kingma and Ba, 2015, with PyTorch's
 * arrangement of the bias corrections):
 * <pre>
 *   g ← g + λ·p                      (L2 weight decay, Adam only; AdamW decays p before the call)
 *   m ← β₁·m + (1−β₁)·g
 *   v ← β₂·v + (1−β₂)·g²
 *   p ← p − (lr/bc₁) · m / (√v/√bc₂ + ε)     with bc = 1 − βᵗ
 * </pre>
 */
public final class AdamKernel {
    private static final VectorSpecies<Float> F = Simd.F;

    private AdamKernel() {}

    /** Below this many weights one thread does the update; above, the pool splits it. */
    private static final int PARALLEL_MIN = 1 << 16;

    public static void step(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                            float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        if (!Simd.ENABLED) {
            stepScalar(n, p, pOff, g, gOff, m, v, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
            return;
        }
        if (n < PARALLEL_MIN) {
            range(0, n, p, pOff, g, gOff, m, v, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
        } else {
            Parallel.forRange(n, GRAIN, (s, e) -> range(s, e, p, pOff, g, gOff, m, v, lr, beta1, beta2, eps, weightDecay, bc1, bc2));
        }
    }

    /**
     * One update of several parameters (each from offset 0) as one range the threads share, as
     * PyTorch's multi-tensor Adam: a step made of one split per large parameter and the small
     * ones on the calling thread left the other thread idle for them and met it once per large
     * parameter. Each parameter starts a fresh unit of the range, so its elements are cut where
     * {@link #step} cuts them (at multiples of the grain) and take the same path, vector or
     * scalar: the same bits on any number of threads.
     */
    public static void stepAll(float[][] p, float[][] g, float[][] m, float[][] v,
                               float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        int count = p.length;
        if (g.length != count || m.length != count || v.length != count) {
            throw new IllegalArgumentException("adam: " + count + " parameters but " + g.length + " gradients, " + m.length + " first and "
                    + v.length + " second moments");
        }
        for (int i = 0; i < count; i++) {
            int n = p[i].length;
            if (g[i].length < n || m[i].length < n || v[i].length < n) {
                throw new IllegalArgumentException("adam: parameter " + i + " has " + n + " values but its gradient " + g[i].length
                        + ", its moments " + m[i].length + " and " + v[i].length);
            }
        }
        if (!Simd.ENABLED) {
            for (int i = 0; i < count; i++) stepScalar(p[i].length, p[i], 0, g[i], 0, m[i], v[i], lr, beta1, beta2, eps, weightDecay, bc1, bc2);
            return;
        }
        long[] start = new long[count + 1];   // parameter i is units [start[i], start[i] + p[i].length) of the range
        long elements = 0;
        for (int i = 0; i < count; i++) {
            start[i + 1] = start[i] + (p[i].length + GRAIN - 1) / GRAIN * GRAIN;
            elements += p[i].length;
        }
        if (elements < PARALLEL_MIN || start[count] > Integer.MAX_VALUE) {
            for (int i = 0; i < count; i++) step(p[i].length, p[i], 0, g[i], 0, m[i], v[i], lr, beta1, beta2, eps, weightDecay, bc1, bc2);
            return;
        }
        Parallel.forRange((int) start[count], GRAIN, (s, e) -> {
            for (int i = 0; i < count; i++) {
                long from = Math.max(s, start[i]), to = Math.min(e, start[i] + p[i].length);
                if (from < to) {
                    range((int) (from - start[i]), (int) (to - start[i]), p[i], 0, g[i], 0, m[i], v[i], lr, beta1, beta2, eps, weightDecay, bc1, bc2);
                }
            }
        });
    }

    /** The unit of a parallel update's chunks: a multiple of every vector length. */
    private static final int GRAIN = 4096;

    /** The update of elements [s, e): vectors to the last whole one, then the scalar rule. */
    private static void range(int s, int e, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                              float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        int n = e - s;
        float stepSize = lr / bc1, invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        FloatVector b1 = FloatVector.broadcast(F, beta1), b1c = FloatVector.broadcast(F, 1 - beta1);
        FloatVector b2 = FloatVector.broadcast(F, beta2), b2c = FloatVector.broadcast(F, 1 - beta2);
        FloatVector wd = FloatVector.broadcast(F, weightDecay), ss = FloatVector.broadcast(F, -stepSize);
        FloatVector ib = FloatVector.broadcast(F, invSqrtBc2), ep = FloatVector.broadcast(F, eps);
        int bound = s + F.loopBound(n), i = s;
        for (; i < bound; i += F.length()) {
            FloatVector pv = FloatVector.fromArray(F, p, pOff + i);
            FloatVector gv = FloatVector.fromArray(F, g, gOff + i);
            if (weightDecay != 0f) gv = pv.fma(wd, gv);
            FloatVector mv = FloatVector.fromArray(F, m, i).mul(b1).add(gv.mul(b1c));
            FloatVector vv = FloatVector.fromArray(F, v, i).mul(b2).add(gv.mul(gv).mul(b2c));
            mv.intoArray(m, i);
            vv.intoArray(v, i);
            FloatVector denom = vv.sqrt().mul(ib).add(ep);
            mv.div(denom).fma(ss, pv).intoArray(p, pOff + i);
        }
        if (i < e) stepScalar(e - i, p, pOff + i, g, gOff + i, m, v, i, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
    }

    /** The scalar twin. */
    public static void stepScalar(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v,
                                  float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        stepScalar(n, p, pOff, g, gOff, m, v, 0, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
    }

    private static void stepScalar(int n, float[] p, int pOff, float[] g, int gOff, float[] m, float[] v, int mOff,
                                   float lr, float beta1, float beta2, float eps, float weightDecay, float bc1, float bc2) {
        float stepSize = lr / bc1, invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        for (int i = 0; i < n; i++) {
            float gi = g[gOff + i];
            if (weightDecay != 0f) gi += weightDecay * p[pOff + i];
            float mi = beta1 * m[mOff + i] + (1 - beta1) * gi;
            float vi = beta2 * v[mOff + i] + (1 - beta2) * gi * gi;
            m[mOff + i] = mi;
            v[mOff + i] = vi;
            p[pOff + i] -= stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
        }
    }
}
