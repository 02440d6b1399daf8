package dev.glassbox.models.train;

import dev.glassbox.optim.Optimizer;

import java.util.Map;

/**
 * Workers elsewhere that compute with the model's current weights, each over the examples of a
 * batch it holds: a batch's loss and gradient (the part of a synchronous data-parallel step that
 * is not the optimizer's), or a round of local steps whose results are averaged. {@link ScaleOut}
 * opens one for a run.
 */
public interface GradientService extends AutoCloseable {
    /**
     * The mean loss of phase {@code phase} (of the recipe's {@link dev.glassbox.models.DataParallel.Replica#phases()})
     * over the batch of these training examples (indices into the run's training set), with its
     * gradient set as each parameter's {@code grad} of the model the service was opened for,
     * computed by the workers from that model's weights and buffers as they are now; the model's
     * buffers (BatchNorm's running statistics) then become the workers' after the step, averaged
     * by examples. {@code noise} holds the noise the step drew, a row an example in the order of
     * {@code examples} (null for a model that draws none).
     */
    Result lossAndGradients(int phase, int[] examples, float[] noise);

    /**
     * A round of local SGD in phase {@code phase}: every worker starts from the model's weights and {@code optimizer}'s
     * state, takes one step of its own (a copy of the optimizer, at its rate) on its share of each
     * batch in turn, and the workers' weights and optimizer state, averaged by the examples each
     * saw, become the model's and {@code optimizer}'s (whose step count grows by the round's
     * batches). Returns the mean loss over the round's examples, each taken before its step;
     * {@code noise} holds each batch's noise as for {@link #lossAndGradients} (null: none).
     */
    Result averageRound(int phase, int[][] batches, float[][] noise, Optimizer optimizer);

    /** A step's (or round's) mean loss and the model's other figures of it, by name. */
    record Result(float loss, Map<String, Float> figures) {}

    /** Figures for the run's metrics: {@code workers}, {@code sync_ms_per_step} and the like. */
    Map<String, Object> figures();

    /** Stops the workers this service started. */
    @Override
    void close();
}
