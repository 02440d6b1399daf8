package dev.glassbox.models.train;

import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;

import java.util.List;
import java.util.Map;

/**
 * One model's training as the {@link Trainer} runs it: the model whose weights a checkpoint
 * holds, its optimizers (one, or several: a GAN alternates two), where the batches come from,
 * and one step. A step computes its losses and hands each to {@link StepContext#update}, which
 * runs backward, checks for divergence, clips and steps that optimizer.
 */
public interface TrainingTask<B> {
    /** The model: all its parameters and buffers are saved at checkpoints. */
    Module model();

    /** The optimizers, in a fixed order (a checkpoint keeps their state in this order). */
    List<Optimizer> optimizers();

    Batches<B> batches();

    /**
     * One step on one batch; returns its loss (and how much it weighs in the epoch's mean), and
     * any other figures of the step, whose epoch means the epoch's end reports.
     */
    StepResult step(B batch, StepContext ctx);

    /**
     * Measured on held-out data at an epoch's end, in eval mode and without a graph:
     * {@code val_loss} and the model's metric (e.g. {@code acc}); empty for none.
     */
    default Map<String, Object> evaluate(int epoch) { return Map.of(); }

    /** Writes what the model carries between steps besides its weights (a recurrent state, say). */
    default void saveState(TrainingState state) {}

    /** Restores what {@link #saveState} wrote. */
    default void loadState(TrainingState state) {}
}
