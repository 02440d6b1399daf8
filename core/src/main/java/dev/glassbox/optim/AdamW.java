package dev.glassbox.optim;

import dev.glassbox.kernels.VectorKernels;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019): {@code p ← p·(1 − lr·λ)}
 * before the Adam step, instead of adding λp to the gradient. Default λ = 0.01, as PyTorch.
 */
public final class AdamW extends Adam {
    public AdamW(List<? extends Tensor> params, float lr) {
        super(params, lr);
        weightDecay = 0.01f;
    }

    @Override
    protected void decoupledDecay(float[] p) {
        if (weightDecay != 0f) VectorKernels.affine(p.length, 1f - lr * weightDecay, 0f, p, 0, p, 0);
    }

    @Override
    protected float coupledDecay() { return 0f; }
}
