package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
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
     * the true word (label 1), the others are negatives (label 0). For each target t in turn:
     * f = in·out_t, g = (label − σ(f))·alpha, grad += g·out_t, then out_t += g·in. The input
     * itself is not changed: the caller adds {@code grad} (dim floats, zeroed here first) where it
     * belongs. Returns the summed loss −ln σ(f) for the true word and −ln σ(−f) for each negative.
     */
    public static float negativeSampling(int dim, float[] in, int inOff, float[] out, int[] targets, int count, float alpha,
                                         float[] grad) {
        if (!Simd.ENABLED || dim < L) return negativeSamplingScalar(dim, in, inOff, out, targets, count, alpha, grad);
        java.util.Arrays.fill(grad, 0, dim, 0f);
        int bound = F.loopBound(dim);
        float loss = 0f;
        for (int k = 0; k < count; k++) {
            int o = targets[k] * dim;
            float label = k == 0 ? 1f : 0f;
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (; i < bound; i += L) acc = FloatVector.fromArray(F, in, inOff + i).fma(FloatVector.fromArray(F, out, o + i), acc);
            float f = VectorKernels.sumLanes(acc);
            for (; i < dim; i++) f += in[inOff + i] * out[o + i];
            loss += k == 0 ? negLogSigmoid(f) : negLogSigmoid(-f);
            float g = gradient(f, label, alpha);
            FloatVector gv = FloatVector.broadcast(F, g);
            i = 0;
            for (; i < bound; i += L) {
                FloatVector ov = FloatVector.fromArray(F, out, o + i);
                ov.fma(gv, FloatVector.fromArray(F, grad, i)).intoArray(grad, i);
                FloatVector.fromArray(F, in, inOff + i).fma(gv, ov).intoArray(out, o + i);
            }
            for (; i < dim; i++) {
                float ov = out[o + i];
                grad[i] += g * ov;
                out[o + i] = ov + g * in[inOff + i];
            }
        }
        return loss;
    }

    /** The scalar twin of {@link #negativeSampling}, summing in the same order within a row. */
    public static float negativeSamplingScalar(int dim, float[] in, int inOff, float[] out, int[] targets, int count, float alpha,
                                               float[] grad) {
        java.util.Arrays.fill(grad, 0, dim, 0f);
        float loss = 0f;
        for (int k = 0; k < count; k++) {
            int o = targets[k] * dim;
            float f = 0f;
            for (int i = 0; i < dim; i++) f += in[inOff + i] * out[o + i];
            loss += k == 0 ? negLogSigmoid(f) : negLogSigmoid(-f);
            float g = gradient(f, k == 0 ? 1f : 0f, alpha);
            for (int i = 0; i < dim; i++) {
                float ov = out[o + i];
                grad[i] += g * ov;
                out[o + i] = ov + g * in[inOff + i];
            }
        }
        return loss;
    }
}
