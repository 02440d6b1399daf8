package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * A fully connected layer: every input node joined to every output node by a weighted arrow,
 * {@code y = x·Wᵀ + b}.
 *
 * <p>Args: {@code inFeatures}, {@code outFeatures}; {@link Bias#NONE} leaves out b.
 * <p>Shape: input [..., in] → output [..., out].
 * <p>Attributes: {@code weight} [out, in] and {@code bias} [out], both uniform in
 * ±1/√in (PyTorch's default: Kaiming-uniform with a = √5).
 * <pre>{@code
 * Linear hidden1 = new Linear(25, 3, new Generator(0));
 * Tensor h = hidden1.forward(x);   // x: [batch, 25] -> h: [batch, 3]
 * }</pre>
 */
public final class Linear extends Module {
    /** Whether a layer has a bias. */
    public enum Bias { WITH, NONE }

    public final int inFeatures, outFeatures;
    public final Parameter weight;
    /** Null with {@link Bias#NONE}. */
    public final Parameter bias;

    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, Generator.global(), Bias.WITH); }

    public Linear(int inFeatures, int outFeatures, Generator g) { this(inFeatures, outFeatures, g, Bias.WITH); }

    public Linear(int inFeatures, int outFeatures, Generator g, Bias withBias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        weight = registerParameter("weight", new Parameter(Tensor.zeros(outFeatures, inFeatures)));
        bias = withBias == Bias.WITH ? registerParameter("bias", new Parameter(Tensor.zeros(outFeatures))) : null;
        resetParameters(g);
    }

    /** Kaiming-uniform (a = √5) weight and uniform ±1/√in bias, as PyTorch. */
    public void resetParameters(Generator g) {
        Init.kaimingUniform(weight, Math.sqrt(5), g);
        if (bias != null) {
            float bound = (float) (1 / Math.sqrt(inFeatures));
            Init.uniform(bias, -bound, bound, g);
        }
    }

    @Override
    public Tensor forward(Tensor x) { return hooked(x, F.linear(x, weight, bias)); }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
