package dev.glassbox.models.explain;

/**
 * What {@code explain} returns: one real training step of a model, with the engine's values,
 * in the shape the course draws that model. {@link Trace} is the one form every model moves to
 * (the dense ones and the CNN so far); {@link Word2VecTrace}, {@link RnnTrace} and
 * {@link Seq2SeqTrace} are the older per-model forms still in use.
 */
public sealed interface Explanation permits Trace, Word2VecTrace, RnnTrace, Seq2SeqTrace {
    /** The model's name. */
    String model();
}
