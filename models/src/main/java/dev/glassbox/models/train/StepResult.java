package dev.glassbox.models.train;

/**
 * What one training step reports: its loss, and how much that loss weighs in the epoch's mean
 * (the examples in the batch: a smaller last batch counts less).
 */
public record StepResult(float loss, int weight) {
    public StepResult {
        if (weight < 1) throw new IllegalArgumentException("a step's weight must be positive, got " + weight);
    }

    /** A step whose loss counts once in the epoch's mean. */
    public static StepResult of(float loss) { return new StepResult(loss, 1); }
}
