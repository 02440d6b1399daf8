package dev.glassbox.models.course;

import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * Least-squares regression: one input node joined to one output node by one weight (the
 * slope), plus a bias (the intercept): ŷ = w·x + b, trained on the mean squared error.
 */
public final class LinearRegression extends Module {
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
}
