package dev.glassbox.models.train;

import java.util.regex.Pattern;

/**
 * Where a data-parallel run's gradients are computed: a Spark master URL ({@code local[N]} for N
 * worker threads in this process, {@code spark://HOST:PORT} for a standalone cluster) and how
 * many executors to ask it for (0: one per core of {@code local[N]}, two on a cluster), and how
 * often they synchronise.
 *
 * @param master    {@code local}, {@code local[N]}, {@code local[*]} or {@code spark://HOST:PORT}
 * @param executors executors (and partitions of the training set), or 0 for the default
 * @param syncEvery 1: every step sums the workers' gradients (the single-process run's result);
 *                  K &gt; 1: each worker takes K steps of its own on its shares of K batches, then
 *                  the workers' weights and optimizer state are averaged (local SGD)
 */
public record Cluster(String master, int executors, int syncEvery) {
    private static final Pattern LOCAL = Pattern.compile("local(\\[([1-9]\\d{0,3}|\\*)])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://[A-Za-z0-9._-]+:\\d{1,5}(,[A-Za-z0-9._-]+:\\d{1,5})*");

    public Cluster {
        check(master != null && !master.isBlank(), "spark", "needs a master URL: local[N] or spark://HOST:PORT");
        check(LOCAL.matcher(master).matches() || STANDALONE.matcher(master).matches(), "spark",
                "'" + master + "' is not a Spark master URL: give local[N] (N threads here) or spark://HOST:PORT (a standalone master)");
        check(executors >= 0 && executors <= 1024, "executors", "must be between 1 and 1024, got " + executors);
        check(executors == 0 || !master.startsWith("local"), "executors",
                "applies to a spark:// master; with " + master + " the number in brackets says how many threads work");
        check(syncEvery >= 1 && syncEvery <= 100_000, "syncEvery", "must be between 1 and 100000 steps, got " + syncEvery);
    }

    /** Gradients summed every step. */
    public Cluster(String master, int executors) { this(master, executors, 1); }

    /** Whether the workers are threads of this process ({@code local[...]}). */
    public boolean local() { return master.startsWith("local"); }

    /** The executors this run uses: as asked, else one per thread of {@code local[N]}, else 2. */
    public int workers() {
        if (executors > 0) return executors;
        if (master.equals("local")) return 1;
        if (master.equals("local[*]")) return Runtime.getRuntime().availableProcessors();
        if (master.startsWith("local[")) return Math.max(1, Integer.parseInt(master.substring(6, master.length() - 1)));
        return 2;
    }

    private static void check(boolean ok, String setting, String problem) { InvalidSettingException.check(ok, setting, problem); }
}
