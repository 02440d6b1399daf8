package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/** A tensor that is a learnable parameter of a module: a leaf that requires grad. */
public final class Parameter extends Tensor {
    /** Wraps the values of {@code init} (shared, not copied) as a parameter. */
    public Parameter(Tensor init) {
        super(init.data(), init.shape());
        requiresGrad(true);
    }
}
