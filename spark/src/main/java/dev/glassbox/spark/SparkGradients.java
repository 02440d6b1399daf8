package dev.glassbox.spark;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Synchronous data parallelism on Spark, as MLlib trains its linear models: the training set is
 * an RDD of {@link Shard}s, one per executor, loaded by the executors and cached there; each
 * step broadcasts the driver's weights, every partition computes the gradient of its share of
 * the global batch, and {@code treeAggregate} sums the shares (flat float arrays) back to the
 * driver, whose optimizer then steps. With the same seed and batch the run follows the
 * single-process run's loss curve within float rounding (the shares are summed in whatever order
 * the tasks finish).
 */
final class SparkGradients implements GradientService {
    private final JavaSparkContext sc;
    private final JavaRDD<Shard> shards;
    private final List<Parameter> params;
    /** The parameters then the buffers (what is broadcast), and the buffers alone (averaged back after each step). */
    private final List<Tensor> state, buffers;
    private final String recipe, settings, master;
    private final int workers, weights, buffered, syncEvery;
    /** Each step's wall time and its slowest worker's compute time, ms. */
    private final List<Double> stepMs = new ArrayList<>(), computeMs = new ArrayList<>();

    private SparkGradients(JavaSparkContext sc, JavaRDD<Shard> shards, Module model, String recipe, String settings, int workers,
                           int syncEvery) {
        this.syncEvery = syncEvery;
        this.master = sc.master();
        this.sc = sc;
        this.shards = shards;
        this.params = model.parameters();
        this.state = Weights.state(model);
        this.buffers = Weights.buffers(model);
        this.recipe = recipe;
        this.settings = settings;
        this.workers = workers;
        this.weights = Weights.count(params);
        this.buffered = Weights.count(buffers);
    }

    /** The figures besides the loss each step of a phase reports, as the recipe names them. */
    private String[] figures(int phase) {
        return Recipes.get(recipe) instanceof DataParallel dp ? dp.stepFigures(phase).toArray(new String[0]) : new String[0];
    }

    static SparkGradients start(Cluster cluster, String recipe, String settings, Module model) {
        int workers = cluster.workers();
        JavaSparkContext sc = SparkContexts.start(cluster, "glassbox " + recipe);
        try {
            JavaRDD<Shard> shards = sc.parallelize(range(workers), workers)
                    .map(part -> Replicas.shard(recipe, settings, part, workers))
                    .persist(StorageLevel.MEMORY_ONLY());
            long loaded = shards.count();   // every executor loads its part now, not in the first step
            if (loaded != workers) throw new IllegalStateException("loaded " + loaded + " parts of the training set, expected " + workers);
            return new SparkGradients(sc, shards, model, recipe, settings, workers, cluster.syncEvery());
        } catch (Exception e) {   // Spark's Scala code throws checked exceptions undeclared
            SparkContexts.stop(sc);
            throw SparkContexts.explain(e, cluster);
        }
    }

    private static List<Integer> range(int n) {
        List<Integer> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }

    @Override
    public Result lossAndGradients(int phase, int[] examples, float[] noise) {
        InvalidSettingException.check(examples.length > 0, "batch", "is empty");
        long t0 = System.nanoTime();
        Broadcast<float[]> w = sc.broadcast(Weights.get(state));
        String r = recipe, s = settings;
        String[] names = figures(phase);
        int[] batch = examples.clone();
        float[] eps = noise == null ? null : noise.clone();
        // [gradients][loss][examples][figures][buffers][longest compute ms]
        Replicas.Layout at = new Replicas.Layout(weights, names.length, buffered);
        float[] sum;
        try {   // the zero is empty: a partition makes its sum's array, so the task carries no P floats
            sum = shards.treeAggregate(new float[0],
                    (acc, shard) -> Replicas.accumulate(acc.length == 0 ? new float[at.size()] : acc, at, shard, r, s, phase, w.value(), batch, eps, names),
                    Replicas::combine, 2);
        } catch (Exception e) {   // a job aborted (its tasks failed past the retries): one line, the first cause
            throw SparkContexts.explain(e, master);
        } finally {
            w.destroy(false);
        }
        if (sum.length != at.size() || Math.round(sum[at.examples()]) != examples.length) {
            throw new IllegalStateException("the workers computed " + (sum.length == 0 ? 0 : sum[at.examples()]) + " of the batch's "
                    + examples.length + " examples");
        }
        Weights.setGrads(params, sum);
        Weights.set(buffers, sum, at.buffers());
        stepMs.add((System.nanoTime() - t0) / 1e6);
        computeMs.add((double) sum[sum.length - 1]);
        Map<String, Float> f = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) f.put(names[i], sum[at.figures() + i]);
        return new Result(sum[at.loss()], f);
    }

    @Override
    public Result averageRound(int phase, int[][] batches, float[][] noise, Optimizer optimizer) {
        long t0 = System.nanoTime();
        Optimizer.State opt = optimizer.state();
        Broadcast<Round.Start> start = sc.broadcast(new Round.Start(Weights.get(state), opt.steps(), opt.lr(), new TreeMap<>(opt.buffers())));
        String r = recipe, s = settings;
        String[] names = figures(phase);
        int[][] round = new int[batches.length][];
        int examples = 0;
        for (int i = 0; i < round.length; i++) {
            round[i] = batches[i].clone();
            examples += round[i].length;
        }
        float[][] eps = noise == null ? null : noise.clone();
        Round.Result end;
        try {
            end = shards.treeAggregate(Round.Result.none(),
                    (acc, shard) -> Replicas.round(acc, shard, r, s, phase, start.value(), round, eps, names), Round.Result::combine, 2);
        } catch (Exception e) {
            throw SparkContexts.explain(e, master);
        } finally {
            start.destroy(false);
        }
        if (end.examples != examples) throw new IllegalStateException("the workers stepped on " + end.examples + " of the round's " + examples + " examples");
        Weights.set(state, end.weights);
        optimizer.loadState(new Optimizer.State(opt.steps() + batches.length, opt.lr(), end.buffers));
        stepMs.add((System.nanoTime() - t0) / 1e6);
        computeMs.add((double) end.computeMs);
        Map<String, Float> f = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) f.put(names[i], (float) (end.figureSums[i] / end.examples));
        return new Result((float) (end.lossSum / end.examples), f);
    }

    /**
     * {@code workers}, {@code sync_every}; and medians over the steps (rounds, with {@code sync_every} &gt; 1) (the first steps, with the executors' JIT still
     * compiling, take seconds): {@code step_ms}, a step's wall time in the service;
     * {@code worker_ms}, its slowest worker's compute; {@code sync_ms_per_step}, the rest —
     * broadcast, scheduling, moving and summing the gradients.
     */
    @Override
    public Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workers", workers);
        m.put("sync_every", syncEvery);
        List<Double> sync = new ArrayList<>();
        for (int i = 0; i < stepMs.size(); i++) sync.add(Math.max(0, stepMs.get(i) - computeMs.get(i)));
        m.put("sync_ms_per_step", median(sync));
        m.put("step_ms", median(stepMs));
        m.put("worker_ms", median(computeMs));
        return m;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) return 0.0;
        List<Double> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        double med = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return Double.parseDouble(String.format(Locale.ROOT, "%.3f", med));
    }

    @Override
    public void close() {
        shards.unpersist(false);
        SparkContexts.stop(sc);
        Replicas.forget(recipe, settings);
    }
}
