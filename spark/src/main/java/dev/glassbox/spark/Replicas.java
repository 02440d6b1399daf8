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
    private record Run(DataParallel.Replica<?> replica, ConcurrentLinkedQueue<Module> models) {
        /** A model copy of this task's own: from the pool, or a new one (a pool grows to the tasks running at once). */
        Module borrow() {
            Module m = models.poll();
            return m != null ? m : replica.model().get();
        }

        @SuppressWarnings("unchecked")
        DataParallel.Phase<Object> phase(int index) { return ((DataParallel.Replica<Object>) replica).phase(index); }
    }

    /**
     * Where a step's sum keeps what: the P gradients, then the loss share, the examples, the
     * figures' shares, the buffers' shares (B values), and last the longest compute time in ms.
     */
    record Layout(int weights, int figureCount, int bufferCount) implements java.io.Serializable {
        int loss() { return weights; }

        int examples() { return weights + 1; }

        int figures() { return weights + 2; }

        int buffers() { return weights + 2 + figureCount; }

        int size() { return buffers() + bufferCount + 1; }
    }

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
     * Adds into {@code acc} (laid out as {@code at} says) the gradient of this shard's share of
     * the batch {@code examples} in phase {@code phase} (its examples' loss, weighed by their count
     * over the batch's, so the shares sum to the gradient of the batch's mean loss), computed
     * with {@code state} (weights then buffers) and the rows of {@code noise} that belong to its
     * examples; then that loss share, the examples, the shares of the step's {@code figures}, the
     * shares of the buffers as the step left them, and the longest compute time.
     */
    static float[] accumulate(float[] acc, Layout at, Shard shard, String recipe, String settings, int phase, float[] state, int[] examples,
                              float[] noise, String[] figures) {
        int[] mine = shard.members(examples);
        if (mine.length == 0) return acc;
        long t0 = System.nanoTime();
        Run run = run(recipe, settings);
        Module model = run.borrow();
        try {
            List<Parameter> params = model.parameters();
            List<Tensor> buffers = Weights.buffers(model);
            Weights.set(Weights.state(model), state);
            if (Weights.count(params) != at.weights() || Weights.count(buffers) != at.bufferCount()) {
                throw new IllegalStateException("the workers' model has other weights than the driver's");
            }
            float share = (float) mine.length / examples.length;
            for (Parameter w : params) w.zeroGrad();
            DataParallel.Step step = run.phase(phase).backward(model, shard.batch(examples, mine), rows(noise, examples.length, mine), share);
            float value = step.loss().item();
            int o = 0;
            for (Parameter w : params) {
                float[] g = w.grad() == null ? null : w.grad().data();
                int n = w.numel();
                if (g != null) for (int i = 0; i < n; i++) acc[o + i] += g[i];
                o += n;
            }
            acc[at.loss()] += value * share;
            acc[at.examples()] += mine.length;
            for (int f = 0; f < figures.length; f++) acc[at.figures() + f] += figure(step, figures[f]) * share;
            o = at.buffers();
            for (Tensor b : buffers) {
                float[] v = b.data();
                for (int i = 0; i < v.length; i++) acc[o + i] += v[i] * share;
                o += v.length;
            }
            acc[acc.length - 1] = Math.max(acc[acc.length - 1], (System.nanoTime() - t0) / 1e6f);
            return acc;
        } finally {
            run.models().add(model);
        }
    }

    /** The rows of a batch's noise at {@code positions} ({@code noise} holds {@code batch} rows), or null for none. */
    private static Tensor rows(float[] noise, int batch, int[] positions) {
        if (noise == null) return null;
        int width = noise.length / batch;
        float[] out = new float[positions.length * width];
        for (int i = 0; i < positions.length; i++) System.arraycopy(noise, positions[i] * width, out, i * width, width);
        return Tensor.wrap(out, positions.length, width);
    }

    private static float figure(DataParallel.Step step, String name) {
        Tensor t = step.figures().get(name);
        if (t == null) throw new IllegalStateException("the model's step gave no '" + name + "'");
        return t.item();
    }

    /**
     * Runs a round of local SGD on this shard in phase {@code phase}: from {@code start}'s weights
     * (and buffers) and optimizer state, one step of the phase's optimizer on this shard's share
     * of each batch in turn (the mean loss over
     * those examples, with their rows of that batch's noise); returns {@code acc} combined with
     * where this shard ended.
     */
    static Round.Result round(Round.Result acc, Shard shard, String recipe, String settings, int phase, Round.Start start, int[][] batches,
                              float[][] noise, String[] figures) {
        long t0 = System.nanoTime();
        Run run = run(recipe, settings);
        Module model = run.borrow();
        try {
            List<Tensor> state = Weights.state(model);
            Weights.set(state, start.weights());
            DataParallel.Phase<Object> ph = run.phase(phase);
            Optimizer opt = ph.optimizer().apply(model, start.lr());
            opt.loadState(new Optimizer.State(start.steps(), start.lr(), start.buffers()));
            Round.Result mine = new Round.Result();
            mine.figureSums = new double[figures.length];
            for (int i = 0; i < batches.length; i++) {
                int[] at = shard.members(batches[i]);
                if (at.length == 0) continue;
                opt.zeroGrad();
                DataParallel.Step step = ph.backward(model, shard.batch(batches[i], at), rows(noise == null ? null : noise[i], batches[i].length, at), 1f);
                opt.step();
                mine.lossSum += (double) step.loss().item() * at.length;
                for (int f = 0; f < figures.length; f++) mine.figureSums[f] += (double) figure(step, figures[f]) * at.length;
                mine.examples += at.length;
            }
            if (mine.examples == 0) return acc;
            mine.weights = Weights.get(state);
            mine.buffers.putAll(opt.state().buffers());
            mine.computeMs = (System.nanoTime() - t0) / 1e6f;
            return Round.Result.combine(acc, mine);
        } finally {
            run.models().add(model);
        }
    }

    /** Two partial sums added (the longest compute time, last, kept). */
    static float[] combine(float[] a, float[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        for (int i = 0; i < a.length - 1; i++) a[i] += b[i];
        a[a.length - 1] = Math.max(a[a.length - 1], b[b.length - 1]);
        return a;
    }

    /** Forgets a finished run's replica (in local mode the executors are this JVM). */
    static void forget(String recipe, String settings) { RUNS.remove(recipe + '\n' + settings); }
}
