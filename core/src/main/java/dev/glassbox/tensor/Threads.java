package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;

/**
 * How many threads the kernels use (as {@code torch.get_num_threads} / {@code set_num_threads}):
 * all the processors by default, or {@code -Dglassbox.threads=N}. With one thread every result
 * is reproducible bit for bit from run to run.
 */
public final class Threads {
    private Threads() {}

    public static int count() { return Parallel.threads(); }

    /**
     * What is wrong with the kernels' JVM options ({@code -Dglassbox.simd.bits},
     * {@code -Dglassbox.sgemm.tile}, {@code .kc}, {@code .mc}), or null; checked without starting the kernels, which would
     * fail on a bad value inside their class initialisation.
     */
    public static String optionProblem() { return dev.glassbox.kernels.KernelProperties.problem(); }

    /**
     * Runs {@code body} with every kernel it calls on the calling thread alone, leaving the
     * kernels' other threads to the rest of the program (a background task that must not take
     * them from a training).
     */
    public static void alone(Runnable body) { Parallel.inline(body); }

    /** Sets the threads the kernels use (at least 1; more than the processors counts as all of them). */
    public static void set(int n) { Parallel.setThreads(n); }
}
