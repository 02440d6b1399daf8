package dev.glassbox.models.train;

import dev.glassbox.io.AtomicFiles;
import dev.glassbox.models.Warmup;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one training loop every model runs on. For each epoch: the task's batches, one step each
 * (the task's forward and loss; {@link StepContext#update} for backward, divergence checks,
 * gradient clipping and the optimizer), schedules stepped per step or per epoch; at the epoch's
 * end the held-out evaluation; checkpoints every so many steps or epochs and at the end; events
 * to a listener throughout. A run resumed from a checkpoint continues exactly: the same batches,
 * the same random draws, bit-identical weights.
 *
 * <pre>{@code
 * Trainer.Result r = new Trainer<>(task).epochs(20).clipGradNorm(5f)
 *         .describe("dnn", "course", "digits5x5").fit(events);
 * }</pre>
 *
 * Step counts are {@code long}; epochs times steps per epoch is checked, never wrapped.
 */
public final class Trainer<B> {
    /** When a schedule steps. */
    public enum Every { STEP, EPOCH }

    /**
     * A finished run: the last epoch's mean loss, the last held-out evaluation, steps taken
     * (in all, including those before a resume) and in this run, seconds of the whole run and of
     * its steps alone (without evaluation and checkpoints).
     */
    public record Result(float loss, Map<String, Object> evaluation, long steps, long stepsRun, double seconds, double trainSeconds, int epochs) {}

    /** What a checkpoint says the model is, and the run's settings (JSON), written with the weights. */
    public record Identity(Map<String, String> metadata, String settings) {}

    private record Schedule(LRScheduler scheduler, Every every) {}

    private final TrainingTask<B> task;
    private int epochs = 1;
    private long maxSteps;
    private float clipNorm;
    private final List<Schedule> schedules = new ArrayList<>();
    private String model = "model", preset = "", data = "";
    private int stageIndex, stageCount;
    private String stageName = "", stageGoal = "";
    private RunOptions run = RunOptions.NONE;
    private Identity identity;
    private TrainingCheckpoint resumeFrom;
    private Map<String, String> carried = Map.of();

    public Trainer(TrainingTask<B> task) { this.task = task; }

    /** Passes over the batches (default 1). */
    public Trainer<B> epochs(int n) {
        InvalidSettingException.check(n >= 1, "epochs", "must be positive, got " + n);
        epochs = n;
        return this;
    }

    /** Stops after {@code n} steps in all, mid-epoch if need be; 0 (the default) for no limit. */
    public Trainer<B> maxSteps(long n) {
        InvalidSettingException.check(n >= 0, "steps", "must be positive (or 0 for no limit), got " + n);
        maxSteps = n;
        return this;
    }

    /** Clips the gradients of each update to this joint L2 norm (as PyTorch's clip_grad_norm_); 0 for none. */
    public Trainer<B> clipGradNorm(float maxNorm) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("the clipping norm must be 0 or more, got " + maxNorm);
        clipNorm = maxNorm;
        return this;
    }

    /** Steps {@code scheduler} after every optimizer step or at every epoch's end. */
    public Trainer<B> schedule(LRScheduler scheduler, Every every) {
        schedules.add(new Schedule(scheduler, every));
        return this;
    }

    /** Names the run in its {@code started} event. */
    public Trainer<B> describe(String model, String preset, String data) {
        this.model = model;
        this.preset = preset;
        this.data = data;
        return this;
    }

    /**
     * Makes this run stage {@code index} of {@code count} of a larger one (greedy pretraining):
     * it reports a {@code stage} event instead of {@code started}, and its checkpoints name the
     * stage and carry {@code carried} (what earlier stages measured).
     */
    public Trainer<B> stage(int index, int count, String name, String goal, Map<String, String> carried) {
        stageIndex = index;
        stageCount = count;
        stageName = name;
        stageGoal = goal;
        this.carried = Map.copyOf(carried);
        return this;
    }

    /**
     * Writes the model to {@code run}'s file at its checkpoints and at the end, with the training
     * state; {@code identity} names the model for whoever loads the file.
     */
    public Trainer<B> keep(RunOptions run, Identity identity) {
        this.run = run == null ? RunOptions.NONE : run;
        this.identity = identity;
        return this;
    }

    /** Continues the run a checkpoint was taken of (null: start afresh). */
    public Trainer<B> resumeFrom(TrainingCheckpoint checkpoint) {
        resumeFrom = checkpoint;
        return this;
    }

    /** Runs to the end, or throws {@link DivergedException} at the step where training diverges. */
    public Result fit(EventListener events) throws IOException {
        Warmup.stop();   // the training itself now warms what it runs; a background warm-up would only take its cores
        long t0 = System.nanoTime();
        Module net = task.model();
        List<Optimizer> optimizers = task.optimizers();
        Batches<B> batches = task.batches();
        if (run.cluster() != null && !(task instanceof ClusterTask)) {
            throw new InvalidSettingException("spark", "is not supported by " + model + " yet: it trains in this process only");
        }
        Path target = identity == null ? null : run.target();
        if (target != null) AtomicFiles.removeLeftovers(target);

        int perEpoch = batches.perEpoch();
        long total;
        try {
            total = Math.multiplyExact((long) epochs, (long) perEpoch);
        } catch (ArithmeticException e) {
            throw new InvalidSettingException("epochs", epochs + " of " + perEpoch + " steps are more steps than can be counted");
        }
        if (maxSteps > 0) total = Math.min(total, maxSteps);
        int lastEpoch = (int) ((total + perEpoch - 1) / perEpoch);

        Map<Tensor, String> names = new IdentityHashMap<>();
        net.namedParameters().forEach((name, p) -> names.put(p, name));
        StepContext ctx = new StepContext(names, clipNorm);
        Progress at = new Progress();
        if (resumeFrom != null) {
            restore(resumeFrom, at, ctx, net, optimizers, batches);
            if (at.step > total) {
                throw new InvalidSettingException(maxSteps > 0 && maxSteps < (long) epochs * perEpoch ? "steps" : "epochs",
                        "asks for " + total + " steps, but " + resumeFrom.file() + " is already at step " + at.step);
            }
        }
        long fromStep = at.step;
        if (stageIndex > 0) {
            events.on(new TrainingEvent.Stage(stageIndex, stageCount, stageName, stageGoal, lastEpoch, perEpoch, total, fromStep));
        } else {
            events.on(new TrainingEvent.Started(model, preset, data, lastEpoch, perEpoch, total, fromStep));
        }

        long trainNanos = 0;
        Progress cutAt = null;
        while (at.epoch <= lastEpoch) {
            if (!at.epochStarted) {
                batches.startEpoch();
                at.startEpoch();
            }
            net.train();
            long epochEnd = Math.min(total, (long) at.epoch * perEpoch);
            while (at.step < epochEnd) {
                long s0 = System.nanoTime();
                B batch = batches.next();
                ctx.step = at.step + 1;
                StepResult r;
                try {
                    r = task.step(batch, ctx);
                } catch (DivergedException e) {
                    events.on(new TrainingEvent.Diverged(e.step(), e.loss(), e.parameter(), e.getMessage()));
                    throw e;
                }
                at.step++;
                at.inEpoch++;
                for (Schedule s : schedules) if (s.every() == Every.STEP) s.scheduler().step();
                at.lossSum += (double) r.loss() * r.weight();
                at.lossWeight += r.weight();
                for (var m : r.metrics().entrySet()) at.metricSums.merge(m.getKey(), (double) m.getValue() * r.weight(), Double::sum);
                trainNanos += System.nanoTime() - s0;
                events.on(new TrainingEvent.Step(at.epoch, at.step, total, r.loss(), (float) (at.lossSum / at.lossWeight), r.metrics()));
                if (due(RunOptions.CheckpointEvery.Unit.STEPS, at.step) && at.step < total) {
                    save(target, at, ctx, net, optimizers, batches, events);
                }
            }
            // The step limit stopped this epoch part-way: the end of the run keeps it as it stands (mid-epoch), so that a
            // resume with more steps finishes this epoch's batches rather than starting a new epoch where this one stopped.
            if (at.inEpoch < perEpoch && at.step == total) cutAt = at.copy();
            for (Schedule s : schedules) if (s.every() == Every.EPOCH) s.scheduler().step();
            at.lastLoss = at.lossWeight == 0 ? Float.NaN : (float) (at.lossSum / at.lossWeight);
            net.eval();
            Map<String, Object> measured = new LinkedHashMap<>();
            for (var m : at.metricSums.entrySet()) measured.put(m.getKey(), (float) (m.getValue() / at.lossWeight));   // the steps' means
            try (var ignored = GradMode.noGrad()) {
                measured.putAll(task.evaluate(at.epoch));
            }
            at.lastEvaluation = measured;
            events.on(new TrainingEvent.EpochEnd(at.epoch, lastEpoch, at.lastLoss, at.lastEvaluation, (System.nanoTime() - t0) / 1e9));
            int finished = at.epoch;
            at.endEpoch();
            if (due(RunOptions.CheckpointEvery.Unit.EPOCHS, finished) && at.step < total) {
                save(target, at, ctx, net, optimizers, batches, events);
            }
        }
        net.eval();
        if (target != null) save(target, cutAt != null ? cutAt : at, ctx, net, optimizers, batches, events);
        return new Result(at.lastLoss, at.lastEvaluation, at.step, at.step - fromStep, (System.nanoTime() - t0) / 1e9, trainNanos / 1e9, lastEpoch);
    }

    /** Batches a step takes: a data-parallel run's rounds of local steps, else 1. */
    private int batchesPerStep() { return run.cluster() == null ? 1 : run.cluster().syncEvery(); }

    private boolean due(RunOptions.CheckpointEvery.Unit unit, long count) {
        RunOptions.CheckpointEvery every = run.checkpointEvery();
        return identity != null && every != null && every.unit() == unit && count % every.count() == 0;
    }

    /** Where a run stands: what a checkpoint saves besides weights and optimizer state. */
    private static final class Progress {
        long step;
        int epoch = 1, inEpoch;
        boolean epochStarted;
        double lossSum;
        long lossWeight;
        /** The epoch's weighted sums of the steps' other figures. */
        Map<String, Double> metricSums = new LinkedHashMap<>();
        float lastLoss = Float.NaN;
        Map<String, Object> lastEvaluation = Map.of();

        Progress copy() {
            Progress p = new Progress();
            p.step = step;
            p.epoch = epoch;
            p.inEpoch = inEpoch;
            p.epochStarted = epochStarted;
            p.lossSum = lossSum;
            p.lossWeight = lossWeight;
            p.metricSums = new LinkedHashMap<>(metricSums);
            p.lastLoss = lastLoss;
            p.lastEvaluation = lastEvaluation;
            return p;
        }

        void startEpoch() {
            epochStarted = true;
            inEpoch = 0;
            lossSum = 0;
            lossWeight = 0;
            metricSums = new LinkedHashMap<>();
        }

        void endEpoch() {
            epoch++;
            epochStarted = false;
            inEpoch = 0;
        }
    }

    private void save(Path target, Progress at, StepContext ctx, Module net, List<Optimizer> optimizers, Batches<B> batches,
                      EventListener events) throws IOException {
        TrainingState s = TrainingState.empty();
        s.putString("stage", stageName);
        s.putLong("batches_per_step", batchesPerStep());
        s.putLong("step", at.step).putLong("epoch", at.epoch).putLong("in_epoch", at.inEpoch).putLong("epoch_started", at.epochStarted ? 1 : 0);
        s.putDouble("loss_sum", at.lossSum).putLong("loss_weight", at.lossWeight);
        TrainingState sums = s.child("metric_sums");
        at.metricSums.forEach(sums::putDouble);
        s.putString("last_loss", Float.toString(at.lastLoss));
        s.node().set("last_evaluation", TrainingState.JSON.valueToTree(at.lastEvaluation));
        float[] first = ctx.startLosses(optimizers);
        for (int i = 0; i < optimizers.size(); i++) {
            Optimizer.State os = optimizers.get(i).state();
            TrainingState o = s.child("optimizer" + i);
            o.putLong("steps", os.steps()).putString("lr", Float.toString(os.lr())).putString("first_loss", Float.toString(first[i]));
            TrainingState b = o.child("buffers");
            os.buffers().forEach(b::putFloats);
        }
        for (int i = 0; i < schedules.size(); i++) s.putLong("schedule" + i, schedules.get(i).scheduler().lastEpoch());
        batches.saveState(s.child("batches"));
        task.saveState(s.child("task"));
        TrainingState c = s.child("carried");
        carried.forEach(c::putString);
        TrainingCheckpoint.write(target, net, identity.metadata(), identity.settings(), s);
        events.on(new TrainingEvent.Checkpoint(target.toString(), at.step));
    }

    private void restore(TrainingCheckpoint cp, Progress at, StepContext ctx, Module net, List<Optimizer> optimizers,
                         Batches<B> batches) throws IOException {
        if (identity != null) cp.requireSameRun(identity.metadata(), identity.settings());
        TrainingState s = cp.state();
        try {
            long written = s.has("batches_per_step") ? s.getLong("batches_per_step") : 1;
            if (written != batchesPerStep()) {   // its steps count rounds of another size: its place in the data would be misread
                throw new InvalidSettingException("syncEvery", "is " + batchesPerStep() + " but " + cp.file() + " was written by a run of "
                        + written + " batch" + (written == 1 ? "" : "es") + " a step; resume it with the same");
            }
            if (!s.getString("stage").equals(stageName)) {
                throw new IOException(cp.file() + " was written in stage '" + s.getString("stage") + "', not '" + stageName + "'");
            }
            cp.restoreWeights(net);
            float[] first = new float[optimizers.size()];
            for (int i = 0; i < optimizers.size(); i++) {
                if (!s.has("optimizer" + i)) throw new IOException(cp.file() + " holds the state of fewer optimizers than this run has");
                TrainingState o = s.child("optimizer" + i);
                Map<String, float[]> buffers = new LinkedHashMap<>();
                TrainingState b = o.child("buffers");
                b.node().fieldNames().forEachRemaining(k -> buffers.put(k, b.getFloats(k)));
                optimizers.get(i).loadState(new Optimizer.State(o.getLong("steps"), Float.parseFloat(o.getString("lr")), buffers));
                first[i] = Float.parseFloat(o.getString("first_loss"));
            }
            ctx.restoreStartLosses(optimizers, first);
            for (int i = 0; i < schedules.size(); i++) schedules.get(i).scheduler().setLastEpoch((int) s.getLong("schedule" + i));
            at.step = s.getLong("step");
            at.epoch = (int) s.getLong("epoch");
            at.inEpoch = (int) s.getLong("in_epoch");
            at.epochStarted = s.getLong("epoch_started") == 1;
            at.lossSum = s.getDouble("loss_sum");
            at.lossWeight = s.getLong("loss_weight");
            TrainingState sums = s.child("metric_sums");
            sums.node().fieldNames().forEachRemaining(k -> at.metricSums.put(k, sums.getDouble(k)));
            at.lastLoss = Float.parseFloat(s.getString("last_loss"));
            Map<String, Object> evaluation = s.has("last_evaluation") ? TrainingState.JSON.convertValue(s.node().get("last_evaluation"),
                    TrainingState.JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class)) : null;
            at.lastEvaluation = evaluation == null ? Map.of() : evaluation;
            if (at.step < 0 || at.epoch < 1 || at.inEpoch < 0 || at.inEpoch > batches.perEpoch()) {
                throw new IOException(cp.file() + ": its training state does not fit this run (step " + at.step + ", epoch " + at.epoch
                        + ", " + at.inEpoch + " steps into it, of " + batches.perEpoch() + ")");
            }
            batches.loadState(s.child("batches"), at.inEpoch);
            task.loadState(s.child("task"));
        } catch (IllegalStateException | IllegalArgumentException e) {
            if (e instanceof InvalidSettingException) throw e;
            throw new IOException(cp.file() + ": " + e.getMessage(), e);
        }
    }
}
