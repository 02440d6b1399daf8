package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/** Pooling layers over NCHW tensors; the stride defaults to the kernel size, as in PyTorch. */
public final class Pooling {
    private Pooling() {}

    /** The largest value of each k×k window: [N, C, H, W] → [N, C, ⌊(H + 2p − k)/s⌋ + 1, …]. */
    public static final class MaxPool2d extends Module {
        private final int kernel, stride, padding;

        public MaxPool2d(int kernel) { this(kernel, kernel, 0); }

        public MaxPool2d(int kernel, int stride, int padding) {
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
        }

        @Override
        public Tensor forward(Tensor x) { return hooked(x, F.maxPool2d(x, kernel, stride, padding)); }

        /** The window's side. */
        public int kernel() { return kernel; }

        public int stride() { return stride; }

        public int padding() { return padding; }

        @Override
        protected String extraRepr() { return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding; }
    }

    /** The mean of each k×k window (padding counted as zeros). */
    public static final class AvgPool2d extends Module {
        private final int kernel, stride, padding;

        public AvgPool2d(int kernel) { this(kernel, kernel, 0); }

        public AvgPool2d(int kernel, int stride, int padding) {
            this.kernel = kernel;
            this.stride = stride;
            this.padding = padding;
        }

        @Override
        public Tensor forward(Tensor x) { return hooked(x, F.avgPool2d(x, kernel, stride, padding)); }

        @Override
        protected String extraRepr() { return "kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding; }
    }
}
