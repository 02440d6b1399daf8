package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * 2-D convolution: each of {@code outChannels} filters spans every input channel; the
 * channel-wise convolutions are summed, plus a bias, into one feature map per filter:
 * {@code out[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c]}.
 *
 * <p>Args: in and out channels, a square kernel size, stride and zero padding (same on both
 * sides, as PyTorch's ints). Shape: [N, C, H, W] → [N, O, ⌊(H + 2p − k)/s⌋ + 1, …].
 * Attributes: {@code weight} [O, C, k, k] and {@code bias} [O], uniform in ±1/√(C·k·k)
 * (PyTorch's default, Kaiming-uniform with a = √5).
 * <pre>{@code
 * Conv2d conv1 = new Conv2d(1, 32, 3, 1, 0, new Generator(0));   // x: [64, 1, 28, 28] -> [64, 32, 26, 26]
 * }</pre>
 */
public final class Conv2d extends Module {
    public final int inChannels, outChannels, kernelSize, stride, padding;
    public final Parameter weight;
    /** Null with {@link Linear.Bias#NONE}. */
    public final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernelSize, Generator g) {
        this(inChannels, outChannels, kernelSize, 1, 0, g, Linear.Bias.WITH);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
        this(inChannels, outChannels, kernelSize, stride, padding, g, Linear.Bias.WITH);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g, Linear.Bias withBias) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel and stride must be positive and padding non-negative, got in="
                    + inChannels + ", out=" + outChannels + ", kernel=" + kernelSize + ", stride=" + stride + ", padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        weight = registerParameter("weight", new Parameter(Tensor.zeros(outChannels, inChannels, kernelSize, kernelSize)));
        bias = withBias == Linear.Bias.WITH ? registerParameter("bias", new Parameter(Tensor.zeros(outChannels))) : null;
        resetParameters(g);
    }

    /** Kaiming-uniform (a = √5) weight and uniform ±1/√fan_in bias, as PyTorch. */
    public void resetParameters(Generator g) {
        Init.kaimingUniform(weight, Math.sqrt(5), g);
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(Init.fanIn(weight)));
            Init.uniform(bias, -bound, bound, g);
        }
    }

    @Override
    public Tensor forward(Tensor x) { return hooked(x, F.conv2d(x, weight, bias, stride, padding)); }

    /** {@code forward(x).relu()} as one node: the same values and gradients, without the ReLU's own passes and arrays. */
    public Tensor forwardRelu(Tensor x) { return hooked(x, F.conv2dRelu(x, weight, bias, stride, padding)); }

    /**
     * {@code pool.forward(forward(x).relu())} as one node when the pooling has no padding (the
     * same values and gradients, without the full-size feature maps); else the three steps.
     */
    public Tensor forwardReluMaxPool(Tensor x, Pooling.MaxPool2d pool) {
        if (pool.padding() != 0) return pool.forward(forwardRelu(x));
        return hooked(x, F.conv2dReluMaxPool(x, weight, bias, stride, padding, pool.kernel(), pool.stride()));
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ", " + kernelSize + "), stride=(" + stride + ", " + stride
                + ")" + (padding > 0 ? ", padding=(" + padding + ", " + padding + ")" : "") + (bias == null ? ", bias=false" : "");
    }
}
