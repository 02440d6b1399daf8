package dev.glassbox.models.explain;

import java.util.List;

/**
 * The course's word2vec told step by step with the engine's values: the sentences and the
 * vocabulary; the (centre, context) pairs of the first sentence; then one training step on
 * one pair with the full softmax — the centre's one-hot vector, its row of W_embeddings (the
 * lookup), one score per vocabulary word (the row times each row of W_nce), the softmax, the
 * loss −ln p(context), the gradients and the updated rows — and then the same pair with negative
 * sampling: the true context and a few noise words, each scored through the logistic function.
 */
public record Word2VecTrace(String model, List<String> sentences, List<String> vocabulary, int window, List<List<String>> pairs,
                            String centre, String context, float[] oneHot, float[] embedding, float[][] nce, float[] scores,
                            float[] probabilities, float loss, float learningRate, float[] embeddingGradient, float[] newEmbedding,
                            float[][] nceGradient, float[][] newNce, NegativeSampling negativeSampling) implements Explanation {

    /**
     * The same pair with negative sampling: the targets (the context word then the noise
     * words), their scores e·W_nce[t], σ(score), the loss −ln σ(s₀) − Σ ln σ(−sₖ), and the
     * updates of the centre's row and of each target's W_nce row (no other row changes).
     */
    public record NegativeSampling(List<String> targets, float[] scores, float[] sigmoids, float loss, float[] embedding,
                                   float[] embeddingGradient, float[] newEmbedding, float[][] rows, float[][] rowGradients,
                                   float[][] newRows) {}
}
