package dev.glassbox.nn;

import dev.glassbox.tensor.FusedOps;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Batch normalization (Ioffe and Szegedy, 2015) over the channel dim 1:
 * {@code y = (x − μ)/√(σ² + ε)·γ + β}. In training μ and σ² are the batch's (biased variance)
 * and the running statistics move toward them by {@code momentum} (with the unbiased variance),
 * as PyTorch; in eval mode the running statistics are used. One fused node
 * ({@link FusedOps#batchNorm}) with a written-out backward: none of the composed form's six
 * input-sized temporaries.
 *
 * <p>Shape: {@link #batchNorm1d} takes [N, C] or [N, C, L], {@link #batchNorm2d} [N, C, H, W].
 * Attributes: {@code weight} γ = 1, {@code bias} β = 0 [C] (null without affine); buffers {@code running_mean} 0,
 * {@code running_var} 1 and {@code num_batches_tracked} (PyTorch's names).
 */
public final class BatchNorm extends Module {
    public final int numFeatures;
    public final float eps, momentum;
    public final Parameter weight, bias;
    public final Tensor runningMean, runningVar, numBatchesTracked;
    private final int rank;

    private BatchNorm(int numFeatures, int rank, float eps, float momentum, boolean affine) {
        if (numFeatures <= 0) throw new IllegalArgumentException("BatchNorm: number of features must be positive, got " + numFeatures);
        if (!(eps > 0) || !Float.isFinite(eps)) throw new IllegalArgumentException("BatchNorm: eps must be positive, got " + eps);
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("BatchNorm: momentum must be in [0, 1], got " + momentum);
        this.numFeatures = numFeatures;
        this.rank = rank;
        this.eps = eps;
        this.momentum = momentum;
        weight = affine ? registerParameter("weight", new Parameter(Tensor.ones(numFeatures))) : null;
        bias = affine ? registerParameter("bias", new Parameter(Tensor.zeros(numFeatures))) : null;
        runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
        runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
        numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
    }

    /** For [N, C] or [N, C, L] inputs; ε = 1e-5, momentum 0.1, affine, as PyTorch. */
    public static BatchNorm batchNorm1d(int numFeatures) { return new BatchNorm(numFeatures, 1, 1e-5f, 0.1f, true); }

    /** For [N, C, H, W] inputs; ε = 1e-5, momentum 0.1, affine, as PyTorch. */
    public static BatchNorm batchNorm2d(int numFeatures) { return new BatchNorm(numFeatures, 2, 1e-5f, 0.1f, true); }

    /** PyTorch's {@code BatchNorm1d(num_features, eps, momentum, affine)}: without affine there is no γ nor β. */
    public static BatchNorm batchNorm1d(int numFeatures, float eps, float momentum, boolean affine) {
        return new BatchNorm(numFeatures, 1, eps, momentum, affine);
    }

    /** PyTorch's {@code BatchNorm2d(num_features, eps, momentum, affine)}: without affine there is no γ nor β. */
    public static BatchNorm batchNorm2d(int numFeatures, float eps, float momentum, boolean affine) {
        return new BatchNorm(numFeatures, 2, eps, momentum, affine);
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        boolean ok = rank == 2 ? s.length == 4 : (s.length == 2 || s.length == 3);
        if (!ok || s[1] != numFeatures) {
            throw new IllegalArgumentException("BatchNorm" + rank + "d(" + numFeatures + "): expects " + (rank == 2 ? "[N, " + numFeatures
                    + ", H, W]" : "[N, " + numFeatures + "] or [N, " + numFeatures + ", L]") + ", got " + Arrays.toString(s));
        }
        if (isTraining()) {
            int count = x.numel() / numFeatures;
            if (count <= 1) throw new IllegalArgumentException("BatchNorm: training needs more than one value per channel, got " + Arrays.toString(s));
            float[] mu = new float[numFeatures], v = new float[numFeatures];
            Tensor y = FusedOps.batchNorm(x, weight, bias, eps, mu, v, true);   // biased σ² of the batch
            try (var ignored = GradMode.noGrad()) {
                float unbias = (float) count / (count - 1);
                float[] rm = runningMean.data(), rv = runningVar.data();
                for (int c = 0; c < numFeatures; c++) {
                    rm[c] = (1 - momentum) * rm[c] + momentum * mu[c];
                    rv[c] = (1 - momentum) * rv[c] + momentum * v[c] * unbias;
                }
                numBatchesTracked.data()[0] += 1;
            }
            return y;
        }
        return FusedOps.batchNorm(x, weight, bias, eps, runningMean.data().clone(), runningVar.data().clone(), false);
    }

    @Override
    protected String extraRepr() { return numFeatures + ", eps=" + eps + ", momentum=" + momentum + (weight == null ? ", affine=False" : ""); }
}
