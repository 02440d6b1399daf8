package dev.glassbox.spark;

import dev.glassbox.models.PartTraining;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.train.AveragingService;
import dev.glassbox.models.train.Cluster;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Training by averaging on Spark, as MLlib's Word2Vec: an RDD of the run's part numbers, one
 * partition each, cached so each part stays on the executor that loaded it (an executor keeps its
 * parts' data in this JVM, by run); each round broadcasts the state, every partition trains its
 * part from it, and {@code treeAggregate} sums the rows each changed and how many changed each;
 * a row becomes that mean.
 */
final class SparkAveraging implements AveragingService {
    /** The parts loaded in this JVM, by run and part number. */
    private static final Map<String, PartTraining.Share> PARTS = new ConcurrentHashMap<>();

    private final JavaSparkContext sc;
    private final JavaRDD<Integer> parts;
    private final String recipe, settings, master;
    private final int workers;
    private final List<Double> roundMs = new ArrayList<>(), computeMs = new ArrayList<>();

    private SparkAveraging(JavaSparkContext sc, JavaRDD<Integer> parts, String recipe, String settings, int workers) {
        this.sc = sc;
        this.parts = parts;
        this.recipe = recipe;
        this.settings = settings;
        this.workers = workers;
        this.master = sc.master();
    }

    static SparkAveraging start(Cluster cluster, String recipe, String settings) {
        int workers = cluster.workers();
        JavaSparkContext sc = SparkContexts.start(cluster, "glassbox " + recipe);
        try {
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < workers; i++) numbers.add(i);
            JavaRDD<Integer> parts = sc.parallelize(numbers, workers).map(p -> {
                share(recipe, settings, p, workers);   // every executor loads its part now, not in the first round
                return p;
            }).persist(StorageLevel.MEMORY_ONLY());
            long loaded = parts.count();
            if (loaded != workers) throw new IllegalStateException("loaded " + loaded + " parts, expected " + workers);
            return new SparkAveraging(sc, parts, recipe, settings, workers);
        } catch (Exception e) {
            SparkContexts.stop(sc);
            throw SparkContexts.explain(e, cluster);
        }
    }

    private static PartTraining.Share share(String recipe, String settings, int part, int parts) {
        return PARTS.computeIfAbsent(recipe + '\n' + settings + '\n' + part + '/' + parts, k -> {
            Recipe<?> r = Recipes.get(recipe);
            if (!(r instanceof PartTraining pt)) throw new IllegalArgumentException(recipe + " does not train by averaging parts");
            try {
                return pt.part(settings, part, parts);
            } catch (IOException e) {
                throw new UncheckedIOException("a worker could not load its part of " + recipe + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * This partition's round on its part, added into {@code acc}: [rows it changed, summed][how
     * many parts changed each row][loss sum, terms, raw words, longest compute ms].
     */
    private static float[] train(float[] acc, String recipe, String settings, int part, int parts, float[] state, int width, int round) {
        long t0 = System.nanoTime();
        int rows = state.length / width;
        float[] mine = state.clone();
        PartTraining.Trained t;
        try {
            t = share(recipe, settings, part, parts).train(mine, round);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("part " + part + " of " + recipe + " failed: " + e.getMessage(), e);
        }
        if (acc.length == 0) acc = new float[state.length + rows + 4];
        for (int r = 0; r < rows; r++) {
            if (!t.changed()[r]) continue;
            for (int i = r * width, end = i + width; i < end; i++) acc[i] += mine[i];
            acc[state.length + r] += 1;
        }
        int o = state.length + rows;
        acc[o] += (float) t.lossSum();
        acc[o + 1] += t.count();
        acc[o + 2] += t.rawWords();
        acc[o + 3] = Math.max(acc[o + 3], (System.nanoTime() - t0) / 1e6f);
        return acc;
    }

    private static float[] combine(float[] a, float[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        for (int i = 0; i < a.length - 1; i++) a[i] += b[i];
        a[a.length - 1] = Math.max(a[a.length - 1], b[b.length - 1]);
        return a;
    }

    @Override
    public Result round(float[] state, int width, int round) {
        if (width < 1 || state.length % width != 0) throw new IllegalArgumentException("a state of " + state.length + " floats is not rows of " + width);
        long t0 = System.nanoTime();
        Broadcast<float[]> start = sc.broadcast(state.clone());
        String r = recipe, s = settings;
        int n = workers;
        float[] sum;
        try {
            sum = parts.treeAggregate(new float[0], (acc, part) -> train(acc, r, s, part, n, start.value(), width, round), SparkAveraging::combine, 2);
        } catch (Exception e) {
            throw SparkContexts.explain(e, master);
        } finally {
            start.destroy(false);
        }
        int rows = state.length / width;
        if (sum.length != state.length + rows + 4) throw new IllegalStateException("the workers sent " + sum.length + " values, not " + (state.length + rows + 4));
        for (int row = 0; row < rows; row++) {
            float k = sum[state.length + row];
            if (k == 0) continue;
            for (int i = row * width, end = i + width; i < end; i++) state[i] = sum[i] / k;
        }
        int o = state.length + rows;
        roundMs.add((System.nanoTime() - t0) / 1e6);
        computeMs.add((double) sum[o + 3]);
        return new Result(sum[o], (long) sum[o + 1], (long) sum[o + 2]);
    }

    /** {@code workers}, {@code sync_every} (1: every epoch), and medians over the rounds of {@code step_ms}, {@code worker_ms}, {@code sync_ms_per_step}. */
    @Override
    public Map<String, Object> figures() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workers", workers);
        m.put("sync_every", 1);
        List<Double> sync = new ArrayList<>();
        for (int i = 0; i < roundMs.size(); i++) sync.add(Math.max(0, roundMs.get(i) - computeMs.get(i)));
        m.put("sync_ms_per_step", SparkGradients.median(sync));
        m.put("step_ms", SparkGradients.median(roundMs));
        m.put("worker_ms", SparkGradients.median(computeMs));
        return m;
    }

    @Override
    public void close() {
        parts.unpersist(false);
        SparkContexts.stop(sc);
        PARTS.keySet().removeIf(k -> k.startsWith(recipe + '\n' + settings + '\n'));
    }
}
