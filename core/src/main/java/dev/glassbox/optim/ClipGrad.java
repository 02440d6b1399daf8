package dev.glassbox.optim;

import dev.glassbox.kernels.VectorKernels;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/** Gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class ClipGrad {
    private ClipGrad() {}

    /**
     * Scales all gradients together so their joint L2 norm is at most {@code maxNorm}
     * (coefficient maxNorm/(norm + 1e−6), applied only when below 1). Returns the norm before clipping.
     */
    public static float clipGradNorm(List<? extends Tensor> params, float maxNorm) {
        double sq = 0;
        for (Tensor p : params) {
            if (p.grad() == null) continue;
            float[] g = p.grad().data();
            sq += VectorKernels.dot(g.length, g, 0, g, 0);
        }
        float norm = (float) Math.sqrt(sq);
        float coef = maxNorm / (norm + 1e-6f);
        if (coef < 1f) {
            for (Tensor p : params) {
                if (p.grad() == null) continue;
                float[] g = p.grad().data();
                VectorKernels.affine(g.length, coef, 0f, g, 0, g, 0);
            }
        }
        return norm;
    }
}
