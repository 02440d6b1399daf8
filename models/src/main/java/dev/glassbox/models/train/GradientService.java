package dev.glassbox.models.train;

import java.util.Map;

/**
 * Workers elsewhere that compute a batch's loss and gradient from the model's current weights,
 * each over the examples of the batch it holds: the part of a data-parallel step that is not the
 * optimizer's. {@link ScaleOut} opens one for a run.
 */
public interface GradientService extends AutoCloseable {
    /**
     * The mean loss over the batch of these training examples (indices into the run's training
     * set), with its gradient set as each parameter's {@code grad} of the model the service was
     * opened for, computed by the workers from that model's weights as they are now.
     */
    float lossAndGradients(int[] examples);

    /** Figures for the run's metrics: {@code workers}, {@code sync_ms_per_step} and the like. */
    Map<String, Object> figures();

    /** Stops the workers this service started. */
    @Override
    void close();
}
