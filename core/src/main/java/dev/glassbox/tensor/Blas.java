package dev.glassbox.tensor;

import dev.glassbox.kernels.CpuInfo;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.Simd;
import dev.glassbox.kernels.VectorKernels;

/**
 * BLAS-style routines over plain float arrays, for code that keeps its own buffers
 * (benchmarks, interop, Hogwild word2vec, nearest-neighbour search): the same kernels that
 * {@link Tensor#matmul} and the layers run. Row-major; {@code op(X)} is X or its transpose.
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

    /** x·y over {@code n} values from the offsets. */
    public static float sdot(int n, float[] x, int xOff, float[] y, int yOff) { return VectorKernels.dot(n, x, xOff, y, yOff); }

    /** y += alpha·x over {@code n} values from the offsets. */
    public static void saxpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) { VectorKernels.axpy(n, alpha, x, xOff, y, yOff); }

    /** out = alpha·x over {@code n} values ({@code out} may be {@code x}). */
    public static void sscal(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
        VectorKernels.affine(n, alpha, 0f, x, xOff, out, outOff);
    }

    /**
     * Floats in one vector register here (8 with AVX2, 16 with AVX-512): rows padded to a
     * multiple of it are handled by the routines above without a scalar tail.
     */
    public static int vectorLength() { return Simd.lanes(); }

    /** The CPU's model name, as /proc/cpuinfo gives it ("unknown" elsewhere). */
    public static String cpuModel() { return CpuInfo.MODEL; }

    /** Bytes of a core's L1 data cache (from sysfs or getconf; 32 KB when neither says). */
    public static int l1dCacheBytes() { return CpuInfo.L1D; }

    /** Bytes of a core's L2 cache (from sysfs or getconf; 512 KB when neither says). */
    public static int l2CacheBytes() { return CpuInfo.L2; }

    /** SGEMM's register tile and block sizes, as chosen from the vector width and the caches: "8x32 tile, kc 256, mc 128". */
    public static String sgemmBlocking() { return Sgemm.blocking(); }

    /** Where the cache sizes came from: "sysfs", "getconf" or "default". */
    public static String cacheSource() { return CpuInfo.SOURCE; }
}
