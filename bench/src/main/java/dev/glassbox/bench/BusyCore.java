package dev.glassbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Issue 22's busy core: another process spinning on one core (the last) for as long as this is
 * open — {@code taskset -c CPU sh -c 'while :; do :; done'}, as docs/benchmarks.md's busy-core
 * runs did by hand — so {@code glassbox bench --busy-core} measures both sides with a core taken.
 */
public final class BusyCore implements AutoCloseable {
    private final Process spinner;
    private final Thread cleanup;
    /** The CPU the spinner is pinned to. */
    public final int cpu;

    private BusyCore(Process spinner, int cpu) {
        this.spinner = spinner;
        this.cpu = cpu;
        cleanup = new Thread(spinner::destroyForcibly, "busy-core-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);   // an interrupted benchmark leaves no spinner behind
    }

    /** Starts the spinner on the last CPU; a clear error where there is one CPU or no {@code taskset}. */
    public static BusyCore start() throws IOException {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2) throw new IllegalArgumentException("--busy-core needs two cores or more; this machine gives the JVM " + cpus);
        if (!onPath("taskset")) {
            throw new IllegalArgumentException("--busy-core needs taskset to pin its spinner to one core (Debian: apt-get install util-linux)");
        }
        int cpu = cpus - 1;
        Process p = new ProcessBuilder("taskset", "-c", Integer.toString(cpu), "sh", "-c", "while :; do :; done")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                throw new IOException("--busy-core: the spinner (taskset -c " + cpu + " sh) stopped at once, exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("--busy-core: interrupted while starting the spinner", e);
        }
        return new BusyCore(p, cpu);
    }

    /** Whether the spinner is still running. */
    public boolean spinning() { return spinner.isAlive(); }

    @Override
    public void close() {
        spinner.destroyForcibly();
        try {
            spinner.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
