package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Matrix products on the SGEMM kernel. Backward uses the kernel's transpose flags, so no
 * transposed copy is ever made: for C = A·B, dA = G·Bᵀ and dB = Aᵀ·G.
 */
final class MatmulOps {
    private MatmulOps() {}

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.shape.length == 0 || b.shape.length == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got "
                    + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape));
        }
        if (a.shape.length == 1 && b.shape.length == 1) return dot(a, b);
        int ka = a.shape[a.shape.length - 1];
        int kb = b.shape.length == 1 ? b.shape[0] : b.shape[b.shape.length - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + ": inner sizes " + ka + " and " + kb + " differ");
        }
        if (a.shape.length == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.shape.length == 1) return matmul(a, b.unsqueeze(-1)).squeeze(-1);
        if (b.shape.length == 2) return matmulFlat(a, b);
        return batched(a, b);
    }

    /** x·y for two vectors; dL/dx = g·y, dL/dy = g·x. */
    private static Tensor dot(Tensor x, Tensor y) {
        if (x.shape[0] != y.shape[0]) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(x.shape) + " @ " + Shapes.str(y.shape)
                    + ": inner sizes " + x.shape[0] + " and " + y.shape[0] + " differ");
        }
        float v = VectorKernels.dot(x.shape[0], x.data, 0, y.data, 0);
        return Tensor.result(new float[] {v}, new int[0], "dot", g -> new Tensor[] {
                x.requiresGrad ? y.mul(g.data[0]) : null, y.requiresGrad ? x.mul(g.data[0]) : null}, x, y);
    }

    /** [..., m, k] @ [k, n]: the leading dims fold into m, so one GEMM does it. */
    private static Tensor matmulFlat(Tensor a, Tensor b) {
        int k = b.shape[0], n = b.shape[1];
        int m = a.data.length / Math.max(1, k);
        if (k == 0) m = Shapes.numel(Arrays.copyOf(a.shape, a.shape.length - 1));
        int[] outShape = a.shape.clone();
        outShape[outShape.length - 1] = n;
        float[] out = new float[m * n];
        Sgemm.sgemm(false, false, m, n, k, 1f, a.data, 0, k, b.data, 0, n, 0f, out, 0, n);
        int mm = m;
        return Tensor.result(out, outShape, "matmul", g -> {
            float[][] d = new float[2][];   // each product allocates its own array (see linear)
            gradients(mm, (long) mm * n * k,
                    !a.requiresGrad ? null : () -> Sgemm.sgemm(false, true, mm, k, n, 1f, g.data, 0, n, b.data, 0, n, 0f, d[0] = new float[mm * k], 0, k),   // dA = G·Bᵀ : [m, n]·[n, k]
                    !b.requiresGrad ? null : () -> Sgemm.sgemm(true, false, k, n, mm, 1f, a.data, 0, k, g.data, 0, n, 0f, d[1] = new float[k * n], 0, n));  // dB = Aᵀ·G : [k, m]·[m, n]
            return new Tensor[] {d[0] == null ? null : Tensor.freshGrad(d[0], a.shape), d[1] == null ? null : Tensor.freshGrad(d[1], b.shape)};
        }, a, b);
    }

    /** [..., m, k] @ [..., k, n] with broadcast batch dims (broadcast inputs are expanded first). */
    private static Tensor batched(Tensor a, Tensor b) {
        int ra = a.shape.length, rb = b.shape.length;
        int m = a.shape[ra - 2], k = a.shape[ra - 1], n = b.shape[rb - 1];
        int[] batchA = Arrays.copyOf(a.shape, ra - 2), batchB = Arrays.copyOf(b.shape, rb - 2);
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " @ " + Shapes.str(b.shape)
                    + ": batch dims " + Shapes.str(batchA) + " and " + Shapes.str(batchB) + " cannot broadcast");
        }
        Tensor ae = Arrays.equals(batchA, batch) ? a : a.expand(concat(batch, m, k));
        Tensor be = Arrays.equals(batchB, batch) ? b : b.expand(concat(batch, k, n));
        int nb = Shapes.numel(batch);
        float[] out = new float[nb * m * n];
        for (int i = 0; i < nb; i++) {
            Sgemm.sgemm(false, false, m, n, k, 1f, ae.data, i * m * k, k, be.data, i * k * n, n, 0f, out, i * m * n, n);
        }
        return Tensor.result(out, concat(batch, m, n), "bmm", g -> {
            Tensor ga = null, gb = null;
            if (ae.requiresGrad) {
                float[] d = new float[nb * m * k];
                for (int i = 0; i < nb; i++) {
                    Sgemm.sgemm(false, true, m, k, n, 1f, g.data, i * m * n, n, be.data, i * k * n, n, 0f, d, i * m * k, k);
                }
                ga = Tensor.freshGrad(d, ae.shape);
            }
            if (be.requiresGrad) {
                float[] d = new float[nb * k * n];
                for (int i = 0; i < nb; i++) {
                    Sgemm.sgemm(true, false, k, n, m, 1f, ae.data, i * m * k, k, g.data, i * m * n, n, 0f, d, i * k * n, n);
                }
                gb = Tensor.freshGrad(d, be.shape);
            }
            return new Tensor[] {ga, gb};
        }, ae, be);
    }

    /** Rows below which a product's two gradients run side by side ({@link #gradients}): a batch, not W6's 2,048 tokens. */
    private static final int SIDE_BY_SIDE_ROWS = 512;
    /** Multiply-adds a gradient product needs before it is worth a thread of its own. */
    private static final long SIDE_BY_SIDE_MIN = 1L << 16;

    /**
     * The two gradient products of C = A·B (each null when its input needs no gradient; both
     * take the same multiply-adds, {@code work}). With a batch of rows, each product split over
     * the two threads met them at two or three barriers per product and left one waiting at
     * each; run side by side, one product a thread, W8's step took 6% less time (AVX-512 and
     * AVX2's paths) and W2's 3–7% (docs/benchmarks.md). Products over many rows (W6's 2,048
     * tokens) split well already and gained nothing, so they stay split. Side by side, each
     * product has the bits one thread gives it (a split product too, unless SGEMM divided its
     * shared dimension between the threads, kSplit, whose partial sums round differently).
     */
    private static void gradients(int rows, long work, Runnable first, Runnable second) {
        if (first != null && second != null && rows < SIDE_BY_SIDE_ROWS && work >= SIDE_BY_SIDE_MIN) {   // one thread: both in turn
            Parallel.both(first, second);
            return;
        }
        if (first != null) first.run();
        if (second != null) second.run();
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }

    /**
     * y = x·Wᵀ + b with x [..., in], W [out, in], b [out] or null: one GEMM and a bias add.
     * dx = G·W, dW = Gᵀ·x, db = Σ over rows of G.
     */
    static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (w.shape.length != 2) throw new IllegalArgumentException("linear: weight must be 2-D [out, in], got " + Shapes.str(w.shape));
        int out = w.shape[0], in = w.shape[1];
        if (x.shape.length == 0 || x.shape[x.shape.length - 1] != in) {
            throw new IllegalArgumentException("linear: input " + Shapes.str(x.shape) + " and weight " + Shapes.str(w.shape)
                    + ": the input's last size must be " + in + " (in_features)");
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != out)) {
            throw new IllegalArgumentException("linear: bias shape " + Shapes.str(bias.shape) + " does not match weight "
                    + Shapes.str(w.shape) + " (expected [" + out + "])");
        }
        int rows = in == 0 ? Shapes.numel(Arrays.copyOf(x.shape, x.shape.length - 1)) : x.data.length / in;
        float[] y = new float[rows * out];
        // The product stores its tiles (beta 0), then the bias is added in one pass: filling y
        // with the bias first made every tile a load, an add and a store through a scratch tile.
        Sgemm.sgemm(false, true, rows, out, in, 1f, x.data, 0, in, w.data, 0, in, 0f, y, 0, out);
        if (bias != null) VectorKernels.addRowBias(rows, out, y, bias.data);
        int[] yShape = x.shape.clone();
        yShape[yShape.length - 1] = out;
        return Tensor.result(y, yShape, "linear", g -> {
            // Each product allocates its own array on the thread that runs it: side by side, the
            // JVM's zeroing of the weight gradient (1.25 MB in W8) runs beside the other product
            // instead of before both on the calling thread. The weight's gradient goes into the
            // array of its last one where nothing outside kept that (Tensor.gradArray): no zeroing,
            // and memory still in the caches — W2's backward 10-12% shorter.
            float[][] d = new float[2][];
            gradients(rows, (long) rows * out * in,
                    !x.requiresGrad ? null : () -> Sgemm.sgemm(false, false, rows, in, out, 1f, g.data, 0, out, w.data, 0, in, 0f, d[0] = new float[rows * in], 0, in),  // [rows, out]·[out, in]
                    !w.requiresGrad ? null : () -> Sgemm.sgemm(true, false, out, in, rows, 1f, g.data, 0, out, x.data, 0, in, 0f, d[1] = w.gradArray(out * in), 0, in)); // [out, rows]·[rows, in]
            Tensor gb = bias != null && bias.requiresGrad ? Tensor.freshGrad(ReduceOps.sumDim(g.data, new int[] {rows, out}, 0), bias.shape) : null;
            return new Tensor[] {d[0] == null ? null : Tensor.freshGrad(d[0], x.shape), d[1] == null ? null : Tensor.freshGrad(d[1], w.shape), gb};
        }, x, w, bias);
    }
}
