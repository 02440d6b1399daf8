package dev.glassbox.optim;

import dev.glassbox.kernels.AdamKernel;
import dev.glassbox.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015): per-weight step sizes from running averages of the gradient (m)
 * and its square (v), with bias correction. Weight decay here is L2 added to the gradient;
 * {@link AdamW} decouples it.
 * <pre>
 *   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²
 *   p ← p − lr · (m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε)
 * </pre>
 * Defaults: lr 1e-3, β = (0.9, 0.999), ε = 1e-8.
 */
public class Adam extends Optimizer {
    protected float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weightDecay;
    private final float[][] m, v;

    public Adam(List<? extends Tensor> params, float lr) {
        super(params, lr);
        m = new float[this.params.size()][];
        v = new float[this.params.size()][];
    }

    public Adam betas(float b1, float b2) {
        checkRange(getClass().getSimpleName(), "beta1", b1, 0f, 1f);
        checkRange(getClass().getSimpleName(), "beta2", b2, 0f, 1f);
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    public Adam eps(float e) {
        checkRange(getClass().getSimpleName(), "eps", e, 0f, Float.POSITIVE_INFINITY);
        eps = e;
        return this;
    }

    public Adam weightDecay(float lambda) {
        checkRange(getClass().getSimpleName(), "weight decay", lambda, 0f, Float.POSITIVE_INFINITY);
        weightDecay = lambda;
        return this;
    }

    @Override
    protected final Map<String, float[]> buffers(int i) {
        Map<String, float[]> b = new HashMap<>();
        b.put("exp_avg", m[i]);
        b.put("exp_avg_sq", v[i]);
        return b;
    }

    @Override
    protected final void setBuffer(int i, String name, float[] values) {
        if (name.equals("exp_avg")) m[i] = values;
        else v[i] = values;
    }

    /** Applied to p before the Adam update; AdamW overrides it. */
    protected void decoupledDecay(float[] p) {}

    /** The L2 term folded into the gradient; 0 for AdamW. */
    protected float coupledDecay() { return weightDecay; }

    @Override
    public void step() {
        steps++;
        float bc1 = (float) (1 - Math.pow(beta1, steps)), bc2 = (float) (1 - Math.pow(beta2, steps));
        int count = 0;
        for (Tensor p : params) if (p.gradData() != null) count++;
        float[][] w = new float[count][], g = new float[count][], ms = new float[count][], vs = new float[count][];
        for (int i = 0, k = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.gradData() == null) continue;
            w[k] = p.data();
            if (m[i] == null) m[i] = new float[w[k].length];
            if (v[i] == null) v[i] = new float[w[k].length];
            decoupledDecay(w[k]);
            g[k] = p.gradData();
            ms[k] = m[i];
            vs[k++] = v[i];
        }
        // all parameters in one update the threads share (the same bits as one by one)
        AdamKernel.stepAll(w, g, ms, vs, lr, beta1, beta2, eps, coupledDecay(), bc1, bc2);
    }
}
