package dev.glassbox.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one shared executor for kernels. Large work is cut into chunks that the calling thread
 * and the pool's workers take in turn until none is left.
 * Small work never comes here (callers check a size threshold first).
 *
 * <p>Workers spin for a while after each chunk before they park, because waking a parked
 * thread took ~100 µs (and up to milliseconds) on the VMs we measure on, and kernels such
 * as SGEMM hand work out several times per call; OpenBLAS's threads spin for the same reason.
 * The spin window is {@code -Dglassbox.spinMicros} (default 1000); 0 parks at once. After the
 * first {@code -Dglassbox.yieldMicros} of it (default 20) a spinning thread yields its core now
 * and then ({@link Thread#yield}): where another process takes a core, the scheduler puts both
 * of our threads on the other one, and a pure spin there took the working thread's time — W1's
 * 512³ on two threads ran at 0.71 of one thread's speed, W2's step at 1.7× its time; yielding
 * costs nothing where nothing else wants the core.
 *
 * <p>Threads default to the number of available processors; {@code -Dglassbox.threads=N}
 * or {@link #setThreads(int)} change it (1 makes every kernel single-threaded). A call made
 * from inside a parallel body, or while another thread is using the pool, runs inline.
 */
public final class Parallel {
    private static final long SPIN_NANOS = Long.getLong("glassbox.spinMicros", 1000L) * 1000L;
    private static final long YIELD_NANOS = Long.getLong("glassbox.yieldMicros", 20L) * 1000L;
    private static final Worker[] WORKERS;
    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final ThreadLocal<boolean[]> INSIDE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile int threads;

    static {
        int cpus = Runtime.getRuntime().availableProcessors();
        threads = Math.max(1, Integer.getInteger("glassbox.threads", cpus));
        WORKERS = new Worker[Math.max(0, Math.max(cpus, threads) - 1)];
        for (int i = 0; i < WORKERS.length; i++) {
            WORKERS[i] = new Worker(i + 1);
            WORKERS[i].start();
        }
    }

    private Parallel() {}

    /** Number of threads kernels may use. */
    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use (at least 1, at most the processors). */
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        threads = Math.min(n, WORKERS.length + 1);
    }

    /**
     * Runs {@code body} with every kernel it calls on the calling thread alone, as inside a
     * parallel body: the pool stays free for the other threads (a background warm-up).
     */
    public static void inline(Runnable body) {
        boolean[] inside = INSIDE.get();
        boolean was = inside[0];
        inside[0] = true;
        try {
            body.run();
        } finally {
            inside[0] = was;
        }
    }

    /** Whether the calling thread is running a parallel body (a worker's, or the caller's inside {@link #forRange}), where a nested call runs inline. */
    static boolean insideBody() {
        return INSIDE.get()[0];
    }

    /**
     * Runs two independent tasks side by side, the calling thread taking one and a worker the
     * other, when a worker is free; otherwise (one thread, a call from inside a parallel body,
     * the pool in use) one after the other on the calling thread. The kernels a task calls run
     * on its thread alone. As in {@link #forRange}, a worker that starts late finds its task
     * taken and the caller runs both; an exception from either reaches the caller.
     */
    public static void both(Runnable first, Runnable second) {
        forRange(2, 1, (s, e) -> {
            for (int i = s; i < e; i++) (i == 0 ? first : second).run();
        });
    }

    /** A body run over chunk {@code [start, end)} of a range. */
    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks whose boundaries are multiples of
     * {@code grain} (the last chunk takes the rest). The chunks shrink as the work goes, each a
     * 2t-th of the units left for t threads, down to one unit, so the threads finish close
     * together (three equal chunks a thread left one waiting for most of a chunk at the end:
     * about 1% of a W2 or W8 step). Each thread takes the next free chunk when it finishes one,
     * so a thread slowed by the machine (a busy VM neighbour, a GC or JIT thread on its core)
     * does less of the work instead of making the others wait. The caller waits only for the
     * chunks the workers took, never for a worker to start: one woken late finds nothing left,
     * and the caller has done the work alone.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int units = (n + grain - 1) / grain;
        int t = Math.min(threads, units);
        boolean[] inside = INSIDE.get();
        if (t <= 1 || inside[0] || !BUSY.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            int chunks = 0;   // counted first: the chunks are O(t·log(units)), the units may be millions
            for (int at = 0; at < units; chunks++) at += chunk(units - at, t);
            int count = chunks;
            int[] bounds = new int[count + 1];   // chunk c is [bounds[c], bounds[c + 1]) in units
            for (int c = 0; c < count; c++) bounds[c + 1] = bounds[c] + chunk(units - bounds[c], t);
            // next: the next chunk to take; pending: the chunks neither finished nor given up
            AtomicInteger next = new AtomicInteger(), pending = new AtomicInteger(count);
            AtomicReference<Throwable> error = new AtomicReference<>();
            RangeBody share = (ignored0, ignored1) -> {
                for (int c; (c = next.getAndIncrement()) < count; ) {
                    try {
                        body.run((int) Math.min(n, (long) bounds[c] * grain), (int) Math.min(n, (long) bounds[c + 1] * grain));
                    } catch (Throwable e) {
                        error.compareAndSet(null, e);
                        int untaken = next.getAndSet(count);   // the others stop early: the chunks not yet taken are given up
                        if (untaken < count) pending.addAndGet(untaken - count);
                    } finally {
                        pending.decrementAndGet();
                    }
                }
            };
            for (int w = 1; w < t; w++) WORKERS[w - 1].submit(share);
            inside[0] = true;
            try {
                share.run(0, 0);
            } finally {
                inside[0] = false;
            }
            // Wait for the chunks still running, not for the workers: a worker that starts late
            // (woken late, or its core taken by another process) finds no chunk left and does
            // nothing, and the caller, which has done the rest itself, is not held.
            awaitNone(pending);
            Throwable first = error.get();
            if (first instanceof RuntimeException re) throw re;
            if (first instanceof Error er) throw er;
            if (first != null) throw new IllegalStateException(first);
        } finally {
            BUSY.set(false);
        }
    }

    /** Units in the next chunk when {@code left} are left for {@code t} threads: a 2t-th of them, at least one. */
    private static int chunk(int left, int t) {
        return Math.max(1, (left + 2 * t - 1) / (2 * t));
    }

    /** Spins (yielding the core now and then after the first {@link #YIELD_NANOS}, then naps) until no chunk is pending. */
    private static void awaitNone(AtomicInteger pending) {
        long t0 = System.nanoTime();
        int spins = 0;
        while (pending.get() > 0) {
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long waited = System.nanoTime() - t0;
            if (waited >= SPIN_NANOS && spins >= 1 << 10) LockSupport.parkNanos(20_000);
            else if (waited >= YIELD_NANOS) Thread.yield();
            else Thread.onSpinWait();
        }
    }

    /**
     * A worker with a one-job mailbox: spins, then parks, waiting for the next job. A job
     * posted before the last one was taken replaces it: the caller never waits for a worker,
     * only for the chunks a worker took, so an old job is one whose chunks are all gone.
     */
    private static final class Worker extends Thread {
        private volatile RangeBody body;
        private volatile long posted;
        private volatile boolean parked;

        Worker(int id) {
            super("glassbox-kernel-" + id);
            setDaemon(true);
        }

        void submit(RangeBody b) {
            body = b;
            posted = posted + 1;             // publishes the job (volatile write last)
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            INSIDE.get()[0] = true;
            long seen = 0;
            while (true) {
                long t0 = System.nanoTime();
                int spins = 0;
                while (posted == seen) {
                    if ((++spins & 63) != 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    long waited = System.nanoTime() - t0;
                    if (waited >= SPIN_NANOS) {
                        parked = true;
                        if (posted == seen) LockSupport.park(this);
                        parked = false;
                    } else if (waited >= YIELD_NANOS) {
                        Thread.yield();   // the core to whatever else wants it (our other thread, where another process has taken a core)
                    } else {
                        Thread.onSpinWait();
                    }
                }
                seen = posted;
                try {
                    body.run(0, 0);
                } catch (Throwable ignored) {
                    // the job's own chunks record what they throw; nothing else runs here
                }
            }
        }
    }
}
