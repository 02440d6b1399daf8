package dev.glassbox.optim;

import dev.glassbox.tensor.Tensor;

import java.util.List;

/** Updates a fixed list of parameters from their gradients; the learning rate may be changed by a schedule. */
public abstract class Optimizer {
    protected final List<? extends Tensor> params;
    protected float lr;
    /** Number of steps taken. */
    protected long steps;

    protected Optimizer(List<? extends Tensor> params, float lr) {
        if (params.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": got an empty parameter list");
        if (!(lr >= 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid learning rate " + lr);
        }
        for (Tensor p : params) {
            if (!p.requiresGrad()) throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter does not require grad");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update from the current gradients; parameters without a gradient are skipped. */
    public abstract void step();

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public float lr() { return lr; }

    public void setLr(float lr) {
        if (!(lr >= 0f)) throw new IllegalArgumentException("invalid learning rate " + lr);
        this.lr = lr;
    }

    public long steps() { return steps; }

    public List<? extends Tensor> params() { return params; }

    static void checkRange(String opt, String name, float v, float lo, float hi) {
        if (!(v >= lo && v < hi)) throw new IllegalArgumentException(opt + ": " + name + " must be in [" + lo + ", " + hi + "), got " + v);
    }
}
