package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * A lookup table: row i of {@code weight} is the vector of token i. Looking a word up is the
 * same as multiplying its one-hot vector by the table, without the multiply.
 *
 * <p>Shape: ids [*] → [*, embeddingDim]. Attributes: {@code weight} [num, dim], N(0, 1) as PyTorch.
 */
public final class Embedding extends Module {
    public final int numEmbeddings, embeddingDim;
    public final Parameter weight;

    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, Generator.global()); }

    public Embedding(int numEmbeddings, int embeddingDim, Generator g) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        weight = registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings, embeddingDim)));
        Init.normal(weight, 0f, 1f, g);
    }

    /** Looks up a flat list of ids: [ids.length, dim]. */
    public Tensor forward(int[] ids) { return forward(ids, ids.length); }

    /** Looks up ids laid out with {@code idsShape}: result [idsShape..., dim]. */
    public Tensor forward(int[] ids, int... idsShape) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= numEmbeddings) {
                throw new IndexOutOfBoundsException("Embedding: id " + ids[i] + " at position " + i
                        + " is out of range for " + numEmbeddings + " embeddings");
            }
        }
        int[] outShape = Arrays.copyOf(idsShape, idsShape.length + 1);
        outShape[idsShape.length] = embeddingDim;
        return hooked(null, weight.indexSelect(0, ids).reshape(outShape));
    }

    @Override
    protected String extraRepr() { return numEmbeddings + ", " + embeddingDim; }
}
