package dev.glassbox.models.course;

import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * Logistic regression: two input nodes (a point's x1 and x2) into one output node whose
 * sigmoid is the probability of class 1 (blue): p = σ(w₁x₁ + w₂x₂ + b), trained on binary
 * cross-entropy. The decision boundary w₁x₁ + w₂x₂ + b = 0 is a straight line.
 */
public final class LogisticRegression extends Module {
    public final Linear output;

    public LogisticRegression(Generator g) {
        output = registerModule("output", new Linear(2, 1, g));
    }

    /** The logit z = w·x + b; σ(z) is the probability of class 1. */
    @Override
    public Tensor forward(Tensor x) {
        return output.forward(x);             // x: [batch, 2] -> z: [batch, 1]
    }

    /** Probability of class 1 for each point. */
    public Tensor probability(Tensor x) { return forward(x).sigmoid(); }
}
