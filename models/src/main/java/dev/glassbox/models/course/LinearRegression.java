package dev.glassbox.models.course;

import dev.glassbox.models.explain.Activation;
import dev.glassbox.models.explain.DenseNet;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/**
 * Least-squares regression: one input node joined to one output node by one weight (the
 * slope), plus a bias (the intercept): ŷ = w·x + b, trained on the mean squared error.
 */
public final class LinearRegression extends Module implements DenseNet {
    public final Linear output;

    public LinearRegression(Generator g) {
        output = registerModule("output", new Linear(1, 1, g));
    }

    @Override
    public Tensor forward(Tensor x) {
        return output.forward(x);             // x: [batch, 1] -> ŷ: [batch, 1]
    }

    public float slope() { return output.weight.item(); }

    public float intercept() { return output.bias.item(); }

    @Override
    public List<Layer> denseLayers() { return List.of(new Layer("output", output, Activation.IDENTITY)); }

    @Override
    public LossKind lossKind() { return LossKind.MSE; }
}
