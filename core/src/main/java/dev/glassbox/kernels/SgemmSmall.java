package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Sgemm}'s small products with few columns (the course's 25-3-3-10 network: a batch of 32
 * through layers of 3 and 10 nodes): op(B) is copied into rows padded to whole vectors, and C
 * is computed four rows at a time, one or two vectors of columns, the elements of op(A)
 * broadcast. The direct loops spent most of W3's step here: a vector dot product and a sum
 * across lanes for each element of C over a k of 25 or 3, or scalar loops for columns narrower
 * than a vector. Each element of C is summed over k in order, as the scalar twin does.
 */
final class SgemmSmall {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** The most columns of C this kernel takes (wider rows are contiguous vectors for the direct loops already). */
    static final int MAX_N = 4 * L;

    /** Each thread's padded copy of op(B) and one row of results. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[2 * L]});

    /** The deepest k this kernel takes: beyond it the direct loops' dot products along k win. */
    static final int MAX_K = 256;

    /** {@code -Dglassbox.sgemm.small=false} leaves every small product to the direct loops (for A/B runs). */
    static boolean enabled = !"false".equalsIgnoreCase(System.getProperty("glassbox.sgemm.small"));

    private SgemmSmall() {}

    /** Whether a small product (under {@link Sgemm}'s direct-loop size) comes here: two rows or more, up to {@link #MAX_N} columns and {@link #MAX_K} deep. */
    static boolean takes(int m, int n, int k) {
        return enabled && m >= 2 && n <= MAX_N && k <= MAX_K;
    }

    /** C += alpha·op(A)·op(B) for n ≤ {@link #MAX_N}. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        int nPad = (n + L - 1) / L * L;
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < k * nPad) scratch[0] = new float[k * nPad];
        float[] bp = scratch[0], row = scratch[1];
        // op(B) as k rows of nPad, zeros past n
        for (int p = 0; p < k; p++) {
            int o = p * nPad;
            if (transB) {
                for (int j = 0; j < n; j++) bp[o + j] = b[bOff + j * ldb + p];
            } else {
                System.arraycopy(b, bOff + p * ldb, bp, o, n);
            }
            if (n < nPad) java.util.Arrays.fill(bp, o + n, o + nPad, 0f);
        }
        int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
        for (int j0 = 0; j0 < n; j0 += 2 * L) {
            boolean two = j0 + L < n;
            int i = 0;
            for (; i + 4 <= m; i += 4) rows4(two, k, alpha, a, aOff + i * aRow, aRow, aStep, bp, j0, nPad, c, cOff + i * ldc + j0, ldc, n - j0, row);
            for (; i < m; i++) row1(two, k, alpha, a, aOff + i * aRow, aStep, bp, j0, nPad, c, cOff + i * ldc + j0, n - j0, row);
        }
    }

    /** Rows i..i+3 of C at columns j0.. (one vector, or two with {@code two}); {@code cols} columns of C from j0 are real. */
    private static void rows4(boolean two, int k, float alpha, float[] a, int ai, int aRow, int aStep, float[] bp, int j0, int nPad,
                              float[] c, int ci, int ldc, int cols, float[] row) {
        FloatVector c00 = FloatVector.zero(F), c10 = c00, c20 = c00, c30 = c00;
        FloatVector c01 = c00, c11 = c00, c21 = c00, c31 = c00;
        for (int p = 0, bo = j0; p < k; p++, bo += nPad) {
            int ap = ai + p * aStep;
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector a0 = FloatVector.broadcast(F, a[ap]), a1 = FloatVector.broadcast(F, a[ap + aRow]);
            FloatVector a2 = FloatVector.broadcast(F, a[ap + 2 * aRow]), a3 = FloatVector.broadcast(F, a[ap + 3 * aRow]);
            c00 = a0.fma(b0, c00);
            c10 = a1.fma(b0, c10);
            c20 = a2.fma(b0, c20);
            c30 = a3.fma(b0, c30);
            if (two) {
                FloatVector b1 = FloatVector.fromArray(F, bp, bo + L);
                c01 = a0.fma(b1, c01);
                c11 = a1.fma(b1, c11);
                c21 = a2.fma(b1, c21);
                c31 = a3.fma(b1, c31);
            }
        }
        add(c00, c01, two, alpha, c, ci, cols, row);
        add(c10, c11, two, alpha, c, ci + ldc, cols, row);
        add(c20, c21, two, alpha, c, ci + 2 * ldc, cols, row);
        add(c30, c31, two, alpha, c, ci + 3 * ldc, cols, row);
    }

    /** One row of C at columns j0.. (one vector, or two with {@code two}). */
    private static void row1(boolean two, int k, float alpha, float[] a, int ai, int aStep, float[] bp, int j0, int nPad,
                             float[] c, int ci, int cols, float[] row) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0;
        for (int p = 0, bo = j0; p < k; p++, bo += nPad) {
            FloatVector av = FloatVector.broadcast(F, a[ai + p * aStep]);
            c0 = av.fma(FloatVector.fromArray(F, bp, bo), c0);
            if (two) c1 = av.fma(FloatVector.fromArray(F, bp, bo + L), c1);
        }
        add(c0, c1, two, alpha, c, ci, cols, row);
    }

    /** C[ci ..] += alpha·(acc0, acc1): whole vectors where all their columns are C's, the rest through {@code row}. */
    private static void add(FloatVector acc0, FloatVector acc1, boolean two, float alpha, float[] c, int ci, int cols, float[] row) {
        int w = two ? 2 * L : L;
        if (cols >= w) {
            FloatVector av = FloatVector.broadcast(F, alpha);
            acc0.fma(av, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
            if (two) acc1.fma(av, FloatVector.fromArray(F, c, ci + L)).intoArray(c, ci + L);
            return;
        }
        acc0.intoArray(row, 0);
        if (two) acc1.intoArray(row, L);
        for (int j = 0; j < cols; j++) c[ci + j] = Math.fma(alpha, row[j], c[ci + j]);   // as the vectors' fma
    }
}
