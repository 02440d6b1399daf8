package dev.glassbox.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one shared executor for kernels. Large work is cut into as many chunks as there are
 * threads; the calling thread runs the first chunk itself, so two threads cost one hand-off.
 * Small work never comes here (callers check a size threshold first).
 *
 * <p>Threads default to the number of available processors; {@code -Dglassbox.threads=N}
 * or {@link #setThreads(int)} change it (1 makes every kernel single-threaded).
 */
public final class Parallel {
    private static final ForkJoinPool POOL;
    private static volatile int threads;

    static {
        int n = Integer.getInteger("glassbox.threads", Runtime.getRuntime().availableProcessors());
        threads = Math.max(1, n);
        AtomicInteger id = new AtomicInteger();
        POOL = new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()), pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("glassbox-kernel-" + id.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    private Parallel() {}

    /** Number of threads kernels may use. */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use (at least 1). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        threads = n;
    }

    /** A body run over chunk {@code [start, end)} of a range. */
    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} chunks whose
     * boundaries are multiples of {@code grain} (the last chunk takes the rest).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int t = threads;
        int units = (n + grain - 1) / grain;
        int chunks = Math.min(t, units);
        if (chunks <= 1 || ForkJoinTask.inForkJoinPool()) {
            body.run(0, n);
            return;
        }
        int per = (units + chunks - 1) / chunks;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int s = Math.min(n, c * per * grain), e = Math.min(n, (c + 1) * per * grain);
            tasks[c - 1] = POOL.submit(() -> body.run(s, e));
        }
        RuntimeException first = null;
        try {
            body.run(0, Math.min(n, per * grain));
        } catch (RuntimeException ex) {
            first = ex;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException ex) {
                if (first == null) first = ex;
            }
        }
        if (first != null) throw first;
    }
}
