package dev.glassbox.kernels;

import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/** {@link Sgemm}'s products without packing: C scaled by beta, and the direct loops of small and one-row products. */
final class SgemmDirect {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private SgemmDirect() {}

    /** C = beta·C over m rows of n: beta 0 clears C (never reading it), 1 leaves it. */
    static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) return;
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) Arrays.fill(c, row, row + n, 0f);
            else for (int j = 0; j < n; j++) c[row + j] *= beta;
        }
    }

    /** C += alpha·op(A)·op(B) by direct loops, in the loop order that keeps the inner loop contiguous. */
    static void direct(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc) {
        if (!transA && transB) {
            // C[i,j] += dot(A[i,:], B[j,:]): both contiguous along k (a Linear layer's forward)
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[cOff + i * ldc + j] += alpha * VectorKernels.dot(k, a, aOff + i * lda, b, bOff + j * ldb);
                }
            }
        } else if (!transB && n >= L) {
            // C[i,:] += A(i,p) · B[p,:]: rows of B and C are contiguous
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                    if (av != 0f) VectorKernels.axpy(n, av, b, bOff + p * ldb, c, ci);
                }
            }
        } else {
            // short rows: plain loops, with the element strides fixed before the loops
            int aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
            int bCol = transB ? ldb : 1, bStep = transB ? 1 : ldb;
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * aRow;
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * bCol;
                    float s = 0f;
                    for (int p = 0; p < k; p++) s += a[ai + p * aStep] * b[bj + p * bStep];
                    c[cOff + i * ldc + j] += alpha * s;
                }
            }
        }
    }
}
