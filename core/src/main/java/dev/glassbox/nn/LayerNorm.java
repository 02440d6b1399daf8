package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016) as torch.nn.LayerNorm: each slice over the
 * trailing {@code normalizedShape} dims is centred and scaled by its own mean and biased
 * variance, {@code y = (x − μ)/√(σ² + ε)·γ + β}, the same in training and evaluation.
 * Attributes: {@code weight} γ = 1 and {@code bias} β = 0 of normalizedShape when
 * {@code elementwiseAffine} (PyTorch's names), else none; ε = 1e-5 by default.
 */
public final class LayerNorm extends Module {
    public final int[] normalizedShape;
    public final float eps;
    public final Parameter weight, bias;

    /** LayerNorm over the last dim of size {@code d}, ε = 1e-5, with weight and bias. */
    public LayerNorm(int d) { this(new int[] {d}, 1e-5f, true); }

    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException("LayerNorm: the normalized shape must be one or more positive sizes, got " + Arrays.toString(normalizedShape));
        }
        if (!(eps > 0)) throw new IllegalArgumentException("LayerNorm: eps must be positive, got " + eps);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        weight = elementwiseAffine ? registerParameter("weight", new Parameter(Tensor.ones(normalizedShape))) : null;
        bias = elementwiseAffine ? registerParameter("bias", new Parameter(Tensor.zeros(normalizedShape))) : null;
    }

    @Override
    public Tensor forward(Tensor x) { return hooked(x, F.layerNorm(x, normalizedShape, weight, bias, eps)); }

    @Override
    protected String extraRepr() {
        String shape = Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')');
        return shape + ", eps=" + eps + ", elementwise_affine=" + (weight != null);
    }
}
