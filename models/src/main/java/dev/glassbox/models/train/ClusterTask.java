package dev.glassbox.models.train;

import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A data-parallel run's task: each step is a round of example-index batches that the
 * {@link GradientService}'s workers compute. A round of one batch is a synchronous step: the
 * workers' gradients summed, the optimizer stepping here with the Trainer's checks and clipping.
 * A longer round is local SGD: the workers step on their own and their results are averaged
 * (clipping then does not apply; a loss that is not finite still stops the run).
 */
public final class ClusterTask implements TrainingTask<int[][]> {
    private final Module model;
    private final Optimizer optimizer;
    private final RoundBatches batches;
    private final GradientService workers;
    private final IntFunction<Map<String, Object>> evaluate;

    public ClusterTask(Module model, Optimizer optimizer, RoundBatches batches, GradientService workers,
                       IntFunction<Map<String, Object>> evaluate) {
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.workers = workers;
        this.evaluate = evaluate;
    }

    @Override public Module model() { return model; }

    @Override public List<Optimizer> optimizers() { return List.of(optimizer); }

    @Override public Batches<int[][]> batches() { return batches; }

    @Override
    public StepResult step(int[][] round, StepContext ctx) {
        int examples = 0;
        for (int[] b : round) examples += b.length;
        if (batches.size() == 1) {
            optimizer.zeroGrad();
            float loss = workers.lossAndGradients(round[0]);
            return new StepResult(ctx.apply(loss, optimizer, "the loss"), examples);
        }
        float loss = workers.averageRound(round, optimizer);
        if (!Float.isFinite(loss)) throw new DivergedException(ctx.step(), loss, null, "the loss is " + loss);
        return new StepResult(loss, examples);
    }

    @Override
    public Map<String, Object> evaluate(int epoch) { return evaluate.apply(epoch); }
}
