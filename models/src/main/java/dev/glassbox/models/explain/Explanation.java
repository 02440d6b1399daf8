package dev.glassbox.models.explain;

/**
 * What {@code explain} returns: one real training step of a model, with the engine's values,
 * in the shape the course draws that model. {@link Trace} is the one form every model moves to
 * (every model but seq2seq so far); {@link Seq2SeqTrace} is the older per-model form still in
 * use.
 */
public sealed interface Explanation permits Trace, Seq2SeqTrace {
    /** The model's name. */
    String model();
}
