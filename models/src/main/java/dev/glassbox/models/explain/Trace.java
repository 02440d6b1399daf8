package dev.glassbox.models.explain;

import java.util.List;

/**
 * One training step of a dense network told the course's way, with the engine's real values:
 * for each layer, each node's weighted sum of its inputs plus bias and its activation; then
 * the output against the target and the loss; then each weight's gradient and new value
 * (new = old − learning rate × gradient).
 *
 * @param targetClass the right class for a classifier, else null
 * @param target      the target values for a regression or binary output, else the one-hot row
 */
public record Trace(String model, float[] input, List<LayerTrace> layers, String lossKind, float[] output,
                    float[] target, Integer targetClass, float loss, float learningRate, List<LayerUpdate> updates)
        implements Explanation {

    /** A layer's forward pass: the values coming in, then each node. */
    public record LayerTrace(String name, String activation, float[] inputs, List<NodeTrace> nodes) {}

    /**
     * One node: the weights on its incoming arrows, its bias, z = Σ wᵢxᵢ + b, its activation a,
     * and dL/dz, the error signal backpropagation brings to it.
     */
    public record NodeTrace(int node, float[] weights, float bias, float weightedSum, float activation, float lossGradient) {}

    /** A layer's weights before the step, their gradients, and after the step. */
    public record LayerUpdate(String name, float[][] weight, float[][] weightGrad, float[][] newWeight,
                              float[] bias, float[] biasGrad, float[] newBias) {}
}
