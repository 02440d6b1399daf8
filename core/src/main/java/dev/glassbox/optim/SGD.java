package dev.glassbox.optim;

import dev.glassbox.kernels.VectorKernels;
import dev.glassbox.tensor.Tensor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov and weight decay:
 * <pre>
 *   d ← g + λ·p
 *   b ← μ·b + (1−τ)·d        (b ← d at the first step)
 *   d ← d + μ·b  (Nesterov)   or   d ← b
 *   p ← p − lr·d
 * </pre>
 * Plain SGD is the course's rule: new weight = weight − learning rate × gradient.
 * <pre>{@code SGD opt = new SGD(model.parameters(), 0.5f).momentum(0.9f).nesterov(); }</pre>
 */
public final class SGD extends Optimizer {
    private float momentum, dampening, weightDecay;
    private boolean nesterov;
    private final float[][] buf;

    public SGD(List<? extends Tensor> params, float lr) {
        super(params, lr);
        buf = new float[this.params.size()][];
    }

    public SGD momentum(float mu) {
        checkRange("SGD", "momentum", mu, 0f, 1f);
        momentum = mu;
        return this;
    }

    public SGD dampening(float tau) {
        checkRange("SGD", "dampening", tau, 0f, 1.0001f);
        dampening = tau;
        return this;
    }

    /** Nesterov momentum; needs a momentum &gt; 0 and no dampening. */
    public SGD nesterov() {
        if (momentum <= 0f || dampening != 0f) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening");
        }
        nesterov = true;
        return this;
    }

    public SGD weightDecay(float lambda) {
        checkRange("SGD", "weight decay", lambda, 0f, Float.POSITIVE_INFINITY);
        weightDecay = lambda;
        return this;
    }

    @Override
    protected Map<String, float[]> buffers(int i) {
        Map<String, float[]> b = new HashMap<>();
        b.put("momentum_buffer", buf[i]);
        return b;
    }

    @Override
    protected void setBuffer(int i, String name, float[] values) { buf[i] = values; }

    @Override
    public void step() {
        steps++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            float[] w = p.data(), g = p.gradData();
            if (g == null) continue;
            int n = w.length;
            float[] d = g;
            if (weightDecay != 0f) {
                d = g.clone();
                VectorKernels.axpy(n, weightDecay, w, 0, d, 0);
            }
            if (momentum != 0f) {
                if (buf[i] == null) {
                    buf[i] = d.clone();
                } else {
                    float[] b = buf[i];
                    VectorKernels.affine(n, momentum, 0f, b, 0, b, 0);
                    VectorKernels.axpy(n, 1f - dampening, d, 0, b, 0);
                }
                if (nesterov) {
                    float[] nd = d == g ? d.clone() : d;
                    VectorKernels.axpy(n, momentum, buf[i], 0, nd, 0);
                    d = nd;
                } else {
                    d = buf[i];
                }
            }
            VectorKernels.axpy(n, -lr, d, 0, w, 0);
        }
    }

}
