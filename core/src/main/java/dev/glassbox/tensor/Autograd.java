package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.VectorKernels;

import java.util.ArrayList;
import java.util.Arrays;
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
                boolean owned = t.gradAccOwned;
                t.gradAcc = null;
                t.gradAccOwned = false;
                if (g == null) continue;
                GradFn fn = t.gradFn;
                if (fn == null) {
                    accumulateLeaf(t, g, owned);
                    continue;
                }
                if (t.retainsGrad) accumulateLeaf(t, g, false);   // g goes on to the backward rule too
                if (fn.released()) {
                    throw new IllegalStateException("backward: trying to go back through the graph a second time ("
                            + fn.name + "); its saved values were freed. Pass retainGraph=true to the first backward");
                }
                // the rule may write its input's gradient over g's array when g owns it and,
                // if t keeps its grad, that grad was a copy (accumulateLeaf with owned false)
                g.consumable = owned;
                Tensor[] grads;
                try {
                    grads = fn.backward.apply(g);
                } finally {
                    g.consumable = false;
                }
                Tensor[] inputs = fn.inputs;
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    Tensor gi = grads[i];
                    if (gi == null) continue;
                    boolean fresh = gi.fresh && onlyHolder(grads, i);
                    gi.fresh = false;
                    if (in == null || !in.requiresGrad) continue;
                    if (!Arrays.equals(gi.shape, in.shape)) {
                        throw new IllegalStateException("backward of " + fn.name + ": gradient shape "
                                + Shapes.str(gi.shape) + " does not match input shape " + Shapes.str(in.shape));
                    }
                    if (in.gradAcc == null) {
                        in.gradAcc = gi;
                        in.gradAccOwned = fresh;
                    } else if (in.gradAccOwned) {
                        float[] acc = in.gradAcc.data;
                        VectorKernels.binary(BinaryOp.ADD, acc.length,
                                acc, 0, 1, gi.data, 0, 1, acc, 0);
                    } else if (fresh) {
                        // the sum goes into the new gradient's own array (a residual's two paths:
                        // the add passes its gradient on shared, the branch's rule made a new one)
                        float[] acc = gi.data;
                        VectorKernels.binary(BinaryOp.ADD, acc.length,
                                acc, 0, 1, in.gradAcc.data, 0, 1, acc, 0);
                        in.gradAcc = gi;
                        in.gradAccOwned = true;
                    } else {
                        Tensor prev = in.gradAcc;
                        in.gradAcc = prev.add(gi);
                        in.gradAccOwned = in.gradAcc.data != prev.data && in.gradAcc.data != gi.data;
                    }
                }
                if (!retainGraph) fn.release();
            }
        } finally {
            for (Tensor t : order) {
                t.gradAcc = null;
                t.gradAccOwned = false;
            }
        }
    }

    /**
     * Sums g into t.grad. The first time, t.grad becomes g itself when g's array is {@code owned}
     * (made by a backward rule for this gradient alone), else a copy, since g may share its
     * array with another tensor (a view's gradient, or one rule's output sent to two inputs).
     * Keeping the array saves a copy of every weight gradient at every step (docs/benchmarks.md,
     * W2, has what it saves).
     */
    private static void accumulateLeaf(Tensor t, Tensor g, boolean owned) {
        if (t.grad == null) {
            t.grad = new Tensor(owned ? g.data : g.data.clone(), t.shape.clone());
            t.spareGrad = null;   // a rule that does not write into the kept array: let it go
        } else {
            VectorKernels.binary(BinaryOp.ADD, t.grad.data.length,
                    t.grad.data, 0, 1, g.data, 0, 1, t.grad.data, 0);
        }
    }

    /** True when no other gradient of {@code grads} shares the array of {@code grads[i]}. */
    private static boolean onlyHolder(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] != null && grads[j].data == grads[i].data) return false;
        }
        return true;
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
