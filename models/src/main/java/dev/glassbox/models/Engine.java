package dev.glassbox.models;

import dev.glassbox.tensor.Threads;

/** The engine as a command sees it before it starts anything: its JVM options checked. */
public final class Engine {
    private Engine() {}

    /** What is wrong with the engine's JVM options ({@code -Dglassbox.simd.bits}, {@code -Dglassbox.sgemm.tile}), or null. */
    public static String optionProblem() { return Threads.optionProblem(); }
}
