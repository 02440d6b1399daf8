package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The inner step of word2vec's negative sampling, as the original C tool and gensim compute it,
 * on rows of two embedding matrices stored row-major in flat arrays. The logistic function comes
 * from a 1,000-entry table over [−6, 6]; beyond that the gradient is taken as saturated (σ = 0 or
 * 1), as the tools do. Vectorized on the Vector API; {@link #negativeSamplingScalar} is its twin.
 */
public final class EmbeddingKernels {
    /** The table's range is [−MAX_EXP, MAX_EXP]. */
    public static final float MAX_EXP = 6f;
    /** Entries in the logistic table. */
    public static final int TABLE_SIZE = 1000;
    private static final float[] SIGMOID = new float[TABLE_SIZE], LOG_SIGMOID = new float[TABLE_SIZE];
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /** Shuffles that fold a vector onto itself by halves: lane i takes lane (i + L/2), then (i + L/4), ... */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] out = new VectorShuffle[steps];
        for (int k = 0; k < steps; k++) {
            int half = L >> (k + 1);
            out[k] = VectorShuffle.fromOp(F, i -> (i + half) & (L - 1));
        }
        return out;
    }

    /**
     * The sum of the lanes as a tree (halves added, then quarters, ...): a fixed order, so the
     * same bits in every JIT tier, in log2(lanes) shuffles instead of a chain of lane reads.
     */
    static float foldLanes(FloatVector v) {
        for (VectorShuffle<Float> s : FOLDS) v = v.add(v.rearrange(s));
        return v.lane(0);
    }

    static {
        for (int i = 0; i < TABLE_SIZE; i++) {
            double x = (i / (double) TABLE_SIZE * 2 - 1) * MAX_EXP;
            double e = Math.exp(x);
            SIGMOID[i] = (float) (e / (e + 1));
            LOG_SIGMOID[i] = (float) -Math.log1p(Math.exp(-x));
        }
    }

    private EmbeddingKernels() {}

    /** σ(f) from the table for f in (−6, 6); 0 or 1 beyond. */
    public static float sigmoid(float f) {
        if (f >= MAX_EXP) return 1f;
        if (f <= -MAX_EXP) return 0f;
        return SIGMOID[index(f)];
    }

    /** The table entry of f in (−6, 6); rounding can carry f just below 6 to the end, hence the cap. */
    private static int index(float f) { return Math.min(TABLE_SIZE - 1, (int) ((f + MAX_EXP) * (TABLE_SIZE / MAX_EXP / 2))); }

    /** −ln σ(f) from the table; beyond ±6 the asymptotes 0 and −f. */
    public static float negLogSigmoid(float f) {
        if (f >= MAX_EXP) return 0f;
        if (f <= -MAX_EXP) return -f;
        return -LOG_SIGMOID[index(f)];
    }

    /** The gradient scale (label − σ(f))·alpha with the tools' saturation beyond ±6. */
    static float gradient(float f, float label, float alpha) {
        if (f > MAX_EXP) return (label - 1f) * alpha;
        if (f < -MAX_EXP) return label * alpha;
        return (label - SIGMOID[index(f)]) * alpha;
    }

    /**
     * One input vector against {@code count} output rows: row {@code targets[0]} of {@code out} is
     * the true word (label 1), the others are noise words (label 0). First every score
     * f_t = in·out_t, then g_t = (label − σ(f_t))·alpha, grad = Σ g_t·out_t, and each
     * out_t += g_t·in. (The C tool interleaves these per target; the two agree except when a
     * noise word is drawn twice in one call, which here is scored twice from its starting row.)
     * The input itself is not changed: the caller adds {@code grad} (dim floats, overwritten)
     * where it belongs. Returns the summed loss −ln σ(f) for the true word and −ln σ(−f) for
     * each noise word. {@code scratch} holds at least {@code count} floats.
     */
    public static float negativeSampling(int dim, float[] in, int inOff, float[] out, int[] targets, int count, float alpha,
                                         float[] grad, float[] scratch) {
        if (count < 1) throw new IllegalArgumentException("negativeSampling: at least the true word, got " + count + " targets");
        if (!Simd.ENABLED || dim < L) return negativeSamplingScalar(dim, in, inOff, out, targets, count, alpha, grad, scratch);
        int bound = F.loopBound(dim);
        // Scores, two targets at a time so their sums run side by side.
        int k = 0;
        for (; k + 1 < count; k += 2) {
            int o0 = targets[k] * dim, o1 = targets[k + 1] * dim;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector x = FloatVector.fromArray(F, in, inOff + i);
                a0 = x.fma(FloatVector.fromArray(F, out, o0 + i), a0);
                a1 = x.fma(FloatVector.fromArray(F, out, o1 + i), a1);
            }
            float f0 = foldLanes(a0), f1 = foldLanes(a1);
            for (; i < dim; i++) {
                f0 += in[inOff + i] * out[o0 + i];
                f1 += in[inOff + i] * out[o1 + i];
            }
            scratch[k] = f0;
            scratch[k + 1] = f1;
        }
        if (k < count) {
            int o0 = targets[k] * dim;
            FloatVector a0 = FloatVector.zero(F);
            int i = 0;
            for (; i < bound; i += L) a0 = FloatVector.fromArray(F, in, inOff + i).fma(FloatVector.fromArray(F, out, o0 + i), a0);
            float f0 = foldLanes(a0);
            for (; i < dim; i++) f0 += in[inOff + i] * out[o0 + i];
            scratch[k] = f0;
        }
        float loss = 0f;
        for (k = 0; k < count; k++) {
            float f = scratch[k];
            loss += k == 0 ? negLogSigmoid(f) : negLogSigmoid(-f);
            scratch[k] = gradient(f, k == 0 ? 1f : 0f, alpha);
        }
        // Updates: one pass over the input, every target row within it.
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector x = FloatVector.fromArray(F, in, inOff + i);
            FloatVector acc = FloatVector.zero(F);
            for (k = 0; k < count; k++) {
                int o = targets[k] * dim + i;
                FloatVector ov = FloatVector.fromArray(F, out, o);
                FloatVector g = FloatVector.broadcast(F, scratch[k]);
                acc = ov.fma(g, acc);
                x.fma(g, ov).intoArray(out, o);
            }
            acc.intoArray(grad, i);
        }
        updateScalar(i, dim, dim, in, inOff, out, targets, count, grad, scratch);
        return loss;
    }

    /** Elements [from, to) of the update step: grad = Σ g_t·out_t, then out_t += g_t·in (g_t in scratch). */
    private static void updateScalar(int from, int to, int dim, float[] in, int inOff, float[] out, int[] targets, int count,
                                     float[] grad, float[] scratch) {
        for (int i = from; i < to; i++) {
            float x = in[inOff + i], acc = 0f;
            for (int k = 0; k < count; k++) {
                int o = targets[k] * dim + i;
                float ov = out[o];
                acc += scratch[k] * ov;
                out[o] = ov + scratch[k] * x;
            }
            grad[i] = acc;
        }
    }

    /** The scalar twin of {@link #negativeSampling}: the same steps in the same order, one lane at a time. */
    public static float negativeSamplingScalar(int dim, float[] in, int inOff, float[] out, int[] targets, int count, float alpha,
                                               float[] grad, float[] scratch) {
        float loss = 0f;
        for (int k = 0; k < count; k++) {
            int o = targets[k] * dim;
            float f = 0f;
            for (int i = 0; i < dim; i++) f += in[inOff + i] * out[o + i];
            scratch[k] = f;
        }
        for (int k = 0; k < count; k++) {
            float f = scratch[k];
            loss += k == 0 ? negLogSigmoid(f) : negLogSigmoid(-f);
            scratch[k] = gradient(f, k == 0 ? 1f : 0f, alpha);
        }
        updateScalar(0, dim, dim, in, inOff, out, targets, count, grad, scratch);
        return loss;
    }
}
