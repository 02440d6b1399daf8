package dev.glassbox.tensor;

import dev.glassbox.kernels.Sgemm;

/**
 * BLAS-style products over plain float arrays, for code that keeps its own buffers
 * (benchmarks, interop, hot loops outside autograd): the same SGEMM that {@link Tensor#matmul}
 * and the layers run. Row-major; {@code op(X)} is X or its transpose.
 *
 * <pre>{@code
 * Blas.sgemm(Blas.Op.N, Blas.Op.T, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);   // C = A·Bᵀ
 * }</pre>
 */
public final class Blas {
    /** Whether an operand is used as it is ({@code N}) or transposed ({@code T}). */
    public enum Op { N, T }

    private Blas() {}

    /**
     * C = alpha·op(A)·op(B) + beta·C, with op(A) m×k, op(B) k×n and C m×n, each stored from its
     * offset with the given row stride (leading dimension).
     */
    public static void sgemm(Op opA, Op opB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Sgemm.sgemm(opA == Op.T, opB == Op.T, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
