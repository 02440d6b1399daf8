package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * Transposed 2-D convolution (the DCGAN generator's upsampling layer): each input pixel
 * spreads its value, weighted by the kernel, over a k×k patch of the output.
 *
 * <p>Shape: [N, Cin, H, W] → [N, Cout, (H − 1)·s − 2p + k, …]. Attributes: {@code weight}
 * [Cin, Cout, k, k] (PyTorch's layout) and {@code bias} [Cout], uniform in ±1/√(Cout·k·k)
 * as PyTorch (its fan-in is computed from dim 1 of this weight).
 */
public final class ConvTranspose2d extends Module {
    public final int inChannels, outChannels, kernelSize, stride, padding;
    public final Parameter weight;
    public final Parameter bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
        this(inChannels, outChannels, kernelSize, stride, padding, g, Linear.Bias.WITH);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g, Linear.Bias withBias) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels, kernel and stride must be positive and padding non-negative");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        weight = registerParameter("weight", new Parameter(Tensor.zeros(inChannels, outChannels, kernelSize, kernelSize)));
        bias = withBias == Linear.Bias.WITH ? registerParameter("bias", new Parameter(Tensor.zeros(outChannels))) : null;
        resetParameters(g);
    }

    /** Kaiming-uniform (a = √5) with PyTorch's fan-in for this layout (dim 1 × k × k): bound 1/√fan_in. */
    public void resetParameters(Generator g) {
        float bound = (float) (1 / Math.sqrt((double) outChannels * kernelSize * kernelSize));
        Init.uniform(weight, -bound, bound, g);
        if (bias != null) Init.uniform(bias, -bound, bound, g);
    }

    @Override
    public Tensor forward(Tensor x) { return hooked(x, F.convTranspose2d(x, weight, bias, stride, padding)); }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ", " + kernelSize + "), stride=(" + stride + ", " + stride
                + ")" + (padding > 0 ? ", padding=(" + padding + ", " + padding + ")" : "");
    }
}
