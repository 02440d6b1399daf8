package dev.glassbox.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar twins of {@link VectorKernels}: the plain loops the fast kernels are tested against.
 * Same signatures; {@code aStep}/{@code bStep} are 1 for a run of elements, 0 for one
 * element repeated (a broadcast).
 */
public final class ScalarKernels {
    private ScalarKernels() {}

    /** out[oOff + i] = (src[sOff + i] & 0xff) / divisor: unsigned bytes as floats. */
    public static void unsignedBytes(int n, MemorySegment src, long sOff, float divisor, float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = (src.get(ValueLayout.JAVA_BYTE, sOff + i) & 0xff) / divisor;
    }

    public static void binary(BinaryOp op, int n, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                              float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStep], b[bOff + i * bStep]);
    }

    public static void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = op.apply(x[xOff + i]);
    }

    /** y[i] += alpha·x[i]. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    public static float sum(int n, float[] x, int off) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += x[off + i];
        return s;
    }

    public static float max(int n, float[] x, int off) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (v > m || Float.isNaN(v)) m = v;
            if (Float.isNaN(m)) return m;
        }
        return m;
    }

    /** out = x·alpha + beta. */
    public static void affine(int n, float alpha, float beta, float[] x, int xOff, float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = x[xOff + i] * alpha + beta;
    }

    /** Softmax (or log-softmax) of each of {@code rows} contiguous rows of {@code cols}. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] out, int oOff, boolean log) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            float m = max(cols, x, xOff + base);
            float s = 0f;
            for (int j = 0; j < cols; j++) s += (float) Math.exp(x[xOff + base + j] - m);
            if (log) {
                float lse = m + (float) Math.log(s);
                for (int j = 0; j < cols; j++) out[oOff + base + j] = x[xOff + base + j] - lse;
            } else {
                float inv = 1f / s;
                for (int j = 0; j < cols; j++) out[oOff + base + j] = (float) Math.exp(x[xOff + base + j] - m) * inv;
            }
        }
    }

    /** dL/dx for y = sigmoid(x): g·y·(1−y). */
    public static void sigmoidBackward(int n, float[] g, float[] y, float[] out) {
        for (int i = 0; i < n; i++) out[i] = g[i] * y[i] * (1f - y[i]);
    }

    /** Binary cross-entropy on logits for i in [from, to): max(x, 0) − x·y + log1p(e^−|x|). */
    public static void bceWithLogits(int from, int to, float[] x, float[] y, float[] out) {
        for (int i = from; i < to; i++) {
            float v = x[i];
            out[i] = Math.max(v, 0f) - v * y[i] + (float) Math.log1p(Math.exp(-Math.abs(v)));
        }
    }

    /** Its gradient with respect to the logits for i in [from, to): (sigmoid(x) − y)·g. */
    public static void bceWithLogitsBackward(int from, int to, float[] x, float[] y, float[] g, float[] gx) {
        for (int i = from; i < to; i++) gx[i] = (UnaryOp.sigmoid(x[i]) - y[i]) * g[i];
    }

    /** The same with one upstream gradient g for every element (the gradient of the losses' sum). */
    public static void bceWithLogitsBackward(int from, int to, float[] x, float[] y, float g, float[] gx) {
        for (int i = from; i < to; i++) gx[i] = (UnaryOp.sigmoid(x[i]) - y[i]) * g;
    }

    /** dL/dx for y = gelu(x): g·(Φ(x) + x·φ(x)). */
    public static void geluBackward(int n, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            double cdf = 0.5 * (1 + UnaryOp.erf(v * 0.70710678118654752f));
            double pdf = 0.39894228040143268 * Math.exp(-0.5 * v * v);
            out[oOff + i] = (float) (g[gOff + i] * (cdf + v * pdf));
        }
    }

    /** dL/dx for y = tanh(x): g·(1−y²). */
    public static void tanhBackward(int n, float[] g, float[] y, float[] out) {
        for (int i = 0; i < n; i++) out[i] = g[i] * (1f - y[i] * y[i]);
    }

    /** out = x where x &gt; 0, else slope·x; with {@code g}, g where x &gt; 0, else slope·g; over [off, off + n). */
    public static void leakyRelu(int n, float[] g, float[] x, int off, float slope, float[] out) {
        float[] v = g == null ? x : g;
        for (int i = off; i < off + n; i++) out[i] = x[i] > 0f ? v[i] : slope * v[i];
    }

    /** Σ (x[off + i] − m)² over i in [0, n). */
    public static float sumSquaredDeviations(int n, float[] x, int off, float m) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float d = x[off + i] - m;
            s += d * d;
        }
        return s;
    }

    /** out[oOff + i] = a·g[gOff + i] − k·x[xOff + i] + shift. */
    public static void batchNormBackward(int n, float a, float[] g, int gOff, float k, float[] x, int xOff, float shift, float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = a * g[gOff + i] - k * x[xOff + i] + shift;
    }

    /** dL/dx for relu: g where x &gt; 0, else 0. */
    public static void reluBackward(int n, float[] g, float[] x, float[] out) {
        reluMask(n, g, 0, x, 0, out, 0);
    }

    /** out = max(0, x + bias); NaN stays NaN. */
    public static void biasRelu(int n, float[] x, int xOff, float bias, float[] out, int oOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i] + bias;
            out[oOff + i] = v <= 0f ? 0f : v;
        }
    }

    /** dL/dx for relu at offsets: g where x &gt; 0, else 0. */
    public static void reluMask(int n, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff) {
        for (int i = 0; i < n; i++) out[oOff + i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
    }

    /** {@link LayerKernels#softmaxBackward}'s twin: out = y·(g − Σ y·g); out may be g. */
    public static void softmaxBackward(int n, float[] y, int yOff, float[] g, int gOff, float[] out, int oOff) {
        float s = dot(n, y, yOff, g, gOff);
        for (int j = 0; j < n; j++) out[oOff + j] = y[yOff + j] * (g[gOff + j] - s);
    }

    /** dst[dstOff + e] = src[srcOff + index[indexOff + e]] for e in [0, n). */
    public static void gather(int n, float[] src, int srcOff, int[] index, int indexOff, float[] dst, int dstOff) {
        for (int e = 0; e < n; e++) dst[dstOff + e] = src[srcOff + index[indexOff + e]];
    }

    /** dst[dstOff + e] += Σ over r &lt; slots with valid[r·n + e] of src[srcOff + index[r·n + e]] (in r's order, from +0), e in [0, n). */
    public static void gatherSum(int n, int slots, float[] src, int srcOff, int[] index, boolean[] valid, float[] dst, int dstOff) {
        gatherSum(0, n, slots, src, srcOff, index, valid, dst, dstOff);
    }

    /** {@link #gatherSum} for e in [from, n) only (a vector loop's tail). */
    static void gatherSum(int from, int n, int slots, float[] src, int srcOff, int[] index, boolean[] valid, float[] dst, int dstOff) {
        for (int e = from; e < n; e++) {
            float s = 0f;
            for (int r = 0, at = e; r < slots; r++, at += n) if (valid[at]) s += src[srcOff + index[at]];
            dst[dstOff + e] += s;
        }
    }
}
