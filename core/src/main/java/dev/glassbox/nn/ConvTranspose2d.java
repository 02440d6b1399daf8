package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Transposed 2-D convolution (the DCGAN generator's upsampling layer): each input pixel
 * spreads its value, weighted by the kernel, over a k×k patch of the output.
 *
 * <p>Shape: [N, Cin, H, W] → [N, Cout, (H − 1)·s − 2p + k + output_padding, …] (per side). Attributes: {@code weight}
 * [Cin, Cout, k, k] (PyTorch's layout) and {@code bias} [Cout], uniform in ±1/√(Cout·k·k)
 * as PyTorch (its fan-in is computed from dim 1 of this weight).
 */
public final class ConvTranspose2d extends Module {
    /** Square sizes: the height's (kernel, stride, padding); {@link #kernel}, {@link #strides}, {@link #paddings}, {@link #outputPadding} have both. */
    public final int inChannels, outChannels, kernelSize, stride, padding;
    /** (height, width) pairs, as PyTorch's tuples. */
    public final int[] kernel, strides, paddings, outputPadding;
    public final Parameter weight;
    public final Parameter bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g) {
        this(inChannels, outChannels, kernelSize, stride, padding, g, Linear.Bias.WITH);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Generator g, Linear.Bias withBias) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {0, 0},
                g, withBias);
    }

    /**
     * PyTorch's {@code ConvTranspose2d(in, out, kernel_size, stride, padding, output_padding)}
     * with (height, width) pairs; each output padding must be below its stride.
     */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] outputPadding, Generator g,
                           Linear.Bias withBias) {
        for (int[] p : new int[][] {kernel, stride, padding, outputPadding}) {
            if (p == null || p.length != 2) throw new IllegalArgumentException("ConvTranspose2d: kernel, stride, padding and output padding are (height, width) pairs");
        }
        if (inChannels <= 0 || outChannels <= 0 || kernel[0] <= 0 || kernel[1] <= 0 || stride[0] <= 0 || stride[1] <= 0 || padding[0] < 0
                || padding[1] < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels, kernel and stride must be positive and padding non-negative");
        }
        if (outputPadding[0] < 0 || outputPadding[1] < 0 || outputPadding[0] >= stride[0] || outputPadding[1] >= stride[1]) {
            throw new IllegalArgumentException("ConvTranspose2d: output padding " + Arrays.toString(outputPadding) + " must be at least 0 and below the stride "
                    + Arrays.toString(stride));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel.clone();
        this.strides = stride.clone();
        this.paddings = padding.clone();
        this.outputPadding = outputPadding.clone();
        this.kernelSize = kernel[0];
        this.stride = stride[0];
        this.padding = padding[0];
        weight = registerParameter("weight", new Parameter(Tensor.zeros(inChannels, outChannels, kernel[0], kernel[1])));
        bias = withBias == Linear.Bias.WITH ? registerParameter("bias", new Parameter(Tensor.zeros(outChannels))) : null;
        resetParameters(g);
    }

    /** Kaiming-uniform (a = √5) with PyTorch's fan-in for this layout (dim 1 × kh × kw): bound 1/√fan_in. */
    public void resetParameters(Generator g) {
        float bound = (float) (1 / Math.sqrt((double) outChannels * kernel[0] * kernel[1]));
        Init.uniform(weight, -bound, bound, g);
        if (bias != null) Init.uniform(bias, -bound, bound, g);
    }

    @Override
    public Tensor forward(Tensor x) { return hooked(x, F.convTranspose2d(x, weight, bias, strides, paddings, outputPadding)); }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel[0] + ", " + kernel[1] + "), stride=(" + strides[0] + ", " + strides[1]
                + ")" + (paddings[0] > 0 || paddings[1] > 0 ? ", padding=(" + paddings[0] + ", " + paddings[1] + ")" : "")
                + (outputPadding[0] > 0 || outputPadding[1] > 0 ? ", output_padding=(" + outputPadding[0] + ", " + outputPadding[1] + ")" : "");
    }
}
