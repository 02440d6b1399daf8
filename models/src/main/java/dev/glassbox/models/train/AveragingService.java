package dev.glassbox.models.train;

import java.util.Map;

/**
 * Workers elsewhere that each train on their part of a run's data (a
 * {@link dev.glassbox.models.PartTraining} recipe) from the state they are sent, whose results are
 * averaged: {@link ScaleOut#openAveraging} opens one for a run.
 */
public interface AveragingService extends AutoCloseable {
    /**
     * Round {@code round}: every worker starts from {@code state} (rows of {@code width}
     * floats) and trains its part; then each row of {@code state} becomes the mean of that row
     * over the workers that changed it (a row none changed stays as it was).
     */
    Result round(float[] state, int width, int round);

    /** A round's loss summed over its terms, the terms, and the raw words (or examples) the workers read. */
    record Result(double lossSum, long count, long rawWords) {}

    /** Figures for the run's metrics: {@code workers}, {@code sync_ms_per_step} and the like. */
    Map<String, Object> figures();

    /** Stops the workers this service started. */
    @Override
    void close();
}
