package dev.glassbox.nn;

import dev.glassbox.tensor.FusedOps;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/** The stateless functions behind the modules and the losses, as torch.nn.functional. */
public final class F {
    private F() {}

    /** y = x·Wᵀ + b. Shapes: x [..., in], W [out, in], b [out] or null; y [..., out]. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return FusedOps.linear(x, weight, bias); }

    /** 2-D convolution of x [N, C, H, W] with weight [O, C, k, k] (bias [O] or null), square stride and padding. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return FusedOps.conv2d(x, weight, bias, stride, stride, padding, padding);
    }

    /** relu(conv2d(x, weight, bias, stride, padding)) in one node (fewer passes and arrays; the same values and gradients). */
    public static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return FusedOps.conv2dRelu(x, weight, bias, stride, stride, padding, padding);
    }

    /**
     * maxPool2d(relu(conv2d(x, weight, bias, stride, padding)), pool, poolStride, 0) in one node
     * when the window has at most 121 values (the same values and gradients, without the
     * full-size feature maps); larger windows take the three ops.
     */
    public static Tensor conv2dReluMaxPool(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int pool, int poolStride) {
        if (pool > 0 && poolStride > 0 && pool * pool > 121) return maxPool2d(conv2dRelu(x, weight, bias, stride, padding), pool, poolStride, 0);
        return FusedOps.conv2dReluMaxPool(x, weight, bias, stride, stride, padding, padding, pool, poolStride);
    }

    /** Transposed convolution of x [N, Cin, H, W] with weight [Cin, Cout, k, k], square stride and padding. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return FusedOps.convTranspose2d(x, weight, bias, stride, stride, padding, padding);
    }

    /**
     * PyTorch's {@code F.conv_transpose2d} with (height, width) pairs: stride, padding and
     * output_padding (each output padding below its stride); weight [Cin, Cout, kh, kw].
     */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding) {
        pair("stride", stride);
        pair("padding", padding);
        pair("outputPadding", outputPadding);
        return FusedOps.convTranspose2d(x, weight, bias, stride[0], stride[1], padding[0], padding[1], outputPadding[0], outputPadding[1]);
    }

    private static void pair(String what, int[] v) { Pooling.pair(what, v); }

    /** PyTorch's {@code F.conv2d} with (height, width) pairs of stride and padding; weight [O, C, kh, kw]. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        pair("stride", stride);
        pair("padding", padding);
        return FusedOps.conv2d(x, weight, bias, stride[0], stride[1], padding[0], padding[1]);
    }

    /** {@code conv2d(...).relu()} as one node, with (height, width) pairs. */
    public static Tensor conv2dRelu(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding) {
        pair("stride", stride);
        pair("padding", padding);
        return FusedOps.conv2dRelu(x, weight, bias, stride[0], stride[1], padding[0], padding[1]);
    }

    /** Max pooling with a kh×kw window, (height, width) pairs. */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        pair("kernel", kernel);
        pair("stride", stride);
        pair("padding", padding);
        return FusedOps.maxPool2d(x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
    }

    /** Average pooling with a kh×kw window, (height, width) pairs (padding counted as zeros). */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding) {
        pair("kernel", kernel);
        pair("stride", stride);
        pair("padding", padding);
        return FusedOps.avgPool2d(x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1]);
    }

    /** Max pooling with a square k×k window. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return FusedOps.maxPool2d(x, kernel, kernel, stride, stride, padding, padding);
    }

    /** Average pooling with a square k×k window (padding counted as zeros). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return FusedOps.avgPool2d(x, kernel, kernel, stride, stride, padding, padding);
    }

    /**
     * Layer normalization as torch.nn.functional.layer_norm: over the trailing dims of x given
     * by {@code normalizedShape}, each slice centred and scaled by its mean and biased variance,
     * then multiplied by {@code weight} and shifted by {@code bias} (each of normalizedShape, or
     * null).
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, float eps) {
        int[] s = x.shape();
        int k = normalizedShape.length, d = 1;
        boolean fits = k >= 1 && k <= s.length;
        for (int i = 0; fits && i < k; i++) {
            fits = s[s.length - k + i] == normalizedShape[i];
            d *= normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("layer_norm: normalized shape " + Arrays.toString(normalizedShape) + " is not the end of the input's shape "
                    + Arrays.toString(s));
        }
        return FusedOps.layerNorm(x, d, weight, bias, eps);
    }

    /**
     * Scaled dot-product attention as torch.nn.functional.scaled_dot_product_attention:
     * softmax(q·kᵀ/√d + attnMask) · v over q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv], with
     * {@code isCausal} masking every key after the query's position, and dropout on the weights
     * (pass 0 outside training). {@code attnMask} is additive (0 to keep, −∞ to drop; see
     * {@link #attentionMask} for a boolean one) of [Tq, Tk] or q's rank, or null. One fused
     * node: no more than one head's score matrix is held per thread, forward or backward.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, float dropoutP, boolean isCausal, Generator g) {
        return FusedOps.scaledDotProductAttention(q, k, v, attnMask, isCausal, dropoutP, g, null);
    }

    /**
     * Multi-head self-attention straight from the packed projection qkv [N, L, 3E] (queries,
     * keys and values side by side, as x·in_proj_weightᵀ gives them) with {@code heads} heads
     * → [N, L, E], the heads side by side: the same values as splitting, attending head by head
     * and joining, without the copies. Mask additive: [L, L] or [N, 1 or heads, L, L], or null.
     */
    public static Tensor packedSelfAttention(Tensor qkv, int heads, Tensor attnMask, float dropoutP, boolean isCausal, Generator g) {
        return FusedOps.packedSelfAttention(qkv, heads, attnMask, isCausal, dropoutP, g);
    }

    /** {@link #scaledDotProductAttention} without mask or dropout. */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v) { return scaledDotProductAttention(q, k, v, null, 0f, false, null); }

    /**
     * A boolean attention mask as an additive one, as scaled_dot_product_attention reads a bool
     * mask: where {@code allowed} is nonzero (true) the position takes part (0), elsewhere it
     * does not (−∞). (nn.MultiheadAttention's bool masks mean the opposite — true is masked —
     * as in PyTorch; it converts them itself.)
     */
    public static Tensor attentionMask(Tensor allowed) {
        float[] a = allowed.toArray();
        for (int i = 0; i < a.length; i++) a[i] = a[i] != 0f ? 0f : Float.NEGATIVE_INFINITY;
        return Tensor.of(a, allowed.shape());
    }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor leakyRelu(Tensor x, float negativeSlope) { return x.leakyRelu(negativeSlope); }

    public static Tensor gelu(Tensor x) { return x.gelu(); }

    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    /** Dropout with probability p in training, the identity otherwise. */
    public static Tensor dropout(Tensor x, float p, boolean training, Generator g) {
        return training ? x.dropout(p, g) : x;
    }

    // ---------------------------------------------------------------- losses

    /** Mean squared error; input and target must have the same shape. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse_loss", input, target);
        return reduce(input.sub(target).square(), reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    /** Binary cross-entropy on probabilities in [0, 1] (logs clamped at −100, as PyTorch). */
    public static Tensor binaryCrossEntropy(Tensor p, Tensor target, Reduction reduction) {
        return reduce(FusedOps.binaryCrossEntropy(p, target), reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor p, Tensor target) { return binaryCrossEntropy(p, target, Reduction.MEAN); }

    /** Binary cross-entropy on logits, numerically stable (sigmoid folded in). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Reduction reduction) {
        // the sum as one node (a VAE's reconstruction loss): no array of losses, none of ones in the backward
        if (reduction == Reduction.SUM) return FusedOps.binaryCrossEntropyWithLogitsSum(logits, target);
        return reduce(FusedOps.binaryCrossEntropyWithLogits(logits, target), reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target) {
        return binaryCrossEntropyWithLogits(logits, target, Reduction.MEAN);
    }

    /** Cross-entropy of logits [N, C] against int labels [N] (softmax folded in). */
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction reduction) {
        return switch (reduction) {
            case MEAN -> FusedOps.crossEntropy(logits, labels, true);
            case SUM -> FusedOps.crossEntropy(logits, labels, false);
            case NONE -> nllLoss(logits.logSoftmax(1), labels, Reduction.NONE);
        };
    }

    public static Tensor crossEntropy(Tensor logits, int[] labels) { return crossEntropy(logits, labels, Reduction.MEAN); }

    /** Negative log-likelihood of log-probabilities [N, C] at int labels [N]. */
    public static Tensor nllLoss(Tensor logProbs, int[] labels, Reduction reduction) {
        if (logProbs.dim() != 2) {
            throw new IllegalArgumentException("nll_loss: input must be [batch, classes], got " + Arrays.toString(logProbs.shape()));
        }
        if (labels.length != logProbs.size(0)) {
            throw new IllegalArgumentException("nll_loss: " + labels.length + " labels for a batch of " + logProbs.size(0));
        }
        int c = logProbs.size(1);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IndexOutOfBoundsException("nll_loss: label " + labels[i] + " at position " + i
                        + " is out of range for " + c + " classes");
            }
        }
        Tensor picked = logProbs.gather(1, labels, labels.length, 1).reshape(labels.length).neg();
        return reduce(picked, reduction);
    }

    public static Tensor nllLoss(Tensor logProbs, int[] labels) { return nllLoss(logProbs, labels, Reduction.MEAN); }

    private static Tensor reduce(Tensor perElement, Reduction r) {
        return switch (r) {
            case MEAN -> perElement.mean();
            case SUM -> perElement.sum();
            case NONE -> perElement;
        };
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(a.shape()) + " and target "
                    + Arrays.toString(b.shape()) + " differ in shape");
        }
    }
}
