package dev.glassbox.models.explain;

/**
 * What {@code explain} returns: one real training step of a model, with the engine's values,
 * in the shape the course draws that model — a {@link Trace}, the one form of every model.
 */
public sealed interface Explanation permits Trace {
    /** The model's name. */
    String model();
}
