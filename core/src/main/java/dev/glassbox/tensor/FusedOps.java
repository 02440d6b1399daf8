package dev.glassbox.tensor;

import dev.glassbox.kernels.LossKernels;
import dev.glassbox.kernels.SoftmaxKernels;
import dev.glassbox.kernels.UnaryOp;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Ops fused for speed or for exact gradients where composing smaller ops would be slower or
 * wrong at a kink; {@code nn.F} exposes them. Each one's gradient is checked in the tests
 * against finite differences and against its composition from smaller ops.
 */
public final class FusedOps {
    private FusedOps() {}

    /** 2-D convolution: x [N, C, H, W], weight [O, C, kh, kw], bias [O] or null → [N, O, Ho, Wo]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return ConvOps.conv2d(x, weight, bias, strideH, strideW, padH, padW);
    }

    /** relu(conv2d(...)) as one node: the same values and gradients, without the ReLU's own passes and arrays. */
    public static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return ConvOps.conv2d(x, weight, bias, strideH, strideW, padH, padW, true);
    }

    /**
     * max_pool2d(relu(conv2d(...)), pool, poolStride) as one node (square pooling windows of up to
     * 11×11, no pooling padding): the same values and gradients, without the full-size maps.
     */
    public static Tensor conv2dReluMaxPool(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW,
                                           int pool, int poolStride) {
        return ConvOps.conv2dReluMaxPool(x, weight, bias, strideH, strideW, padH, padW, pool, poolStride);
    }

    /** Transposed 2-D convolution: x [N, Cin, H, W], weight [Cin, Cout, kh, kw], bias [Cout] or null. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return ConvTransposeOps.convTranspose2d(x, weight, bias, strideH, strideW, padH, padW);
    }

    /** As above, with PyTorch's output padding (rows, columns added at the bottom and right; each below its stride). */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW, int outPadH, int outPadW) {
        return ConvTransposeOps.convTranspose2d(x, weight, bias, strideH, strideW, padH, padW, outPadH, outPadW);
    }

    /** Max pooling over kh×kw windows of an NCHW tensor. */
    public static Tensor maxPool2d(Tensor x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return PoolOps.maxPool2d(x, kh, kw, strideH, strideW, padH, padW);
    }

    /** Average pooling over kh×kw windows of an NCHW tensor (padding counted as zeros). */
    public static Tensor avgPool2d(Tensor x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return PoolOps.avgPool2d(x, kh, kw, strideH, strideW, padH, padW);
    }

    /**
     * Layer normalization over the last {@code d} values of x (the product of the normalized
     * shape): (x − μ)/√(σ² + ε)·weight + bias per row, weight and bias [d] or null; one node
     * with a written-out backward.
     */
    public static Tensor layerNorm(Tensor x, int d, Tensor weight, Tensor bias, float eps) { return NormOps.layerNorm(x, d, weight, bias, eps); }

    /**
     * Batch normalization over dim 1 of x [N, C, ...] in one node: (x − μ)/√(σ² + ε)·weight +
     * bias per channel, weight and bias [C] or null. With {@code training} μ and the biased σ²
     * are the batch's and are written into {@code mean} and {@code var}; otherwise they are read
     * from them (the running statistics).
     */
    public static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, float eps, float[] mean, float[] var, boolean training) {
        return NormOps.batchNorm(x, weight, bias, eps, mean, var, training);
    }

    /**
     * Scaled dot-product attention in one node: q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv]
     * → softmax(scale·q·kᵀ + mask, causal) (dropout on the weights when {@code dropout} > 0,
     * drawn from {@code g}) · v, [..., Tq, dv]. The mask is additive, [Tq, Tk] or of q's rank
     * with leading dims of 1 or q's, and gets no gradient; {@code scale} null is 1/√d.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float dropout, Generator g,
                                                   Float scale) {
        return AttentionOps.attention(q, k, v, mask, causal, dropout, g, scale);
    }

    /**
     * Multi-head self-attention from one projection's packed q|k|v [N, L, 3E] → [N, L, E] with
     * the heads side by side, in one node: each (batch, head) reads its columns in place. The
     * mask is additive, [L, L] or [N, 1 or heads, L, L], or null.
     */
    public static Tensor packedSelfAttention(Tensor qkv, int heads, Tensor mask, boolean causal, float dropout, Generator g) {
        return AttentionOps.packedSelfAttention(qkv, heads, mask, causal, dropout, g);
    }

    /** {@code x·Wᵀ + b} for x [..., in], W [out, in], b [out] (or null). */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return MatmulOps.linear(x, weight, bias); }

    /**
     * A whole LSTM layer as one node: proj [T, N, 4H] (every step's x·W_ihᵀ + b_ih), h0 and c0
     * [N, H], weight_hh [4H, H], bias_hh [4H] or null → [T + 1, N, H], the h of every step and
     * then the final c. Backpropagation through time is written out (one GEMM per step each way).
     */
    public static Tensor lstmLayer(Tensor proj, Tensor h0, Tensor c0, Tensor weightHh, Tensor biasHh) {
        return RecurrentOps.lstmLayer(proj, h0, c0, weightHh, biasHh);
    }

    /**
     * A whole GRU layer as one node: proj [T, N, 3H], h0 [N, H], weight_hh [3H, H], bias_hh
     * [3H] or null → [T, N, H], the h of every step; BPTT written out.
     */
    public static Tensor gruLayer(Tensor proj, Tensor h0, Tensor weightHh, Tensor biasHh) {
        return RecurrentOps.gruLayer(proj, h0, weightHh, biasHh);
    }

    /**
     * A whole Elman RNN layer as one node: proj [T, N, H], h0 [N, H], weight_hh [H, H], bias_hh
     * [H] or null → [T, N, H], h_t = act(proj_t + h_{t−1}·W_hhᵀ + b_hh) with act tanh, or ReLU
     * when {@code relu}; BPTT written out.
     */
    public static Tensor rnnLayer(Tensor proj, Tensor h0, Tensor weightHh, Tensor biasHh, boolean relu) {
        return RecurrentOps.rnnLayer(proj, h0, weightHh, biasHh, relu);
    }

    /**
     * Cross-entropy of logits [N, C] against class labels, {@code −log softmax(x)[label]} per row,
     * summed ({@code mean=false}) or averaged over N. One pass: dL/dx = (softmax(x) − onehot)·g.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, boolean mean) {
        if (logits.shape.length != 2) {
            throw new IllegalArgumentException("cross_entropy: logits must be [batch, classes], got " + Shapes.str(logits.shape));
        }
        int n = logits.shape[0], c = logits.shape[1];
        if (labels.length != n) {
            throw new IllegalArgumentException("cross_entropy: " + labels.length + " labels for a batch of " + n
                    + " (logits " + Shapes.str(logits.shape) + ")");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IndexOutOfBoundsException("cross_entropy: label " + labels[i] + " at position " + i
                        + " is out of range for " + c + " classes");
            }
        }
        float[] logp = new float[logits.data.length];
        SoftmaxKernels.softmaxRows(n, c, logits.data, 0, logp, 0, true);
        double loss = 0;
        for (int i = 0; i < n; i++) loss -= logp[i * c + labels[i]];
        float scale = mean ? 1f / Math.max(1, n) : 1f;
        int[] y = labels.clone();
        return Tensor.result(new float[] {(float) (loss * scale)}, new int[0], "cross_entropy", g -> {
            float s = g.data[0] * scale;
            float[] gx = new float[logp.length];
            VectorKernels.unary(UnaryOp.EXP, gx.length, logp, 0, gx, 0);   // softmax
            VectorKernels.affine(gx.length, s, 0f, gx, 0, gx, 0);
            for (int i = 0; i < n; i++) gx[i * c + y[i]] -= s;
            return new Tensor[] {new Tensor(gx, logits.shape)};
        }, logits);
    }

    /**
     * Binary cross-entropy on logits, stable for any x:
     * {@code max(x, 0) − x·y + log(1 + e^−|x|)}, elementwise (no reduction).
     * dL/dx = (σ(x) − y)·g; dL/dy = −x·g.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor x, Tensor y) {
        if (!Arrays.equals(x.shape, y.shape)) {
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: input " + Shapes.str(x.shape)
                    + " and target " + Shapes.str(y.shape) + " differ in shape");
        }
        int n = x.data.length;
        float[] out = new float[n];
        LossKernels.bceWithLogits(n, x.data, y.data, out);
        return Tensor.result(out, x.shape, "binary_cross_entropy_with_logits", g -> {
            float[] gx = new float[n];
            LossKernels.bceWithLogitsBackward(n, x.data, y.data, g.data, gx);
            Tensor gyT = null;
            if (y.requiresGrad) {
                float[] gy = new float[n];
                for (int i = 0; i < n; i++) gy[i] = -x.data[i] * g.data[i];
                gyT = new Tensor(gy, y.shape);
            }
            return new Tensor[] {new Tensor(gx, x.shape), gyT};
        }, x, y);
    }

    /**
     * The sum of {@link #binaryCrossEntropyWithLogits} over every element as one node, PyTorch's
     * {@code reduction='sum'}: the same bits as the elementwise losses summed, without the losses'
     * array and the array of ones that the sum's gradient would fill. d/dx = (σ(x) − y)·g,
     * d/dy = −x·g.
     */
    public static Tensor binaryCrossEntropyWithLogitsSum(Tensor x, Tensor y) {
        if (!Arrays.equals(x.shape, y.shape)) {
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: input " + Shapes.str(x.shape)
                    + " and target " + Shapes.str(y.shape) + " differ in shape");
        }
        int n = x.data.length;
        float sum = LossKernels.bceWithLogitsSum(n, x.data, y.data);
        return Tensor.result(new float[] {sum}, new int[0], "binary_cross_entropy_with_logits", g -> {
            float all = g.data[0];
            float[] gx = new float[n];
            LossKernels.bceWithLogitsBackward(n, x.data, y.data, all, gx);
            Tensor gyT = null;
            if (y.requiresGrad) {
                float[] gy = new float[n];
                for (int i = 0; i < n; i++) gy[i] = -x.data[i] * all;
                gyT = new Tensor(gy, y.shape);
            }
            return new Tensor[] {new Tensor(gx, x.shape), gyT};
        }, x, y);
    }

    /**
     * Binary cross-entropy on probabilities, elementwise, with each log clamped at −100 as PyTorch
     * does (so p = 0 or 1 gives a finite loss). dL/dp = g·(p − y)/max(p(1 − p), 1e−12).
     */
    public static Tensor binaryCrossEntropy(Tensor p, Tensor y) {
        if (!Arrays.equals(p.shape, y.shape)) {
            throw new IllegalArgumentException("binary_cross_entropy: input " + Shapes.str(p.shape)
                    + " and target " + Shapes.str(y.shape) + " differ in shape");
        }
        int n = p.data.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = p.data[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("binary_cross_entropy: input values must be probabilities in [0, 1]; "
                        + "element " + i + " is " + v + " (use binaryCrossEntropyWithLogits for logits)");
            }
            float lp = Math.max((float) Math.log(v), -100f), lq = Math.max((float) Math.log(1 - v), -100f);
            out[i] = -(y.data[i] * lp + (1 - y.data[i]) * lq);
        }
        return Tensor.result(out, p.shape, "binary_cross_entropy", g -> {
            float[] gp = new float[n];
            for (int i = 0; i < n; i++) {
                float v = p.data[i];
                gp[i] = g.data[i] * (v - y.data[i]) / Math.max(v * (1 - v), 1e-12f);
            }
            return new Tensor[] {new Tensor(gp, p.shape), null};
        }, p, y);
    }
}
