package dev.glassbox.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reverse-mode differentiation over the recorded graph: a topological order from the root,
 * then each op's backward rule in reverse, summing gradients that meet at a tensor.
 * Leaves that require grad accumulate into {@link Tensor#grad()}; intermediates keep theirs
 * only if {@link Tensor#retainGrad()} was called.
 */
final class Autograd {
    private static final AtomicInteger PASS = new AtomicInteger();

    private Autograd() {}

    static void backward(Tensor root, Tensor gradRoot, boolean retainGraph) {
        if (!root.requiresGrad) {
            throw new IllegalStateException("backward: the tensor does not require grad and has no grad_fn "
                    + "(call requiresGrad(true) on a leaf it depends on, outside a no-grad scope)");
        }
        List<Tensor> order = topologicalOrder(root);
        root.gradAcc = gradRoot;
        try (var ignored = GradMode.noGrad()) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Tensor t = order.get(idx);
                Tensor g = t.gradAcc;
                t.gradAcc = null;
                if (g == null) continue;
                GradFn fn = t.gradFn;
                if (fn == null) {
                    accumulateLeaf(t, g);
                    continue;
                }
                if (t.retainsGrad) accumulateLeaf(t, g);
                if (fn.released()) {
                    throw new IllegalStateException("backward: trying to go back through the graph a second time ("
                            + fn.name + "); its saved values were freed. Pass retainGraph=true to the first backward");
                }
                Tensor[] grads = fn.backward.apply(g);
                Tensor[] inputs = fn.inputs;
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor gi = grads[i];
                    if (in == null || gi == null || !in.requiresGrad) continue;
                    if (!java.util.Arrays.equals(gi.shape, in.shape)) {
                        throw new IllegalStateException("backward of " + fn.name + ": gradient shape "
                                + Shapes.str(gi.shape) + " does not match input shape " + Shapes.str(in.shape));
                    }
                    in.gradAcc = in.gradAcc == null ? gi : in.gradAcc.add(gi);
                }
                if (!retainGraph) fn.release();
            }
        } finally {
            for (Tensor t : order) t.gradAcc = null;
        }
    }

    /** Sums g into t.grad; the first time, copies it, since g may share storage with another tensor. */
    private static void accumulateLeaf(Tensor t, Tensor g) {
        if (t.grad == null) {
            t.grad = new Tensor(g.data.clone(), t.shape.clone());
        } else {
            dev.glassbox.kernels.VectorKernels.binary(dev.glassbox.kernels.BinaryOp.ADD, t.grad.data.length,
                    t.grad.data, 0, 1, g.data, 0, 1, t.grad.data, 0);
        }
    }

    /** Post-order DFS from the root, iterative so long unrolled graphs cannot overflow the stack. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        int pass = PASS.incrementAndGet();
        List<Tensor> order = new ArrayList<>();
        ArrayList<Tensor> stack = new ArrayList<>();
        ArrayList<Integer> next = new ArrayList<>();
        root.mark = pass;
        stack.add(root);
        next.add(0);
        while (!stack.isEmpty()) {
            int top = stack.size() - 1;
            Tensor t = stack.get(top);
            int i = next.get(top);
            Tensor[] inputs = t.gradFn == null ? null : t.gradFn.inputs;
            if (inputs != null && i < inputs.length) {
                next.set(top, i + 1);
                Tensor in = inputs[i];
                if (in != null && in.requiresGrad && in.mark != pass) {
                    in.mark = pass;
                    stack.add(in);
                    next.add(0);
                }
            } else {
                order.add(t);
                stack.remove(top);
                next.remove(top);
            }
        }
        return order;
    }
}
