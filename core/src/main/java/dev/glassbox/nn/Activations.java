package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/** The activation functions as modules, for use in {@link Sequential}. */
public final class Activations {
    private Activations() {}

    /** σ(x) = 1/(1 + e^−x). */
    public static final class Sigmoid extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x.sigmoid()); }
    }

    public static final class Tanh extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x.tanh()); }
    }

    /** max(0, x). */
    public static final class ReLU extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x.relu()); }
    }

    /** x for x &gt; 0, slope·x otherwise (slope 0.01 by default). */
    public static final class LeakyReLU extends Module {
        private final float slope;
        public LeakyReLU() { this(0.01f); }
        public LeakyReLU(float negativeSlope) { slope = negativeSlope; }
        @Override public Tensor forward(Tensor x) { return hooked(x, x.leakyRelu(slope)); }
        @Override protected String extraRepr() { return "negative_slope=" + slope; }
    }

    /** x·Φ(x), exact form. */
    public static final class GELU extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x.gelu()); }
    }

    public static final class Softmax extends Module {
        private final int dim;
        public Softmax(int dim) { this.dim = dim; }
        @Override public Tensor forward(Tensor x) { return hooked(x, x.softmax(dim)); }
        @Override protected String extraRepr() { return "dim=" + dim; }
    }

    public static final class LogSoftmax extends Module {
        private final int dim;
        public LogSoftmax(int dim) { this.dim = dim; }
        @Override public Tensor forward(Tensor x) { return hooked(x, x.logSoftmax(dim)); }
        @Override protected String extraRepr() { return "dim=" + dim; }
    }

    /** Merges dims 1.. into one: [N, C, H, W] → [N, C·H·W]. */
    public static final class Flatten extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x.flatten(1, -1)); }
    }

    public static final class Identity extends Module {
        @Override public Tensor forward(Tensor x) { return hooked(x, x); }
    }
}
