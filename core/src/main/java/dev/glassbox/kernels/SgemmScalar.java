package dev.glassbox.kernels;

/**
 * The scalar twin of {@link Sgemm}: three plain loops, kept as the algorithmic reference that
 * the fast kernel is tested against (and used everywhere with {@code -Dglassbox.simd=false}).
 *
 * <p>Row-major: {@code op(A)} is m×k, {@code op(B)} is k×n, C is m×n;
 * {@code C = alpha·op(A)·op(B) + beta·C}. With {@code transA}, A is stored k×m;
 * with {@code transB}, B is stored n×k.
 */
public final class SgemmScalar {
    private SgemmScalar() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * sum + (beta == 0f ? 0f : beta * c[ci]);
            }
        }
    }
}
