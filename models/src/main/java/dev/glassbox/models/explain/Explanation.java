package dev.glassbox.models.explain;

/**
 * What {@code explain} returns: one real training step of a model, with the engine's values,
 * in the shape the course draws that model — node by node for dense networks ({@link Trace}),
 * map by map for convolutional ones ({@link ConvTrace}).
 */
public sealed interface Explanation permits Trace, ConvTrace, Word2VecTrace, RnnTrace, Seq2SeqTrace {
    /** The model's name. */
    String model();
}
