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

    boolean released() { return backward == null; }

    /** Frees what the backward rule captured, as PyTorch does after backward without retain_graph. */
    void release() {
        backward = null;
    }
}
