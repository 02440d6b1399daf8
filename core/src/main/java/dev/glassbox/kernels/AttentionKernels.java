package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The products inside one attention slice (a [64, 64] score matrix of a 32-wide head, say),
 * without {@link Sgemm}'s packing: at these sizes packing A and B cost more than the FMAs
 * (W6's profile: packA and packB 5.4% of samples, the micro-kernel 3.5%, under attention).
 * Every product here is C = alpha·op(A)·B with B's rows contiguous (a Kᵀ or Vᵀ the caller
 * transposes once a slice), computed in tiles of 4 rows × 2 vectors straight from the arrays,
 * and a causal slice's triangle of zeros is skipped ({@link Band}). Scalar twin: {@link #gemmScalar}.
 */
public final class AttentionKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    private static final int MR = 4;

    private AttentionKernels() {}

    /** Which part of a product a causal slice needs; the kernel may skip the rest. */
    public enum Band {
        /** The whole product. */
        FULL,
        /** A(i, p) is zero for p > i (the caller guarantees it): the sum stops at row i. */
        K_UPTO_ROW,
        /** A(i, p) is zero for p < i: the sum starts at row i. */
        K_FROM_ROW,
        /** Only C[i, j] for j ≤ i is wanted; the rest of C is left unspecified. */
        N_UPTO_ROW
    }

    /**
     * dst[c·rows + r] = src[off + r·ld + c]: a [rows, cols] block, transposed into a contiguous
     * [cols, rows], written in order (a third faster than reading in order; a gather per vector
     * of the destination was slower than both).
     */
    public static void transpose(int rows, int cols, float[] src, int off, int ld, float[] dst) {
        for (int c = 0; c < cols; c++) {
            int d = c * rows;
            for (int r = 0; r < rows; r++) dst[d + r] = src[off + r * ld + c];
        }
    }

    /**
     * C[i, j] = alpha·Σp A(i, p)·B[p, j] over m rows, n columns and k terms, where A(i, p) is
     * a[aOff + i·lda + p], or a[aOff + p·lda + i] with {@code transA}; B[p, j] is b[bOff + p·ldb + j];
     * C[i, j] is c[cOff + i·ldc + j] (C is overwritten, never read). {@code band} names the
     * zeros of A the kernel may skip, or the part of C that is wanted.
     */
    public static void gemm(int m, int n, int k, float alpha, boolean transA, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, Band band) {
        if (!Simd.ENABLED) {
            gemmScalar(m, n, k, alpha, transA, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, band);
            return;
        }
        int rowStep = transA ? 1 : lda, pStep = transA ? lda : 1;
        for (int i0 = 0; i0 < m; i0 += MR) {
            int rows = Math.min(MR, m - i0);
            int pLo = band == Band.K_FROM_ROW ? Math.min(i0, k) : 0;
            int pHi = band == Band.K_UPTO_ROW ? Math.min(k, i0 + rows) : k;
            int nHi = band == Band.N_UPTO_ROW ? Math.min(n, (i0 + rows + L - 1) / L * L) : n;
            int ai = aOff + i0 * rowStep;
            if (rows == MR) {
                int j = 0;
                for (; j + 2 * L <= nHi; j += 2 * L) {
                    if (transA) tile4x2Columns(pLo, pHi, alpha, a, ai, lda, b, bOff + j, ldb, c, cOff + i0 * ldc + j, ldc);
                    else tile4x2Rows(pLo, pHi, alpha, a, ai, lda, b, bOff + j, ldb, c, cOff + i0 * ldc + j, ldc);
                }
                for (; j < nHi; j += L) {
                    tile4x1(pLo, pHi, alpha, a, ai, rowStep, pStep, b, bOff + j, ldb, c, cOff + i0 * ldc + j, ldc, F.indexInRange(j, nHi));
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < nHi; j += L) {
                        row1(pLo, pHi, alpha, a, ai + r * rowStep, pStep, b, bOff + j, ldb, c, cOff + (i0 + r) * ldc + j, F.indexInRange(j, nHi));
                    }
                }
            }
        }
    }

    /*
     * The tiles step their indices by themselves, A's by the loop (rows: p itself; columns: the
     * four values side by side), B's by adding ldb: with A(i, p) at a0 + p·pStep for each of the
     * four rows, C2 checked the four indices at every step (a stride that is not a constant
     * leaves the range checks in the loop), and the tiles ran 1.25–1.35× slower on both AVX2 and
     * AVX-512 (64 × 64 × 32 and 64 × 32 × 64, docs/benchmarks.md). Two twins, not one tile with
     * the rows' offsets as arguments: that one (ap += pStep, A at ap + r·rowStep) was 0.87–0.97 of
     * the twins in the same harness. Each tile stores its own accumulators: handed to a shared
     * method, they could be boxed wherever it is not inlined.
     */

    /** Four rows of A stored by rows ({@code lda} apart) times two vectors of B's columns: 8 accumulators, 2 loads of B and 4 broadcasts of A a step. */
    private static void tile4x2Rows(int pLo, int pHi, float alpha, float[] a, int ai, int lda, float[] b, int bj, int ldb,
                                    float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int r1 = lda, r2 = 2 * lda, r3 = 3 * lda;
        for (int p = ai + pLo, end = ai + pHi, bp = bj + pLo * ldb; p < end; p++, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp), b1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[p + r1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[p + r2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[p + r3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.mul(alpha).intoArray(c, ci);
        c01.mul(alpha).intoArray(c, ci + L);
        c10.mul(alpha).intoArray(c, ci + ldc);
        c11.mul(alpha).intoArray(c, ci + ldc + L);
        c20.mul(alpha).intoArray(c, ci + 2 * ldc);
        c21.mul(alpha).intoArray(c, ci + 2 * ldc + L);
        c30.mul(alpha).intoArray(c, ci + 3 * ldc);
        c31.mul(alpha).intoArray(c, ci + 3 * ldc + L);
    }

    /** As {@link #tile4x2Rows} with A stored transposed: A(i, p) at a[ai + p·lda + i], the four rows' values side by side. */
    private static void tile4x2Columns(int pLo, int pHi, float alpha, float[] a, int ai, int lda, float[] b, int bj, int ldb,
                                       float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = pLo, ap = ai + pLo * lda, bp = bj + pLo * ldb; p < pHi; p++, ap += lda, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp), b1 = FloatVector.fromArray(F, b, bp + L);
            FloatVector x = FloatVector.broadcast(F, a[ap]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, a[ap + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, a[ap + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, a[ap + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.mul(alpha).intoArray(c, ci);
        c01.mul(alpha).intoArray(c, ci + L);
        c10.mul(alpha).intoArray(c, ci + ldc);
        c11.mul(alpha).intoArray(c, ci + ldc + L);
        c20.mul(alpha).intoArray(c, ci + 2 * ldc);
        c21.mul(alpha).intoArray(c, ci + 2 * ldc + L);
        c30.mul(alpha).intoArray(c, ci + 3 * ldc);
        c31.mul(alpha).intoArray(c, ci + 3 * ldc + L);
    }

    /** Four rows of C times one vector of columns, its lanes past the edge masked off (rows {@code rowStep} apart in A). */
    private static void tile4x1(int pLo, int pHi, float alpha, float[] a, int ai, int rowStep, int pStep, float[] b, int bj, int ldb,
                                float[] c, int ci, int ldc, VectorMask<Float> mask) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        int r1 = rowStep, r2 = 2 * rowStep, r3 = 3 * rowStep;
        for (int p = pLo, ap = ai + pLo * pStep, bp = bj + pLo * ldb; p < pHi; p++, ap += pStep, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp, mask);
            c0 = FloatVector.broadcast(F, a[ap]).fma(b0, c0);
            c1 = FloatVector.broadcast(F, a[ap + r1]).fma(b0, c1);
            c2 = FloatVector.broadcast(F, a[ap + r2]).fma(b0, c2);
            c3 = FloatVector.broadcast(F, a[ap + r3]).fma(b0, c3);
        }
        c0.mul(alpha).intoArray(c, ci, mask);
        c1.mul(alpha).intoArray(c, ci + ldc, mask);
        c2.mul(alpha).intoArray(c, ci + 2 * ldc, mask);
        c3.mul(alpha).intoArray(c, ci + 3 * ldc, mask);
    }

    /** One row of C times one vector of columns (the rows left after the tiles of four). */
    private static void row1(int pLo, int pHi, float alpha, float[] a, int ai, int pStep, float[] b, int bj, int ldb,
                             float[] c, int ci, VectorMask<Float> mask) {
        FloatVector acc = FloatVector.zero(F);
        for (int p = pLo, ap = ai + pLo * pStep, bp = bj + pLo * ldb; p < pHi; p++, ap += pStep, bp += ldb) {
            acc = FloatVector.broadcast(F, a[ap]).fma(FloatVector.fromArray(F, b, bp, mask), acc);
        }
        acc.mul(alpha).intoArray(c, ci, mask);
    }

    /** {@link #gemm}'s scalar twin: the whole sum for every element (bands change nothing but speed). */
    public static void gemmScalar(int m, int n, int k, float alpha, boolean transA, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float[] c, int cOff, int ldc, Band band) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) s += (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]) * b[bOff + p * ldb + j];
                c[cOff + i * ldc + j] = alpha * s;
            }
        }
    }
}
