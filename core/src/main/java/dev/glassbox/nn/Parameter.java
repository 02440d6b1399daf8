package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** A tensor that is a learnable parameter of a module: a leaf that requires grad. */
public final class Parameter extends Tensor {
    /** Wraps the values of {@code init} (shared, not copied) as a parameter. */
    public Parameter(Tensor init) {
        super(init.data(), init.shape());
        requiresGrad(true);
    }

    /**
     * Stops each of {@code params} that requires a gradient from requiring one until the returned
     * scope is closed (try-with-resources), then turns those back on; parameters already off stay
     * off. As PyTorch's {@code p.requires_grad_(False)} around a pass that needs the gradient
     * through a module to its input but not the module's own weight gradients — a GAN's generator
     * step through the discriminator: the backward skips the frozen weights' products and leaves
     * their {@code grad} as it was.
     *
     * <pre>{@code
     * try (var ignored = Parameter.freeze(d.parameters())) {
     *     F.binaryCrossEntropyWithLogits(d.forward(g.forward(z)), ones).backward();   // only G's weights get gradients
     * }
     * }</pre>
     */
    public static Frozen freeze(Iterable<? extends Parameter> params) {
        List<Parameter> off = new ArrayList<>();
        for (Parameter p : params) {
            if (p.requiresGrad()) off.add(p);
        }
        off.forEach(p -> p.requiresGrad(false));
        return new Frozen(off);
    }

    /** Parameters {@link #freeze} turned off; closing turns them on again (closing twice is harmless). */
    public static final class Frozen implements AutoCloseable {
        private final List<Parameter> off;
        private boolean open = true;

        private Frozen(List<Parameter> off) { this.off = off; }

        @Override
        public void close() {
            if (open) {
                open = false;
                off.forEach(p -> p.requiresGrad(true));
            }
        }
    }
}
