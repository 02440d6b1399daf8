package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Pooling layers over NCHW tensors; the stride defaults to the kernel size, as in PyTorch.
 * Sizes are ints (square) or (height, width) pairs, as PyTorch's tuples.
 */
public final class Pooling {
    private Pooling() {}

    /** The largest value of each kh×kw window: [N, C, H, W] → [N, C, ⌊(H + 2p − k)/s⌋ + 1, …] per side. */
    public static final class MaxPool2d extends Module {
        private final int[] kernel, stride, padding;

        public MaxPool2d(int kernel) { this(kernel, kernel, 0); }

        public MaxPool2d(int kernel, int stride, int padding) { this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}); }

        /** (height, width) pairs. */
        public MaxPool2d(int[] kernel, int[] stride, int[] padding) {
            this.kernel = pair("MaxPool2d kernel", kernel).clone();
            this.stride = pair("MaxPool2d stride", stride).clone();
            this.padding = pair("MaxPool2d padding", padding).clone();
        }

        @Override
        public Tensor forward(Tensor x) { return hooked(x, F.maxPool2d(x, kernel, stride, padding)); }

        /** The window's height (its side when square). */
        public int kernel() { return kernel[0]; }

        public int stride() { return stride[0]; }

        public int padding() { return padding[0]; }

        /** Whether window, stride and padding are each the same both ways. */
        public boolean square() { return kernel[0] == kernel[1] && stride[0] == stride[1] && padding[0] == padding[1]; }

        @Override
        protected String extraRepr() { return "kernel_size=" + str(kernel) + ", stride=" + str(stride) + ", padding=" + str(padding); }
    }

    /** The mean of each kh×kw window (padding counted as zeros). */
    public static final class AvgPool2d extends Module {
        private final int[] kernel, stride, padding;

        public AvgPool2d(int kernel) { this(kernel, kernel, 0); }

        public AvgPool2d(int kernel, int stride, int padding) { this(new int[] {kernel, kernel}, new int[] {stride, stride}, new int[] {padding, padding}); }

        /** (height, width) pairs. */
        public AvgPool2d(int[] kernel, int[] stride, int[] padding) {
            this.kernel = pair("AvgPool2d kernel", kernel).clone();
            this.stride = pair("AvgPool2d stride", stride).clone();
            this.padding = pair("AvgPool2d padding", padding).clone();
        }

        @Override
        public Tensor forward(Tensor x) { return hooked(x, F.avgPool2d(x, kernel, stride, padding)); }

        @Override
        protected String extraRepr() { return "kernel_size=" + str(kernel) + ", stride=" + str(stride) + ", padding=" + str(padding); }
    }

    static int[] pair(String what, int[] v) {
        if (v == null || v.length != 2) throw new IllegalArgumentException(what + " must be a (height, width) pair, got " + Arrays.toString(v));
        return v;
    }

    private static String str(int[] v) { return v[0] == v[1] ? String.valueOf(v[0]) : "(" + v[0] + ", " + v[1] + ")"; }
}
