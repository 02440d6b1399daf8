package dev.glassbox.models.word2vec;

import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.tensor.Tensor;

/**
 * Trained word2vec as a module: {@code W_embeddings} [words × dim] (the vectors people use,
 * one row per word) and, when training produced it, {@code W_nce} [words × dim] (the output
 * vectors negative sampling scores against). Both share their arrays with the
 * {@link KeyedVectors} and the training result; nothing is copied.
 */
public final class WordVectors extends Module {
    public final Parameter embeddings;
    public final Parameter nce;
    private final KeyedVectors vectors;

    /** @param nce the output vectors, or null (vectors read from a word2vec file have none) */
    public WordVectors(KeyedVectors vectors, float[] nce) {
        this.vectors = vectors;
        this.embeddings = registerParameter("W_embeddings", new Parameter(Tensor.wrap(vectors.matrix(), vectors.size(), vectors.dim())));
        this.nce = nce == null ? null : registerParameter("W_nce", new Parameter(Tensor.wrap(nce, vectors.size(), vectors.dim())));
    }

    public KeyedVectors vectors() { return vectors; }

    /** The rows of the given word ids. */
    @Override
    public Tensor forward(Tensor ids) {
        throw new UnsupportedOperationException("word vectors are looked up by word: use vectors()");
    }
}
