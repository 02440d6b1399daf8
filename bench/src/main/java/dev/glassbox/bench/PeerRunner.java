package dev.glassbox.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a peer script from {@code bench/peers/} with Debian's Python and reads the JSON object it
 * prints on its last line. The environment is the peers' best setting on this machine:
 * {@code OMP_WAIT_POLICY=PASSIVE}, and OpenBLAS's own tuning variables removed so a current
 * OpenBLAS picks its kernel for the real processor (the scripts limit thread pools themselves).
 */
public final class PeerRunner {
    private static final Map<String, String> SCRIPTS = Map.of("W1", "w1_numpy.py", "W2", "w2_torch.py", "W3", "w3_torch.py", "W4", "w4_torch.py",
            "W5", "w5_torch.py", "W6", "w6_torch.py", "W7", "w7_gensim.py", "W8", "w8_torch.py", "W9", "w9_torch.py");

    private PeerRunner() {}

    public static boolean hasPeer(String id) { return SCRIPTS.containsKey(id); }

    /** The directory of the peer scripts: {@code -Dglassbox.home} (set by ./glassbox) or the working directory. */
    static Path peersDir() {
        return Path.of(System.getProperty("glassbox.home", ".")).resolve("bench").resolve("peers");
    }

    public static JsonNode run(String id, boolean quick) throws IOException {
        return run(id, quick, Isa.NATIVE);
    }

    /** As {@link #run(String, boolean)}, with the peer's libraries limited to {@code isa}'s instructions. */
    public static JsonNode run(String id, boolean quick, Isa isa) throws IOException {
        String script = SCRIPTS.get(id);
        if (script == null) throw new IllegalArgumentException("no peer script for " + id);
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(py)) {
            throw new IOException("the peers need Debian's Python at /usr/bin/python3; see bench/README.md for the apt packages");
        }
        Path file = peersDir().resolve(script);
        if (!Files.isRegularFile(file)) throw new IOException("peer script " + file + " not found (run from the project folder)");
        List<String> cmd = new ArrayList<>(List.of(py.toString(), file.toString()));
        if (quick) cmd.add("--quick");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().remove("OPENBLAS_CORETYPE");
        pb.environment().remove("OPENBLAS_L2_SIZE");
        pb.environment().putAll(isa.peerEnv);
        // the peer reads the same Fashion-MNIST as our side unless the caller chose its folder
        pb.environment().putIfAbsent("GLASSBOX_FASHION_MNIST", Workloads.fashionMnist().toAbsolutePath().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("peer " + script + " did not finish in 30 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + script);
        }
        if (p.exitValue() != 0) {
            String last = err.strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException("peer " + script + " failed (exit " + p.exitValue() + "): " + last
                    + " — bench/README.md says how to install the peers");
        }
        String[] lines = out.strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }
}
