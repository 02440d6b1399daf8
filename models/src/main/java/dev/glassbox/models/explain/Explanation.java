package dev.glassbox.models.explain;

/**
 * What {@code explain} returns: one real training step of a model, with the engine's values,
 * in the shape the course draws that model. {@link Trace} is the one form every model moves to
 * (the dense ones, the CNN, the RNN and the LSTM so far); {@link Word2VecTrace} and
 * {@link Seq2SeqTrace} are the older per-model forms still in use.
 */
public sealed interface Explanation permits Trace, Word2VecTrace, Seq2SeqTrace {
    /** The model's name. */
    String model();
}
