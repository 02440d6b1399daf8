package dev.glassbox.tensor;

/**
 * One recorded operation of the autograd graph: its name, its inputs, and its backward rule,
 * which maps the gradient of the output to the gradients of the inputs (null where an input
 * needs none). Backward rules run with grad mode off.
 */
final class GradFn {
    /** The backward rule of one op: dL/d(inputs) from dL/d(output). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    final String name;
    Tensor[] inputs;
    Backward backward;

    GradFn(String name, Tensor[] inputs, Backward backward) {
        this.name = name;
        this.inputs = inputs;
        this.backward = backward;
    }

    /**
     * Where an elementwise backward rule writes the input's gradient, given the output's
     * gradient {@code g} of the same size: g's own array when the engine marked it
     * {@link Tensor#consumable} (the rule must then read each g[i] before it writes gx[i], as
     * elementwise kernels do), else a new one. Return it as {@link Tensor#freshGrad}.
     */
    static float[] gradInto(Tensor g) {
        return g.consumable ? g.data : new float[g.data.length];
    }

    boolean released() { return backward == null; }

    /** Frees what the backward rule captured, as PyTorch does after backward without retain_graph. */
    void release() {
        backward = null;
    }
}
