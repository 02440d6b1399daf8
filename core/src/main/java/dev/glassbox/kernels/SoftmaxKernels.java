package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Softmax and log-softmax along rows: long rows a vector at a time, rows shorter than a vector all at once. */
public final class SoftmaxKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private SoftmaxKernels() {}

    /** Softmax (or log-softmax) of each of {@code rows} contiguous rows of {@code cols}: max-shifted, so stable. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] out, int oOff, boolean log) {
        if (Simd.ENABLED && cols < L && (long) rows * cols >= L) {
            shortRows(rows, cols, x, xOff, out, oOff, log);
            return;
        }
        if (!Simd.ENABLED || cols < L) {
            ScalarKernels.softmaxRows(rows, cols, x, xOff, out, oOff, log);
            return;
        }
        int bound = F.loopBound(cols);
        float[] scratch = log ? new float[bound] : null;
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * cols, ob = oOff + r * cols;
            float m = VectorKernels.max(cols, x, xb);
            // pass 1: e = exp(x - m), into out (or a scratch row for log-softmax, whose out may be x), summed
            float[] ex = log ? scratch : out;
            int eb = log ? 0 : ob;
            VectorKernels.expInto(x, xb, ex, eb, bound, 1f, -m);
            FloatVector acc = FloatVector.zero(F);
            int j = 0;
            for (; j < bound; j += L) acc = acc.add(FloatVector.fromArray(F, ex, eb + j));
            float s = VectorKernels.sumLanes(acc);
            for (; j < cols; j++) {
                float e = (float) Math.exp(x[xb + j] - m);
                s += e;
                if (!log) out[ob + j] = e;
            }
            if (log) {
                VectorKernels.affine(cols, 1f, -(m + (float) Math.log(s)), x, xb, out, ob);
            } else {
                VectorKernels.affine(cols, 1f / s, 0f, out, ob, out, ob);
            }
        }
    }

    /**
     * {@link #softmaxRows} for rows shorter than a vector (ten classes on AVX-512): each row
     * shifted by its maximum, then the exponentials of all rows at once in whole vectors, instead
     * of Math.exp one value at a time (a tenth of W3's step).
     */
    private static void shortRows(int rows, int cols, float[] x, int xOff, float[] out, int oOff, boolean log) {
        int n = rows * cols;
        float[] e = new float[n], m = new float[rows];
        for (int r = 0; r < rows; r++) {
            int xb = xOff + r * cols;
            float mr = VectorKernels.max(cols, x, xb);
            m[r] = mr;
            for (int j = 0; j < cols; j++) e[r * cols + j] = x[xb + j] - mr;
        }
        int bound = F.loopBound(n);
        VectorKernels.expInto(e, 0, e, 0, bound, 1f, 0f);
        for (int i = bound; i < n; i++) e[i] = (float) Math.exp(e[i]);
        for (int r = 0; r < rows; r++) {
            int eb = r * cols, xb = xOff + eb, ob = oOff + eb;
            float s = 0f;
            for (int j = 0; j < cols; j++) s += e[eb + j];
            if (log) {
                float lse = m[r] + (float) Math.log(s);
                for (int j = 0; j < cols; j++) out[ob + j] = x[xb + j] - lse;
            } else {
                float inv = 1f / s;
                for (int j = 0; j < cols; j++) out[ob + j] = e[eb + j] * inv;
            }
        }
    }
}
