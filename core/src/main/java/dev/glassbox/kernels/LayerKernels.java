package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.glassbox.kernels.VectorKernels.GRAIN;
import static dev.glassbox.kernels.VectorKernels.PARALLEL_MIN;
import static dev.glassbox.kernels.VectorKernels.sumLanes;

/**
 * Kernels beside {@link VectorKernels}' general ones: a batch normalization's squared
 * deviations and input gradient, the leaky ReLU and its gradient, a softmax row's gradient
 * (each with its scalar twin in {@link ScalarKernels}), the sum of squares behind a gradient norm,
 * and gathers by an index table (a strided convolution's unfolding and its adjoint).
 */
public final class LayerKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /**
     * Whether {@link #gather} and {@link #gatherSum} use the vector gather instruction
     * ({@code -Dglassbox.vectorGathers=false}: the scalar loops, the same bits). Measured on AMD
     * only (0.45–0.49 ns a value against 0.69–0.88); on an Intel CPU whose microcode mitigates
     * Gather Data Sampling ("Downfall": {@code /sys/devices/system/cpu/vulnerabilities/gather_data_sampling}
     * says "Mitigation: Microcode") each gather is several times slower, and the switch is there
     * to measure which wins.
     */
    static final boolean VECTOR_GATHERS = !"false".equalsIgnoreCase(System.getProperty("glassbox.vectorGathers"));

    private LayerKernels() {}

    /** Σ (x[off + i] − m)² over i in [0, n): a batch normalization's variance, after its mean. */
    public static float sumSquaredDeviations(int n, float[] x, int off, float m) {
        if (!Simd.ENABLED || n < L) return ScalarKernels.sumSquaredDeviations(n, x, off, m);
        FloatVector acc = FloatVector.zero(F), mv = FloatVector.broadcast(F, m);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(F, x, off + i).sub(mv);
            acc = d.fma(d, acc);
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            float d = x[off + i] - m;
            s += d * d;
        }
        return s;
    }

    /** out[oOff + i] = a·g[gOff + i] − k·x[xOff + i] + shift: a batch normalization's input gradient. */
    public static void batchNormBackward(int n, float a, float[] g, int gOff, float k, float[] x, int xOff, float shift, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.batchNormBackward(n, a, g, gOff, k, x, xOff, shift, out, oOff);
            return;
        }
        FloatVector av = FloatVector.broadcast(F, a), kv = FloatVector.broadcast(F, -k), sv = FloatVector.broadcast(F, shift);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, g, gOff + i).fma(av, FloatVector.fromArray(F, x, xOff + i).fma(kv, sv)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = a * g[gOff + i] - k * x[xOff + i] + shift;
    }

    /**
     * out = x where x &gt; 0, else slope·x (NaN stays NaN, −0 stays −0); with {@code g}, the
     * gradient: g where x &gt; 0, else slope·g. Split over the kernel threads when large.
     */
    public static void leakyRelu(int n, float[] g, float[] x, float slope, float[] out) {
        if (n >= PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, GRAIN, (s, e) -> leakyReluSerial(e - s, g, x, s, slope, out));
        } else {
            leakyReluSerial(n, g, x, 0, slope, out);
        }
    }

    private static void leakyReluSerial(int n, float[] g, float[] x, int off, float slope, float[] out) {
        float[] v = g == null ? x : g;
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.leakyRelu(n, g, x, off, slope, out);
            return;
        }
        FloatVector zero = FloatVector.zero(F);
        int bound = F.loopBound(n), end = off + n;
        int i = off;
        for (; i < off + bound; i += L) {
            FloatVector vv = FloatVector.fromArray(F, v, i);
            vv.mul(slope).blend(vv, FloatVector.fromArray(F, x, i).compare(VectorOperators.GT, zero)).intoArray(out, i);
        }
        for (; i < end; i++) out[i] = x[i] > 0f ? v[i] : slope * v[i];
    }

    /** Values a chunk of {@link #sumOfSquares} covers. */
    private static final int SQUARES_CHUNK = 1 << 14;

    /**
     * Σ x[i]² over [0, n), in double: a long array in chunks of 16,384 values, each a vector dot
     * product, the chunks taken by the kernel threads and added in chunk order — the same bits
     * on any number of threads. (A gradient norm at every step, over all of a model's weights,
     * was a serial pass of a few percent of a W8 step.)
     */
    public static double sumOfSquares(int n, float[] x) {
        if (n < PARALLEL_MIN) return VectorKernels.dot(n, x, 0, x, 0);
        int chunks = (n + SQUARES_CHUNK - 1) / SQUARES_CHUNK;
        double[] part = new double[chunks];
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int s = c * SQUARES_CHUNK;
                part[c] = VectorKernels.dot(Math.min(SQUARES_CHUNK, n - s), x, s, x, s);
            }
        });
        double total = 0;
        for (double p : part) total += p;
        return total;
    }

    /**
     * The gradient of one softmax row y = softmax(x) of {@code n}: out = y ⊙ (g − Σ y ⊙ g). The sum
     * is taken before anything is written, so {@code out} may be {@code g} (the rule in place).
     */
    public static void softmaxBackward(int n, float[] y, int yOff, float[] g, int gOff, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.softmaxBackward(n, y, yOff, g, gOff, out, oOff);
            return;
        }
        FloatVector s = FloatVector.broadcast(F, VectorKernels.dot(n, y, yOff, g, gOff));
        int bound = F.loopBound(n), j = 0;
        for (; j < bound; j += L) {
            FloatVector.fromArray(F, y, yOff + j).mul(FloatVector.fromArray(F, g, gOff + j).sub(s)).intoArray(out, oOff + j);
        }
        float sum = s.lane(0);
        for (; j < n; j++) out[oOff + j] = y[yOff + j] * (g[gOff + j] - sum);
    }

    /**
     * dst[dstOff + e] = src[srcOff + index[indexOff + e]] for e in [0, n): a strided convolution's
     * im2col, one row at a time (a vector gather: stride-2 rows of 7 values copied one by one ran
     * 2.5 times slower). An index outside {@code src} throws, as a plain loop would.
     */
    public static void gather(int n, float[] src, int srcOff, int[] index, int indexOff, float[] dst, int dstOff) {
        if (!Simd.ENABLED || n < L || !VECTOR_GATHERS) {
            ScalarKernels.gather(n, src, srcOff, index, indexOff, dst, dstOff);
            return;
        }
        int bound = F.loopBound(n), e = 0;
        for (; e < bound; e += L) FloatVector.fromArray(F, src, srcOff, index, indexOff + e).intoArray(dst, dstOff + e);
        for (; e < n; e++) dst[dstOff + e] = src[srcOff + index[indexOff + e]];
    }

    /**
     * dst[dstOff + e] += Σ over r &lt; slots with valid[r·n + e] of src[srcOff + index[r·n + e]], the
     * terms added in r's order to a sum from +0, for e in [0, n): a strided convolution's col2im
     * pixel by pixel, each pixel gathering the few column entries it receives. Every index, valid
     * or not, must lie inside {@code src}.
     */
    public static void gatherSum(int n, int slots, float[] src, int srcOff, int[] index, boolean[] valid, float[] dst, int dstOff) {
        if (!Simd.ENABLED || n < L || !VECTOR_GATHERS) {
            ScalarKernels.gatherSum(n, slots, src, srcOff, index, valid, dst, dstOff);
            return;
        }
        int bound = F.loopBound(n), e = 0;
        for (; e < bound; e += L) {
            FloatVector acc = FloatVector.zero(F);
            for (int r = 0, at = e; r < slots; r++, at += n) {
                acc = acc.add(FloatVector.fromArray(F, src, srcOff, index, at), VectorMask.fromArray(F, valid, at));
            }
            acc.add(FloatVector.fromArray(F, dst, dstOff + e)).intoArray(dst, dstOff + e);
        }
        ScalarKernels.gatherSum(e, n, slots, src, srcOff, index, valid, dst, dstOff);
    }
}
