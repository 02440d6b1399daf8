package dev.glassbox.spark;

import dev.glassbox.nn.Parameter;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/** A model's weights as one flat array, in the order of its parameters: what is broadcast each step. */
final class Weights {
    private Weights() {}

    static int count(List<Parameter> params) {
        long n = 0;
        for (Parameter p : params) n += p.numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a model of " + n + " weights is too large to broadcast as one array");
        return (int) n;
    }

    static float[] get(List<Parameter> params) {
        float[] flat = new float[count(params)];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.data(), 0, flat, at, p.numel());
            at += p.numel();
        }
        return flat;
    }

    /** Copies {@code flat} into the parameters; returns how many weights they hold. */
    static int set(List<Parameter> params, float[] flat) {
        int n = count(params);
        if (n != flat.length) throw new IllegalStateException("the broadcast holds " + flat.length + " weights, the model " + n);
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(flat, at, p.data(), 0, p.numel());
            at += p.numel();
        }
        return n;
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
