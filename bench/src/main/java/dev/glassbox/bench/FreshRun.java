package dev.glassbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Glassbox's side of one benchmark in a new JVM started as this one was (same java, JVM
 * options, class path), and reads the JSON object it prints on its last line. Each round of
 * {@code --vs-peers} thus starts fresh, as the peer's process does: the same start-up and JIT
 * warm-up every round, and a heap of its own — rounds run in one process kept the previous
 * round's data set in the old generation until a full collection, and the peak RSS counted it
 * (W2: 790 MB over three rounds in one process, 555 MB for one run).
 */
public final class FreshRun {
    private FreshRun() {}

    /** {@code mainClass args...} in a new JVM; its standard error is shown only if it fails. */
    public static JsonNode run(String mainClass, List<String> args) throws IOException {
        return run(mainClass, List.of(), args);
    }

    /**
     * As {@link #run(String, List)}, with {@code jvmArgs} after this JVM's own options (so they
     * win where both set one: {@code -XX:UseAVX=2} for {@link Isa#AVX2}).
     */
    public static JsonNode run(String mainClass, List<String> jvmArgs, List<String> args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Path err = Files.createTempFile("glassbox-bench", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(60, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("the benchmark's own run did not finish in 60 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the benchmark's own run");
            }
            String last = out.strip().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (p.exitValue() != 0 || last == null) {
                String why = Files.readString(err).strip().lines().filter(l -> !l.startsWith("WARNING: Using incubator"))
                        .reduce((a, b) -> b).orElse("no output");
                throw new IOException("the benchmark's own run failed (exit " + p.exitValue() + "): " + why);
            }
            return new ObjectMapper().readTree(last);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
