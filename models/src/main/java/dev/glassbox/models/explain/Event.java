package dev.glassbox.models.explain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One event of a training step, in the order they happen: the forward pass node by node, the
 * loss, the backward pass (each node's gradient, then each weight's), the updates. In JSON each
 * carries its kind as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Event.Forward.class, name = "forward"),
        @JsonSubTypes.Type(value = Event.Loss.class, name = "loss"),
        @JsonSubTypes.Type(value = Event.NodeGradient.class, name = "node_gradient"),
        @JsonSubTypes.Type(value = Event.WeightGradient.class, name = "weight_gradient"),
        @JsonSubTypes.Type(value = Event.Update.class, name = "update")})
public sealed interface Event {
    /**
     * A unit's forward computation: the values on its incoming arrows ({@code inputs}, the
     * previous layer's units in order), the weights on those arrows, the bias, their weighted
     * sum z = Σ inputs·weights + bias, the activation and its value a = f(z) (for softmax,
     * over the whole layer's z).
     */
    record Forward(String layer, String node, float[] inputs, float[] weights, float bias, float sum, String activation, float value)
            implements Event {}

    /**
     * The output against the target: the loss's kind ({@code mse}, {@code bce},
     * {@code cross_entropy}), the output layer's values, the target values (one-hot for a
     * class), the right class (or null), and the loss.
     */
    record Loss(String kind, String layer, float[] output, float[] target, Integer targetClass, float value) implements Event {}

    /** dL/dz at a unit: the error signal the backward pass brings to its weighted sum. */
    record NodeGradient(String layer, String node, float gradient) implements Event {}

    /** dL/dW for a whole weight (its shape is the graph's). */
    record WeightGradient(String weight, float[] values) implements Event {}

    /**
     * A weight's update: before, gradient, after; for Adam also the moments m and v after the
     * step (null for SGD). The rule and its numbers are the trace's.
     */
    record Update(String weight, float[] before, float[] gradient, float[] after, float[] m, float[] v) implements Event {}
}
