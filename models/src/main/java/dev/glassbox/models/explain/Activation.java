package dev.glassbox.models.explain;

import dev.glassbox.tensor.Tensor;

import java.util.Locale;

/** The activation at a dense layer's nodes, as the course names them. */
public enum Activation {
    /** The weighted sum itself (regression output). */
    IDENTITY,
    /** σ(z) = 1/(1 + e^−z). */
    SIGMOID,
    /** max(0, z). */
    RELU,
    /** e^zⱼ / Σₖ e^zₖ over the layer's nodes. */
    SOFTMAX;

    /** Applies the activation to a batch of weighted sums [batch, nodes]. */
    public Tensor apply(Tensor z) {
        return switch (this) {
            case IDENTITY -> z;
            case SIGMOID -> z.sigmoid();
            case RELU -> z.relu();
            case SOFTMAX -> z.softmax(-1);
        };
    }

    public String key() { return name().toLowerCase(Locale.ROOT); }
}
