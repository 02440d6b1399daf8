package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * 2-D convolution: each of {@code outChannels} filters spans every input channel; the
 * channel-wise convolutions are summed, plus a bias, into one feature map per filter:
 * {@code out[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c]}.
 *
 * <p>Args: in and out channels, kernel size, stride and zero padding, each an int (square) or a
 * (height, width) pair, as PyTorch's ints and tuples. Shape: [N, C, H, W] → [N, O, ⌊(H + 2p − k)/s⌋ + 1, …].
 * Attributes: {@code weight} [O, C, k, k] and {@code bias} [O], uniform in ±1/√(C·k·k)
 * (PyTorch's default, Kaiming-uniform with a = √5).
 * <pre>{@code
 * Conv2d conv1 = new Conv2d(1, 32, 3, 1, 0, new Generator(0));   // x: [64, 1, 28, 28] -> [64, 32, 26, 26]
 * }</pre>
 */
public final class Conv2d extends Module {
    /** Square sizes: the height's (kernel, stride, padding); {@link #kernel}, {@link #strides}, {@link #paddings} have both. */
    public final int inChannels, outChannels, kernelSize, stride, padding;
    /** (height, width) pairs, as PyTorch's tuples. */
    public final int[] kernel, strides, paddings;
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
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, g, withBias);
    }

    /** PyTorch's {@code Conv2d(in, out, kernel_size, stride, padding)} with (height, width) pairs. */
    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, Generator g, Linear.Bias withBias) {
        Pooling.pair("Conv2d kernel", kernel);
        Pooling.pair("Conv2d stride", stride);
        Pooling.pair("Conv2d padding", padding);
        if (inChannels <= 0 || outChannels <= 0 || kernel[0] <= 0 || kernel[1] <= 0 || stride[0] <= 0 || stride[1] <= 0 || padding[0] < 0 || padding[1] < 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel and stride must be positive and padding non-negative, got in="
                    + inChannels + ", out=" + outChannels + ", kernel=" + java.util.Arrays.toString(kernel) + ", stride=" + java.util.Arrays.toString(stride)
                    + ", padding=" + java.util.Arrays.toString(padding));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        this.strides = stride.clone();
        this.paddings = padding.clone();
        this.kernelSize = kernel[0];
        this.stride = stride[0];
        this.padding = padding[0];
        weight = registerParameter("weight", new Parameter(Tensor.zeros(outChannels, inChannels, kernel[0], kernel[1])));
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
    public Tensor forward(Tensor x) { return hooked(x, F.conv2d(x, weight, bias, strides, paddings)); }

    /** {@code forward(x).relu()} as one node: the same values and gradients, without the ReLU's own passes and arrays. */
    public Tensor forwardRelu(Tensor x) { return hooked(x, F.conv2dRelu(x, weight, bias, strides, paddings)); }

    /**
     * {@code pool.forward(forward(x).relu())} as one node when the pooling has no padding (the
     * same values and gradients, without the full-size feature maps); else the three steps.
     */
    public Tensor forwardReluMaxPool(Tensor x, Pooling.MaxPool2d pool) {
        if (pool.padding() != 0 || !pool.square() || !square()) return pool.forward(forwardRelu(x));
        return hooked(x, F.conv2dReluMaxPool(x, weight, bias, stride, padding, pool.kernel(), pool.stride()));
    }

    private boolean square() { return kernel[0] == kernel[1] && strides[0] == strides[1] && paddings[0] == paddings[1]; }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + strides[0] + ", " + strides[1]
                + ")" + (paddings[0] > 0 || paddings[1] > 0 ? ", padding=(" + paddings[0] + ", " + paddings[1] + ")" : "") + (bias == null ? ", bias=false" : "");
    }
}
