package dev.glassbox.spark;

import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model's weights as one flat array, in the order of its parameters, then its buffers
 * (BatchNorm's running statistics): what is broadcast each step.
 */
final class Weights {
    private Weights() {}

    /** The model's parameters, then its buffers: what a worker's copy takes from the driver's. */
    static List<Tensor> state(Module model) {
        List<Tensor> out = new ArrayList<>(model.parameters());
        out.addAll(buffers(model));
        return out;
    }

    /** The model's buffers (its state that is not a parameter), in the state dict's order. */
    static List<Tensor> buffers(Module model) {
        Set<String> params = model.namedParameters().keySet();
        List<Tensor> out = new ArrayList<>();
        model.stateDict().forEach((name, t) -> { if (!params.contains(name)) out.add(t); });
        return out;
    }

    static int count(List<? extends Tensor> params) {
        long n = 0;
        for (Tensor p : params) n += p.numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a model of " + n + " weights is too large to broadcast as one array");
        return (int) n;
    }

    static float[] get(List<? extends Tensor> params) {
        float[] flat = new float[count(params)];
        int at = 0;
        for (Tensor p : params) {
            System.arraycopy(p.data(), 0, flat, at, p.numel());
            at += p.numel();
        }
        return flat;
    }

    /** Copies {@code flat} into the parameters; returns how many weights they hold. */
    static int set(List<? extends Tensor> params, float[] flat) {
        int n = count(params);
        if (n != flat.length) throw new IllegalStateException("the broadcast holds " + flat.length + " values, the model " + n);
        int at = 0;
        for (Tensor p : params) {
            System.arraycopy(flat, at, p.data(), 0, p.numel());
            at += p.numel();
        }
        return n;
    }

    /** Copies {@code flat[from ..]} into the tensors. */
    static void set(List<? extends Tensor> tensors, float[] flat, int from) {
        int at = from;
        for (Tensor t : tensors) {
            System.arraycopy(flat, at, t.data(), 0, t.numel());
            at += t.numel();
        }
    }

    /** Sets each parameter's gradient from {@code flat} (its first entries, in parameter order). */
    static void setGrads(List<Parameter> params, float[] flat) {
        int at = 0;
        for (Parameter p : params) {
            float[] g = new float[p.numel()];
            System.arraycopy(flat, at, g, 0, g.length);
            p.setGrad(Tensor.wrap(g, p.shape()));
            at += g.length;
        }
    }
}
