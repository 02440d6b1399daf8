package dev.glassbox.spark;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What an executor JVM keeps between a run's steps: the run's replica (training set, model
 * factory, loss), built once from the recipe's name and the run's settings, and a pool of model
 * copies, one per task running at a time.
 */
final class Replicas {
    private record Run(DataParallel.Replica replica, ConcurrentLinkedQueue<Module> models) {}

    private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();

    private Replicas() {}

    private static Run run(String recipe, String settings) {
        return RUNS.computeIfAbsent(recipe + '\n' + settings, k -> {
            Recipe<?> r = Recipes.get(recipe);
            if (!(r instanceof DataParallel dp)) throw new IllegalArgumentException(recipe + " does not train data-parallel");
            try {
                return new Run(dp.replica(settings), new ConcurrentLinkedQueue<>());
            } catch (IOException e) {
                throw new UncheckedIOException("a worker could not load the training set of " + recipe + ": " + e.getMessage(), e);
            }
        });
    }

    /** Part {@code part} of {@code parts} of the run's training set, loaded on this executor as the driver loads it. */
    static Shard shard(String recipe, String settings, int part, int parts) {
        return Shard.of(run(recipe, settings).replica().train(), part, parts);
    }

    /**
     * Adds into {@code acc} the gradient of this shard's share of the batch {@code examples}
     * (its examples' loss, weighed by their count over the batch's, so the shares sum to the
     * gradient of the batch's mean loss), computed with {@code weights}; then that loss share at
     * {@code acc[P]}, the examples at {@code acc[P + 1]} and the longest compute time in ms at
     * {@code acc[P + 2]}.
     */
    static float[] accumulate(float[] acc, Shard shard, String recipe, String settings, float[] weights, int[] examples) {
        int[] mine = shard.members(examples);
        if (mine.length == 0) return acc;
        long t0 = System.nanoTime();
        Run run = run(recipe, settings);
        Module model = run.models().poll();
        if (model == null) model = run.replica().model().get();
        try {
            List<Parameter> params = model.parameters();
            int p = Weights.set(params, weights);
            if (acc.length != p + 3) throw new IllegalStateException("the workers' model has " + p + " weights, the driver's " + (acc.length - 3));
            float share = (float) mine.length / examples.length;
            for (Parameter w : params) w.zeroGrad();
            Tensor loss = run.replica().loss().apply(model, shard.batch(mine));
            float value = loss.item();
            loss.mul(share).backward();
            int at = 0;
            for (Parameter w : params) {
                float[] g = w.grad() == null ? null : w.grad().data();
                int n = w.numel();
                if (g != null) for (int i = 0; i < n; i++) acc[at + i] += g[i];
                at += n;
            }
            acc[p] += value * share;
            acc[p + 1] += mine.length;
            acc[p + 2] = Math.max(acc[p + 2], (System.nanoTime() - t0) / 1e6f);
            return acc;
        } finally {
            run.models().add(model);
        }
    }

    /**
     * Runs a round of local SGD on this shard: from {@code start}'s weights and optimizer state, one
     * step of the run's optimizer on this shard's share of each batch in turn (the mean loss over
     * those examples); returns {@code acc} combined with where this shard ended.
     */
    static Round.Result round(Round.Result acc, Shard shard, String recipe, String settings, Round.Start start, int[][] batches) {
        long t0 = System.nanoTime();
        Run run = run(recipe, settings);
        Module model = run.models().poll();
        if (model == null) model = run.replica().model().get();
        try {
            List<Parameter> params = model.parameters();
            Weights.set(params, start.weights());
            Optimizer opt = run.replica().optimizer().apply(model, start.lr());
            opt.loadState(new Optimizer.State(start.steps(), start.lr(), start.buffers()));
            Round.Result mine = new Round.Result();
            for (int[] batch : batches) {
                int[] rows = shard.members(batch);
                if (rows.length == 0) continue;
                Tensor loss = run.replica().loss().apply(model, shard.batch(rows));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                mine.lossSum += (double) loss.item() * rows.length;
                mine.examples += rows.length;
            }
            if (mine.examples == 0) return acc;
            mine.weights = Weights.get(params);
            mine.buffers.putAll(opt.state().buffers());
            mine.computeMs = (System.nanoTime() - t0) / 1e6f;
            return Round.Result.combine(acc, mine);
        } finally {
            run.models().add(model);
        }
    }

    /** Two partial sums added (the longest compute time kept). */
    static float[] combine(float[] a, float[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        int p = a.length - 3;
        for (int i = 0; i < p + 2; i++) a[i] += b[i];
        a[p + 2] = Math.max(a[p + 2], b[p + 2]);
        return a;
    }

    /** Forgets a finished run's replica (in local mode the executors are this JVM). */
    static void forget(String recipe, String settings) { RUNS.remove(recipe + '\n' + settings); }
}
