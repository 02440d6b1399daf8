package dev.glassbox.models;

import java.io.IOException;

/**
 * A recipe whose training spreads over workers by averaging, not by gradients: each worker trains
 * on its own part of the data from the same start for a round (an epoch), and every row of the
 * result becomes the mean over the workers that changed it — word2vec's vectors, as Spark MLlib's
 * Word2Vec trains them.
 */
public interface PartTraining {
    /** Part {@code part} of {@code parts} of a run with these settings (its JSON), loaded on a worker. */
    Share part(String settings, int part, int parts) throws IOException;

    /** A worker's part of a run. */
    interface Share {
        /**
         * Round {@code round} (0, 1, …) on this part, starting from {@code state} (rows of equal
         * width) and leaving its result there; says which rows it changed and what it measured.
         */
        Trained train(float[] state, int round) throws Exception;
    }

    /**
     * A round on one part: which rows it changed; the loss summed over its {@code count} terms
     * (word2vec: over its (word, target) pairs); and the raw words it read.
     */
    record Trained(boolean[] changed, double lossSum, long count, long rawWords) {}
}
