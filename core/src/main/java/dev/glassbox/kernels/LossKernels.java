package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Binary cross-entropy on logits, elementwise, forward and backward, over whole vectors (a VAE's
 * reconstruction loss runs over every pixel of every image). Scalar twins:
 * {@link ScalarKernels#bceWithLogits} and {@link ScalarKernels#bceWithLogitsBackward}.
 */
public final class LossKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private LossKernels() {}

    /** out[i] = max(x, 0) − x·y + log(1 + e^−|x|), the loss of logit x against target y. */
    public static void bceWithLogits(int n, float[] x, float[] y, float[] out) {
        if (n >= VectorKernels.PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, VectorKernels.GRAIN, (s, e) -> bceSerial(s, e, x, y, out));
        } else {
            bceSerial(0, n, x, y, out);
        }
    }

    /**
     * Σ over i of the loss of logit x[i] against target y[i]: the same bits as
     * {@link #bceWithLogits} into an array and {@link VectorKernels#sum} over it (each thread's
     * losses go into a scratch array it keeps, not a new one per call, up to {@link #SCRATCH_MAX}
     * values; a larger input gets an array of its own, so no thread holds a huge one for good).
     */
    public static float bceWithLogitsSum(int n, float[] x, float[] y) {
        float[] out = n > SCRATCH_MAX ? new float[n] : SCRATCH.get();
        if (out.length < n) {
            out = new float[n];
            SCRATCH.set(out);
        }
        bceWithLogits(n, x, y, out);
        return VectorKernels.sum(n, out, 0);
    }

    /** The largest scratch array {@link #bceWithLogitsSum} keeps per thread (4 MB). */
    private static final int SCRATCH_MAX = 1 << 20;
    /** The calling thread's array for {@link #bceWithLogitsSum}'s losses. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** gx[i] = (sigmoid(x) − y)·g[i], the gradient of the loss with respect to the logit. */
    public static void bceWithLogitsBackward(int n, float[] x, float[] y, float[] g, float[] gx) {
        backward(n, x, y, g, 0f, gx);
    }

    /** gx[i] = (sigmoid(x) − y)·g: the gradient of a sum (g: its gradient) of the losses. */
    public static void bceWithLogitsBackward(int n, float[] x, float[] y, float g, float[] gx) {
        backward(n, x, y, null, g, gx);
    }

    private static void backward(int n, float[] x, float[] y, float[] g, float gAll, float[] gx) {
        if (n >= VectorKernels.PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, VectorKernels.GRAIN, (s, e) -> backwardSerial(s, e, x, y, g, gAll, gx));
        } else {
            backwardSerial(0, n, x, y, g, gAll, gx);
        }
    }

    /** With {@code g} null, every element's upstream gradient is {@code gAll}. */
    private static void backwardSerial(int from, int to, float[] x, float[] y, float[] g, float gAll, float[] gx) {
        int n = to - from;
        if (!Simd.ENABLED || n < L) {
            if (g != null) ScalarKernels.bceWithLogitsBackward(from, to, x, y, g, gx);
            else ScalarKernels.bceWithLogitsBackward(from, to, x, y, gAll, gx);
            return;
        }
        int bound = from + F.loopBound(n);
        VectorKernels.expInto(x, from, gx, from, bound - from, -1f, 0f);   // e^−x, then 1/(1 + e^−x)
        FloatVector one = FloatVector.broadcast(F, 1f), all = FloatVector.broadcast(F, gAll);
        for (int i = from; i < bound; i += L) {
            FloatVector s = one.div(one.add(FloatVector.fromArray(F, gx, i)));
            s.sub(FloatVector.fromArray(F, y, i)).mul(g == null ? all : FloatVector.fromArray(F, g, i)).intoArray(gx, i);
        }
        if (g != null) ScalarKernels.bceWithLogitsBackward(bound, to, x, y, g, gx);
        else ScalarKernels.bceWithLogitsBackward(bound, to, x, y, gAll, gx);
    }

    private static final float SQRT2 = 1.41421356237f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;

    private static void bceSerial(int from, int to, float[] x, float[] y, float[] out) {
        int n = to - from;
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.bceWithLogits(from, to, x, y, out);
            return;
        }
        int bound = from + F.loopBound(n);
        // out = e^−|x| first (in (0, 1]), by the shared exp on −|x|
        FloatVector zero = FloatVector.zero(F);
        for (int i = from; i < bound; i += L) FloatVector.fromArray(F, x, i).abs().neg().intoArray(out, i);
        VectorKernels.expInto(out, from, out, from, bound - from, 1f, 0f);
        FloatVector one = FloatVector.broadcast(F, 1f), half = FloatVector.broadcast(F, 0.5f), sqrt2 = FloatVector.broadcast(F, SQRT2);
        for (int i = from; i < bound; i += L) {
            // log(m) for m = 1 + e^−|x| in (1, 2], as Cephes' logf: above √2 halve m (e = 1); f = m − 1
            FloatVector m = FloatVector.fromArray(F, out, i).add(one);
            var big = m.compare(VectorOperators.GT, sqrt2);
            FloatVector e = zero.blend(one, big);
            FloatVector f = m.blend(m.mul(half), big).sub(one);
            FloatVector z = f.mul(f);
            FloatVector p = FloatVector.broadcast(F, 7.0376836292e-2f);
            p = p.fma(f, FloatVector.broadcast(F, -1.1514610310e-1f));
            p = p.fma(f, FloatVector.broadcast(F, 1.1676998740e-1f));
            p = p.fma(f, FloatVector.broadcast(F, -1.2420140846e-1f));
            p = p.fma(f, FloatVector.broadcast(F, 1.4249322787e-1f));
            p = p.fma(f, FloatVector.broadcast(F, -1.6668057665e-1f));
            p = p.fma(f, FloatVector.broadcast(F, 2.0000714765e-1f));
            p = p.fma(f, FloatVector.broadcast(F, -2.4999993993e-1f));
            p = p.fma(f, FloatVector.broadcast(F, 3.3333331174e-1f));
            FloatVector r = p.mul(f).mul(z);
            r = e.fma(FloatVector.broadcast(F, LN2_LO), r);
            r = z.fma(FloatVector.broadcast(F, -0.5f), r);
            FloatVector log = f.add(r);
            log = e.fma(FloatVector.broadcast(F, LN2_HI), log);
            FloatVector xv = FloatVector.fromArray(F, x, i);
            xv.max(zero).sub(xv.mul(FloatVector.fromArray(F, y, i))).add(log).intoArray(out, i);
        }
        ScalarKernels.bceWithLogits(bound, to, x, y, out);
    }
}
