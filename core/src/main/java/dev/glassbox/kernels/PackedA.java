package dev.glassbox.kernels;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/**
 * op(A) packed once into {@link Sgemm}'s panels of MR rows, for many products with the same A
 * and different B ({@link Sgemm#sgemm(PackedA, boolean, int, float[], int, int, float, float[], int, int)}):
 * a convolution's input gradient multiplies the same Wᵀ by the gradient of a few images at a
 * time, and packing all of Wᵀ for each of those products took a quarter of their time (the
 * DCGAN's 1,024 × 128). A snapshot: later changes to the source array are not seen.
 */
public final class PackedA {
    final int m, k;
    /** Panels (SIMD): slice pc at pc·mPad, its row block ic at (ic / MR)·kc·MR; or op(A) as a plain row-major m×k copy (scalar). */
    final float[] data;

    private PackedA(int m, int k, float[] data) {
        this.m = m;
        this.k = k;
        this.data = data;
    }

    /** Rows of op(A). */
    public int m() {
        return m;
    }

    /** Columns of op(A): the shared dimension. */
    public int k() {
        return k;
    }

    static PackedA pack(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        if (m < 0 || k < 0) throw new IllegalArgumentException("sgemm pack: negative size " + m + "×" + k);
        if (!Simd.ENABLED) {
            float[] copy = new float[m * k];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) copy[i * k + p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            }
            return new PackedA(m, k, copy);
        }
        int mPad = (m + MR - 1) / MR * MR, block = Sgemm.rowBlock(Math.max(1, m));
        float[] data = new float[mPad * k];
        for (int pc = 0, ks = Sgemm.kSlice(k); pc < k; pc += ks) {
            int kc = Math.min(ks, k - pc);
            for (int ic = 0; ic < m; ic += block) {
                SgemmPack.packA(transA, Math.min(block, m - ic), kc, 1f, a, aOff, lda, ic, pc, data, pc * mPad + (ic / MR) * kc * MR);
            }
        }
        return new PackedA(m, k, data);
    }

    /** C = A·op(B) + beta·C; the threads take chunks of columns, each packing its own panels of B. */
    static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int m = a.m, k = a.k;
        if (m <= 0 || n <= 0) return;
        if (!Simd.ENABLED) {
            SgemmScalar.sgemm(false, transB, m, n, k, 1f, a.data, 0, k, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean overwrite = beta == 0f;
        if (!overwrite || k == 0) SgemmDirect.scaleC(m, n, beta, c, cOff, ldc);
        if (k == 0) return;
        int mPad = (m + MR - 1) / MR * MR;
        SgemmFewRows.forParts(m, n, (j0, j1, i0, i1) -> SgemmFewRows.columns(j0, j1, i0, i1, false, null, 0, 0, a.data, mPad, k, transB,
                b, bOff, ldb, c, cOff, ldc, overwrite, Sgemm.BUFFERS.get()));
    }
}
