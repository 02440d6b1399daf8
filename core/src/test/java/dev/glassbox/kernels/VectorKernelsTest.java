package dev.glassbox.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Each vectorized kernel against its scalar twin, over sizes with and without a tail, at offsets. */
class VectorKernelsTest {
    private static void close(float[] fast, float[] slow, float rel, String what) {
        for (int i = 0; i < fast.length; i++) {
            float a = fast[i], b = slow[i];
            if (Float.isNaN(a) && Float.isNaN(b)) continue;
            if (Math.abs(a - b) > rel * Math.max(1f, Math.max(Math.abs(a), Math.abs(b)))) {
                fail(what + " [" + i + "]: fast " + a + ", scalar " + b);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 255, 1023, 70001})
    void binaryOpsMatchTwin(int n) {
        Random r = new Random(n);
        float[] a = SgemmTest.rand(r, n + 4), b = SgemmTest.rand(r, n + 4);
        for (int i = 0; i < b.length; i++) if (Math.abs(b[i]) < 0.1f) b[i] = 0.5f;
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) continue;
            for (int[] steps : new int[][] {{1, 1}, {1, 0}, {0, 1}, {0, 0}}) {
                float[] f = new float[n + 2], s = new float[n + 2];
                VectorKernels.binary(op, n, a, 3, steps[0], b, 1, steps[1], f, 2);
                ScalarKernels.binary(op, n, a, 3, steps[0], b, 1, steps[1], s, 2);
                close(f, s, 1e-6f, op + " steps " + steps[0] + "," + steps[1] + " n=" + n);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 255, 1023, 70001})
    void unaryOpsMatchTwin(int n) {
        Random r = new Random(n);
        float[] x = SgemmTest.rand(r, n + 3);
        for (int i = 0; i < x.length; i++) x[i] *= 4f;
        float[] pos = x.clone();
        for (int i = 0; i < pos.length; i++) pos[i] = Math.abs(pos[i]) + 1e-3f;
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? pos : x;
            float[] f = new float[n + 1], s = new float[n + 1];
            VectorKernels.unary(op, n, in, 3, f, 1);
            ScalarKernels.unary(op, n, in, 3, s, 1);
            close(f, s, 2e-6f, op + " n=" + n);
        }
        float[] g = SgemmTest.rand(r, n), f = new float[n], s = new float[n];
        GeluKernels.geluBackward(n, g, x, f);
        ScalarKernels.geluBackward(n, g, 0, x, 0, s, 0);
        close(f, s, 2e-6f, "gelu backward n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 255, 1023, 70001})
    void reductionsAndBlasOneMatchTwin(int n) {
        Random r = new Random(n + 100);
        float[] x = SgemmTest.rand(r, n + 2), y = SgemmTest.rand(r, n + 2);
        assertEquals(ScalarKernels.sum(n, x, 2), VectorKernels.sum(n, x, 2), 1e-4f * n);
        assertEquals(ScalarKernels.max(n, x, 1), VectorKernels.max(n, x, 1), 0f);
        assertEquals(ScalarKernels.dot(n, x, 1, y, 2), VectorKernels.dot(n, x, 1, y, 2), 1e-4f * n);
        assertEquals(ScalarKernels.dot(n, x, 0, x, 0), LayerKernels.sumOfSquares(n, x), 1e-4 * n, "sum of squares");
        float[] a1 = y.clone(), a2 = y.clone();
        VectorKernels.axpy(n, 0.3f, x, 2, a1, 1);
        ScalarKernels.axpy(n, 0.3f, x, 2, a2, 1);
        close(a1, a2, 1e-6f, "axpy");
        float[] f1 = new float[n], f2 = new float[n];
        VectorKernels.affine(n, -2f, 0.5f, x, 1, f1, 0);
        ScalarKernels.affine(n, -2f, 0.5f, x, 1, f2, 0);
        close(f1, f2, 1e-6f, "affine");
        float[] g = SgemmTest.rand(r, n), yv = new float[n], o1 = new float[n], o2 = new float[n];
        ScalarKernels.unary(UnaryOp.SIGMOID, n, x, 0, yv, 0);
        VectorKernels.sigmoidBackward(n, g, yv, o1);
        ScalarKernels.sigmoidBackward(n, g, yv, o2);
        close(o1, o2, 1e-6f, "sigmoid backward");
        VectorKernels.tanhBackward(n, g, yv, o1);
        ScalarKernels.tanhBackward(n, g, yv, o2);
        close(o1, o2, 1e-6f, "tanh backward");
        float[] xs = x.clone();
        if (n > 3) {   // a NaN, a −0 and a +0: NaN stays NaN, −0 stays −0 (0.2·−0), +0 takes the slope
            xs[0] = Float.NaN;
            xs[1] = -0f;
            xs[2] = 0f;
        }
        LayerKernels.leakyRelu(n, null, xs, 0.2f, o1);
        ScalarKernels.leakyRelu(n, null, xs, 0, 0.2f, o2);
        close(o1, o2, 0f, "leaky relu");
        if (n > 3) assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(o1[1]), "leaky relu of −0");
        LayerKernels.leakyRelu(n, g, xs, 0.2f, o1);
        ScalarKernels.leakyRelu(n, g, xs, 0, 0.2f, o2);
        close(o1, o2, 0f, "leaky relu backward");
        assertEquals(ScalarKernels.sumSquaredDeviations(n, x, 2, 0.3f), LayerKernels.sumSquaredDeviations(n, x, 2, 0.3f), 1e-4f * n, "squared deviations");
        LayerKernels.batchNormBackward(n, 0.7f, g, 0, 0.2f, x, 1, -0.1f, o1, 0);
        ScalarKernels.batchNormBackward(n, 0.7f, g, 0, 0.2f, x, 1, -0.1f, o2, 0);
        close(o1, o2, 1e-6f, "batch norm backward");
        VectorKernels.reluBackward(n, g, x, o1);
        ScalarKernels.reluBackward(n, g, x, o2);
        close(o1, o2, 0f, "relu backward");
        float[] z = x.clone();
        if (n > 3) {   // a NaN, a zero and a value that becomes exactly 0 after the bias
            z[1] = Float.NaN;
            z[2] = 0f;
            z[3] = -0.25f;
        }
        float[] b1 = new float[n + 1], b2 = new float[n + 1];
        VectorKernels.biasRelu(n, z, 1, 0.25f, b1, 1);
        ScalarKernels.biasRelu(n, z, 1, 0.25f, b2, 1);
        close(b1, b2, 0f, "bias + relu");
        if (n > 3) assertEquals(true, Float.isNaN(b1[1]), "relu keeps NaN");
        float[] m1 = new float[n + 2], m2 = new float[n + 2];
        VectorKernels.reluMask(n, g, 0, b1, 1, m1, 2);
        ScalarKernels.reluMask(n, g, 0, b1, 1, m2, 2);
        close(m1, m2, 0f, "relu mask at offsets");
        int[] index = new int[n + 3];
        for (int i = 0; i < index.length; i++) index[i] = (i * 7919) % (n + 1);   // any order, repeats
        float[] q1 = new float[n + 2], q2 = new float[n + 2];
        LayerKernels.gather(n, x, 1, index, 2, q1, 1);
        ScalarKernels.gather(n, x, 1, index, 2, q2, 1);
        close(q1, q2, 0f, "gather at offsets");
        for (int i = 0; i < n; i++) assertEquals(x[1 + index[2 + i]], q1[1 + i], "gather [" + i + "]");
        int slots = 3;   // three slots a value, some not valid: the sums added to what dst holds
        int[] si = new int[slots * n];
        boolean[] valid = new boolean[slots * n];
        for (int i = 0; i < si.length; i++) {
            si[i] = (i * 31 + 5) % (n + 1);
            valid[i] = (i * 13) % 5 != 0;
        }
        float[] s1 = y.clone(), s2 = y.clone();
        LayerKernels.gatherSum(n, slots, x, 1, si, valid, s1, 2);
        ScalarKernels.gatherSum(n, slots, x, 1, si, valid, s2, 2);
        close(s1, s2, 0f, "gather-sum at offsets");
        for (int e = 0; e < n; e++) {
            float want = 0f;
            for (int q = 0; q < slots; q++) if (valid[q * n + e]) want += x[1 + si[q * n + e]];
            assertEquals(y[2 + e] + want, s1[2 + e], "gather-sum [" + e + "]");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 255, 1023})
    void softmaxRowsMatchTwin(int cols) {
        Random r = new Random(cols);
        int rows = 3;
        float[] x = SgemmTest.rand(r, rows * cols + 1);
        for (int i = 0; i < x.length; i++) x[i] *= 10f;
        for (boolean log : new boolean[] {false, true}) {
            float[] f = new float[rows * cols], s = new float[rows * cols];
            SoftmaxKernels.softmaxRows(rows, cols, x, 1, f, 0, log);
            ScalarKernels.softmaxRows(rows, cols, x, 1, s, 0, log);
            close(f, s, 2e-5f, (log ? "log_softmax" : "softmax") + " cols=" + cols);
        }
    }

    /** Rows shorter than a vector (W3's ten classes over a batch of 32): all rows' exponentials at once, at offsets and in place. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 10})
    void softmaxOfShortRowsMatchesTwin(int cols) {
        for (int rows : new int[] {2, 7, 32}) {
            Random r = new Random(rows * 100 + cols);
            float[] x = SgemmTest.rand(r, rows * cols + 3);
            for (int i = 0; i < x.length; i++) x[i] *= 20f;
            for (boolean log : new boolean[] {false, true}) {
                float[] f = new float[rows * cols + 2], s = new float[rows * cols + 2];
                SoftmaxKernels.softmaxRows(rows, cols, x, 3, f, 2, log);
                ScalarKernels.softmaxRows(rows, cols, x, 3, s, 2, log);
                close(f, s, 2e-5f, (log ? "log_softmax" : "softmax") + " rows=" + rows + " cols=" + cols);
                float[] inPlace = x.clone();
                SoftmaxKernels.softmaxRows(rows, cols, inPlace, 3, inPlace, 3, log);
                close(java.util.Arrays.copyOfRange(inPlace, 3, inPlace.length), java.util.Arrays.copyOfRange(s, 2, s.length), 2e-5f,
                        "in place, rows=" + rows + " cols=" + cols);
            }
        }
    }

    @Test
    void vectorExpIsWithinTwoUlpOfMathExpAndSaturates() {
        int n = 200_000;
        float[] x = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) x[i] = -87f + 175.7f * i / n;
        VectorKernels.unary(UnaryOp.EXP, n, x, 0, out, 0);
        for (int i = 0; i < n; i++) {
            float want = (float) Math.exp(x[i]);
            if (Math.abs(out[i] - want) > 2 * Math.ulp(want)) fail("exp(" + x[i] + "): " + out[i] + ", Math.exp " + want);
        }
        float[] edge = {-1000f, -88f, 89f, 1000f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f};
        float[] e = new float[8];
        VectorKernels.unary(UnaryOp.EXP, 8, edge, 0, e, 0);
        assertEquals(0f, e[0]);
        assertTrue(e[1] >= 0f && e[1] < 1e-37f);
        assertEquals(Float.POSITIVE_INFINITY, e[2]);
        assertEquals(Float.POSITIVE_INFINITY, e[3]);
        assertTrue(Float.isNaN(e[4]));
        assertEquals(0f, e[5]);
        assertEquals(Float.POSITIVE_INFINITY, e[6]);
        assertEquals(1f, e[7]);
    }

    @Test
    void softmaxIsStableForHugeLogits() {
        float[] x = {1000f, 1001f, 1002f, -1000f, 0f, 5f, 6f, 7f, 8f}, out = new float[9];
        SoftmaxKernels.softmaxRows(1, 9, x, 0, out, 0, false);
        float s = 0;
        for (float v : out) {
            assertTrue(Float.isFinite(v));
            s += v;
        }
        assertEquals(1f, s, 1e-5f);
        assertEquals(0.66524f, out[2], 1e-4f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 17, 1023, 70001})
    void adamMatchesTwin(int n) {
        Random r = new Random(n);
        float[] p1 = SgemmTest.rand(r, n + 1), g = SgemmTest.rand(r, n + 1);
        float[] p2 = p1.clone(), m1 = new float[n], v1 = new float[n], m2 = new float[n], v2 = new float[n];
        for (int t = 1; t <= 3; t++) {
            float bc1 = (float) (1 - Math.pow(0.9, t)), bc2 = (float) (1 - Math.pow(0.999, t));
            AdamKernel.step(n, p1, 1, g, 1, m1, v1, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, bc1, bc2);
            AdamKernel.stepScalar(n, p2, 1, g, 1, m2, v2, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, bc1, bc2);
        }
        close(p1, p2, 1e-6f, "adam p");
        close(m1, m2, 1e-6f, "adam m");
        close(v1, v2, 1e-6f, "adam v");
    }

    /**
     * All parameters in one update ({@link AdamKernel#stepAll}) give the bits of one update per
     * parameter ({@link AdamKernel#step}), on one thread and on all of them: sizes around the
     * vector length and the grain, small and large together (W2's six parameters), weight decay on.
     */
    @org.junit.jupiter.api.Test
    void adamOverAllParametersIsAdamOverEachOnAnyNumberOfThreads() {
        int[] sizes = {200_704, 256, 32_768, 128, 1_280, 10, 1, 15, 17, 4_095, 4_097, 70_001};
        Random r = new Random(11);
        float[][] p0 = new float[sizes.length][], g = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            p0[i] = SgemmTest.rand(r, sizes[i]);
            g[i] = SgemmTest.rand(r, sizes[i]);
        }
        int before = Parallel.threads();
        try {
            for (int threads = 1; threads <= Math.max(2, before); threads++) {
                Parallel.setThreads(threads);
                float[][] pa = deepCopy(p0), pb = deepCopy(p0), ma = zerosLike(p0), va = zerosLike(p0), mb = zerosLike(p0), vb = zerosLike(p0);
                for (int t = 1; t <= 3; t++) {
                    float bc1 = (float) (1 - Math.pow(0.9, t)), bc2 = (float) (1 - Math.pow(0.999, t));
                    AdamKernel.stepAll(pa, g, ma, va, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, bc1, bc2);
                    for (int i = 0; i < sizes.length; i++) {
                        AdamKernel.step(sizes[i], pb[i], 0, g[i], 0, mb[i], vb[i], 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f, bc1, bc2);
                    }
                }
                for (int i = 0; i < sizes.length; i++) {
                    assertArrayEquals(pb[i], pa[i], 0f, threads + " threads, parameter " + i + " of " + sizes[i]);
                    assertArrayEquals(mb[i], ma[i], 0f, threads + " threads, m of parameter " + i);
                    assertArrayEquals(vb[i], va[i], 0f, threads + " threads, v of parameter " + i);
                    assertNotEquals(p0[i][0], pa[i][0], "parameter " + i + " was updated");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[][] deepCopy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    private static float[][] zerosLike(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = new float[a[i].length];
        return c;
    }

    /** A gradient norm is the same number on one thread and on all of them (chunks added in order). */
    @org.junit.jupiter.api.Test
    void sumOfSquaresIsTheSameOnAnyNumberOfThreads() {
        float[] x = SgemmTest.rand(new Random(5), 1_000_003);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double one = LayerKernels.sumOfSquares(x.length, x);
            Parallel.setThreads(2);
            assertEquals(one, LayerKernels.sumOfSquares(x.length, x), 0.0);
            double exact = 0;
            for (float v : x) exact += (double) v * v;
            assertEquals(exact, one, 1e-5 * exact);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** A softmax row's gradient against its twin and by hand, into a new array and over g itself. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 64, 255})
    void softmaxBackwardMatchesTwin(int n) {
        Random r = new Random(n);
        int off = 3;
        float[] y = SgemmTest.rand(r, off + n), g = SgemmTest.rand(r, off + n);
        float[] fast = new float[off + n], slow = new float[off + n], inPlace = g.clone();
        LayerKernels.softmaxBackward(n, y, off, g, off, fast, off);
        ScalarKernels.softmaxBackward(n, y, off, g, off, slow, off);
        LayerKernels.softmaxBackward(n, y, off, inPlace, off, inPlace, off);
        close(fast, slow, 1e-5f, "softmax backward n=" + n);
        double s = 0;
        for (int j = 0; j < n; j++) s += y[off + j] * g[off + j];
        for (int j = 0; j < n; j++) assertEquals(y[off + j] * (g[off + j] - s), fast[off + j], 1e-4, "by hand [" + j + "]");
        for (int j = 0; j < n; j++) assertEquals(fast[off + j], inPlace[off + j], 0f, "in place [" + j + "]");
        assertEquals(g[0], inPlace[0], 0f, "before the row");
    }

    /**
     * Unsigned bytes as floats: every byte value, offsets and tails of every length, the scalar
     * twin's bits, from a segment over a heap array and from one off the heap.
     */
    @Test
    void unsignedBytesAreTheScalarDivision() {
        byte[] src = new byte[300];
        for (int i = 0; i < src.length; i++) src[i] = (byte) (i * 97 + 13);
        for (int v = 0; v < 256; v++) src[v] = (byte) v;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(src.length);
            MemorySegment.copy(src, 0, offHeap, ValueLayout.JAVA_BYTE, 0, src.length);
            for (MemorySegment seg : new MemorySegment[] {MemorySegment.ofArray(src), offHeap}) {
                for (float divisor : new float[] {255f, 1f, 7.5f}) {
                    for (int n = 0; n <= 70; n++) {
                        for (int off : new int[] {0, 3, 200}) {
                            float[] fast = new float[n + 5], slow = new float[n + 5];
                            VectorKernels.unsignedBytes(n, seg, off, divisor, fast, 2);
                            ScalarKernels.unsignedBytes(n, seg, off, divisor, slow, 2);
                            assertArrayEquals(slow, fast, 0f, "n " + n + ", offset " + off + ", divisor " + divisor + ", " + seg);
                        }
                    }
                    float[] all = new float[256];
                    VectorKernels.unsignedBytes(256, seg, 0, divisor, all, 0);
                    for (int v = 0; v < 256; v++) assertEquals(v / divisor, all[v], 0f, "byte " + v + ", " + seg);
                }
            }
        }
    }
}
