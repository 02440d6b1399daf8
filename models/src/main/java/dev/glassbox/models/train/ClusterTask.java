package dev.glassbox.models.train;

import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A data-parallel run's task: each step's batch is a list of example indices, whose loss and
 * gradient the {@link GradientService}'s workers compute; the optimizer steps here, with the
 * Trainer's checks and clipping, and the new weights go to the workers at the next step.
 */
public final class ClusterTask implements TrainingTask<int[]> {
    private final Module model;
    private final Optimizer optimizer;
    private final IndexBatches batches;
    private final GradientService workers;
    private final IntFunction<Map<String, Object>> evaluate;

    public ClusterTask(Module model, Optimizer optimizer, IndexBatches batches, GradientService workers,
                       IntFunction<Map<String, Object>> evaluate) {
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.workers = workers;
        this.evaluate = evaluate;
    }

    @Override public Module model() { return model; }

    @Override public List<Optimizer> optimizers() { return List.of(optimizer); }

    @Override public Batches<int[]> batches() { return batches; }

    @Override
    public StepResult step(int[] batch, StepContext ctx) {
        optimizer.zeroGrad();
        float loss = workers.lossAndGradients(batch);
        return new StepResult(ctx.apply(loss, optimizer, "the loss"), batch.length);
    }

    @Override
    public Map<String, Object> evaluate(int epoch) { return evaluate.apply(epoch); }
}
