package dev.glassbox.models.train;

import java.util.Map;

/**
 * What one training step reports: its loss, how much that loss weighs in the epoch's mean (the
 * examples in the batch: a smaller last batch counts less), and any other figures of the step
 * (a GAN's {@code d_loss} and {@code g_loss}, say), which the step event carries and the epoch's
 * end reports as their means over the epoch.
 */
public record StepResult(float loss, int weight, Map<String, Float> metrics) {
    public StepResult {
        if (weight < 1) throw new IllegalArgumentException("a step's weight must be positive, got " + weight);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public StepResult(float loss, int weight) { this(loss, weight, Map.of()); }

    /** A step whose loss counts once in the epoch's mean. */
    public static StepResult of(float loss) { return new StepResult(loss, 1, Map.of()); }
}
