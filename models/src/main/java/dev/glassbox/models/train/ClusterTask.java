package dev.glassbox.models.train;

import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A data-parallel run's task: each step is a round of example-index batches that the
 * {@link GradientService}'s workers compute. A round of one batch is a synchronous step: the
 * workers' gradients summed, the optimizer stepping here with the Trainer's checks and clipping.
 * A longer round is local SGD: the workers step on their own and their results are averaged
 * (clipping then does not apply; a loss that is not finite still stops the run). What a model
 * draws each step — the VAE's ε, seq2seq's generated dates — is drawn here, for the whole batch
 * as one process draws it, and each worker takes its examples' rows. A step may take turns, each
 * a phase of the recipe's training with its own optimizer (the DCGAN's discriminator, then its
 * generator, on the same batch and noise); a stage of a run trained in stages is one phase.
 */
public final class ClusterTask implements TrainingTask<int[][]> {
    private final Module model;
    private List<Turn> turns;
    private final RoundBatches batches;
    private final GradientService workers;
    private final IntFunction<Map<String, Object>> evaluate;
    private Generator noise;
    private IntFunction<float[]> draw;

    public ClusterTask(Module model, Optimizer optimizer, RoundBatches batches, GradientService workers,
                       IntFunction<Map<String, Object>> evaluate) {
        this.model = model;
        this.turns = List.of(new Turn(0, optimizer, "the loss", null));
        this.batches = batches;
        this.workers = workers;
        this.evaluate = evaluate;
    }

    /**
     * One turn of a step: phase {@code phase} of the recipe's training, stepped by
     * {@code optimizer}; {@code what} names its loss in errors ("the generator's loss"), and
     * {@code figure} (null: none) is the key its loss is reported under among the step's figures.
     */
    public record Turn(int phase, Optimizer optimizer, String what, String figure) {}

    /** Each step takes these turns in order, on the same batch and drawn values (one turn only with rounds of local steps). */
    public ClusterTask inTurns(List<Turn> turns) {
        if (turns.isEmpty()) throw new IllegalArgumentException("a step needs at least one turn");
        if (turns.size() > 1 && batches.size() > 1) {
            throw new InvalidSettingException("syncEvery", "must be 1 for a model that trains in turns (its networks step one after the other on each batch)");
        }
        this.turns = List.copyOf(turns);
        return this;
    }

    /** Each step is phase {@code phase} of the recipe's training (a stage of a run trained in stages). */
    public ClusterTask inPhase(int phase) {
        Turn t = turns.getFirst();
        return inTurns(List.of(new Turn(phase, t.optimizer(), t.what(), null)));
    }

    /**
     * Draws {@code width} standard normals an example each step from {@code noise}
     * ({@code Tensor.randn(noise, batch, width)}), kept in checkpoints as {@code noise}.
     */
    public ClusterTask drawingNoise(Generator noise, int width) {
        if (width < 1) throw new IllegalArgumentException("noise needs a width of 1 or more, got " + width);
        this.noise = noise;
        this.draw = n -> Tensor.randn(noise, n, width).data();
        return this;
    }

    /**
     * Draws each step's per-example values with {@code draw} (n examples: n rows of equal width,
     * flattened), from a generator the batches keep in checkpoints (a generated example's tokens).
     */
    public ClusterTask drawing(IntFunction<float[]> draw) {
        this.draw = draw;
        return this;
    }

    @Override public Module model() { return model; }

    @Override public List<Optimizer> optimizers() { return turns.stream().map(Turn::optimizer).toList(); }

    @Override public Batches<int[][]> batches() { return batches; }

    @Override
    public StepResult step(int[][] round, StepContext ctx) {
        int examples = 0;
        float[][] drawn = draw == null ? null : new float[round.length][];
        for (int i = 0; i < round.length; i++) {
            examples += round[i].length;
            if (drawn != null) drawn[i] = draw.apply(round[i].length);
        }
        if (batches.size() == 1) {
            float loss = 0;
            Map<String, Float> figures = new LinkedHashMap<>();
            for (Turn t : turns) {
                t.optimizer().zeroGrad();
                GradientService.Result r = workers.lossAndGradients(t.phase(), round[0], drawn == null ? null : drawn[0]);
                float l = ctx.apply(r.loss(), t.optimizer(), t.what());
                loss += l;
                if (t.figure() != null) figures.put(t.figure(), l);
                figures.putAll(r.figures());
            }
            return new StepResult(loss, examples, figures);
        }
        Turn t = turns.getFirst();
        GradientService.Result r = workers.averageRound(t.phase(), round, drawn, t.optimizer());
        if (!Float.isFinite(r.loss())) throw new DivergedException(ctx.step(), r.loss(), null, "the loss is " + r.loss());
        return new StepResult(r.loss(), examples, r.figures());
    }

    @Override
    public Map<String, Object> evaluate(int epoch) { return evaluate.apply(epoch); }

    @Override
    public void saveState(TrainingState state) { if (noise != null) state.putGenerator("noise", noise); }

    @Override
    public void loadState(TrainingState state) { if (noise != null) state.restoreGenerator("noise", noise); }
}
