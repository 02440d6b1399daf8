package dev.glassbox.optim;

import dev.glassbox.kernels.LayerKernels;
import dev.glassbox.kernels.VectorKernels;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/** Gradient clipping, as torch.nn.utils.clip_grad_norm_. */
public final class ClipGrad {
    private ClipGrad() {}

    /**
     * The joint L2 norm of all gradients (summed in double), without changing them: not finite
     * when any gradient holds a NaN or an infinity.
     */
    public static float gradNorm(List<? extends Tensor> params) {
        double sq = 0;
        for (Tensor p : params) {
            float[] g = p.gradData();
            if (g == null) continue;
            sq += LayerKernels.sumOfSquares(g.length, g);
        }
        return (float) Math.sqrt(sq);
    }

    /** True when every value of {@code t}'s gradient is finite (or it has none). */
    public static boolean gradIsFinite(Tensor t) {
        float[] g = t.gradData();
        if (g == null) return true;
        return Double.isFinite(LayerKernels.sumOfSquares(g.length, g)) || allFinite(g);
    }

    private static boolean allFinite(float[] g) {
        for (float v : g) if (!Float.isFinite(v)) return false;
        return true;
    }

    /**
     * Scales all gradients together so their joint L2 norm is at most {@code maxNorm}
     * (coefficient maxNorm/(norm + 1e−6), applied only when below 1). Returns the norm before clipping.
     */
    public static float clipGradNorm(List<? extends Tensor> params, float maxNorm) {
        float norm = gradNorm(params);
        float coef = maxNorm / (norm + 1e-6f);
        if (coef < 1f) {
            for (Tensor p : params) {
                float[] g = p.gradData();
                if (g == null) continue;
                VectorKernels.affine(g.length, coef, 0f, g, 0, g, 0);
            }
        }
        return norm;
    }
}
