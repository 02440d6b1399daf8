package dev.glassbox.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.bench.BusyCore;
import dev.glassbox.bench.FreshRun;
import dev.glassbox.bench.Goals;
import dev.glassbox.bench.Isa;
import dev.glassbox.bench.PeerRunner;
import dev.glassbox.bench.Stats;
import dev.glassbox.bench.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmark workloads W1-W9 (defined in ../shared/BENCHMARKS.md) and print their figures.",
        footer = {"", "Workloads whose model does not exist yet are skipped, with the reason.",
                "With --vs-peers, the peer script of bench/peers/ runs in turn with Glassbox and ratios are printed,",
                "each checked against its issue's goal (met or missed); 'all --vs-peers' ends with every goal in one",
                "Markdown table, for docs/benchmarks.md's table of this CPU."})
final class Bench implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "W1 ... W9, OPS (per-op overhead on tiny tensors), or all.")
    String workload;

    @Option(names = "--json", description = "One JSON object per workload, one per line.")
    boolean json;

    @Option(names = "--quick", description = "Small sizes and few repeats: a smoke run, not a measurement.")
    boolean quick;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats per figure (default: ${DEFAULT-VALUE}); the median is reported.")
    int repeats;

    @Option(names = "--vs-peers", description = "Alternate Glassbox and the peer (PyTorch, OpenBLAS) and print median ratios.")
    boolean vsPeers;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of --vs-peers (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--isa", defaultValue = "native", paramLabel = "native|avx2",
            description = "Instructions both sides may use (default: ${DEFAULT-VALUE}). avx2 measures an AVX2 machine's code paths "
                    + "on an AVX-512 one: our JVM with -XX:UseAVX=2 (run in a new JVM), the peer with OpenBLAS's Haswell kernels and oneDNN and ATen at AVX2.")
    String isaName;

    @Option(names = "--busy-core", description = "Keep one core busy (a spinner pinned to the last CPU by taskset) for the whole run, "
            + "both sides: issue 22's busy core, where each ratio should stay at or above the workload's one-thread ratio.")
    boolean busyCore;

    /** The spinner's CPU while --busy-core runs, else -1. */
    private int busyCpu = -1;

    /** {@link #isaName} parsed, when the command starts. */
    private Isa isa = Isa.NATIVE;

    @Override
    public Integer call() throws IOException {
        if (repeats < 1 || rounds < 1) throw new IllegalArgumentException("--repeats and --rounds must be at least 1");
        List<String> ids = workload.equalsIgnoreCase("all") ? Workloads.IDS : List.of(workload.toUpperCase(Locale.ROOT));
        for (String id : ids) {
            if (!Workloads.IDS.contains(id)) {
                throw new IllegalArgumentException("unknown workload '" + workload + "'; workloads: " + String.join(", ", Workloads.IDS) + ", all");
            }
        }
        isa = Isa.parse(isaName);
        try (BusyCore busy = busyCore ? BusyCore.start() : null) {
            if (busy != null) {
                busyCpu = busy.cpu;
                if (!json) Main.OUT.println("a spinner keeps CPU " + busy.cpu + " busy for the whole run (--busy-core)");
            }
            return runAll(ids);
        }
    }

    private Integer runAll(List<String> ids) throws IOException {
        var settings = new Workloads.Settings(quick, repeats);
        List<Goals.Check> checks = new ArrayList<>();
        String machineLine = null;
        for (String id : ids) {
            if (vsPeers && PeerRunner.hasPeer(id)) {
                machineLine = comparePeers(id, checks);
                continue;
            }
            Map<String, Object> r;
            if (isa == Isa.NATIVE) {
                r = Workloads.run(id, settings, note -> { if (!json) Main.OUT.println("  " + note); });
            } else {
                // a JVM's instruction set is fixed at its start: this workload runs in a new one
                if (!json) Main.OUT.println("  " + id + ": in a new JVM with " + String.join(" ", isa.jvmArgs) + "...");
                r = fresh(id);
            }
            r.put("isa", isa.id());
            if (busyCpu >= 0) r.put("busy_core", busyCpu);
            Main.OUT.println(json ? Json.write(r) : text(r));
        }
        if (vsPeers && ids.size() > 1 && !json && !quick) {
            Main.OUT.print(summary(checks, machineLine));
            if (busyCpu >= 0) {
                Main.OUT.println("Under a busy core issue 22 asks more than these quiet goals: each workload's ratio at or above its one-thread ratio.");
            }
        }
        return 0;
    }

    /** Every goal checked in an 'all --vs-peers' run, as one Markdown table under the machine's line. */
    static String summary(List<Goals.Check> checks, String machineLine) {
        StringBuilder sb = new StringBuilder("\nGoals, this run").append(machineLine == null ? "" : " (" + machineLine + ")").append(":\n\n");
        sb.append("| workload | figure | ratio | goal | | set by |\n|---|---|---|---|---|---|\n");
        for (Goals.Check c : checks) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", c.workload(), c.key(), c.ratioText(), c.goal().bound(),
                    c.met() ? "met" : "**missed**", c.goal().source()));
        }
        long missed = checks.stream().filter(c -> !c.met()).count();
        return sb.append(String.format(Locale.ROOT, "%n%d of %d goals met on this CPU; the issues ask each to hold on both CPU families.%n",
                checks.size() - missed, checks.size())).toString();
    }

    /** Keys that say where a run ran rather than what it measured: out of the tables, into the machine line. */
    private static final List<String> MACHINE = List.of("id", "threads", "cpu", "vector_bits", "l1d_kb", "l2_kb", "sgemm", "jvm", "date", "isa",
            "busy_core");

    /** One line naming the machine: CPU, vector width, caches, JVM, threads (and the instructions, when limited). */
    private static String machine(Map<String, Object> r) {
        return String.format(Locale.ROOT, "machine: %s, %s-bit vectors, L1d %s KB, L2 %s KB a core%s; JVM %s, %s threads%s",
                r.get("cpu"), r.get("vector_bits"), r.get("l1d_kb"), r.get("l2_kb"),
                r.containsKey("sgemm") ? "; SGEMM " + r.get("sgemm") : "", r.get("jvm"), r.get("threads"),
                ("native".equals(r.getOrDefault("isa", "native")) ? "" : "; both sides limited to " + r.get("isa"))
                        + (r.containsKey("busy_core") ? "; CPU " + r.get("busy_core") + " kept busy by a spinner" : ""));
    }

    private static String text(Map<String, Object> r) {
        if (r.containsKey("skipped")) return r.get("id") + ": skipped — " + r.get("skipped");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(String.valueOf(r.get("id")), "glassbox"));
        for (var e : r.entrySet()) {
            if (MACHINE.contains(e.getKey())) continue;
            rows.add(List.of(e.getKey(), Tables.format(e.getValue())));
        }
        return Tables.table(rows) + machine(r);
    }

    /**
     * Our side of one --vs-peers round, in a new JVM (as the peer's is a new process): the same
     * warm-up every round, and no earlier round's data left in the heap for the peak RSS to count.
     */
    private Map<String, Object> fresh(String id) throws IOException {
        List<String> args = new ArrayList<>(List.of("bench", id, "--json", "--repeats", String.valueOf(repeats)));
        if (quick) args.add("--quick");
        Map<String, Object> r = new LinkedHashMap<>();
        FreshRun.run(Main.class.getName(), isa.jvmArgs, args).fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            r.put(e.getKey(), v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : v.asText());
        });
        return r;
    }

    /** Alternates our side and the peer's, prints the medians, their ratios and the goals they meet; adds the checks to {@code checks}; returns the machine's line. */
    private String comparePeers(String id, List<Goals.Check> checks) throws IOException {
        Map<String, List<Double>> ours = new LinkedHashMap<>(), theirs = new LinkedHashMap<>();
        Map<String, Object> last = Map.of();
        String peerName = "peer";
        for (int round = 1; round <= rounds; round++) {
            Main.OUT.printf(Locale.ROOT, "%s round %d/%d: glassbox...%n", id, round, rounds);
            Map<String, Object> r = fresh(id);
            r.put("isa", isa.id());
            if (busyCpu >= 0) r.put("busy_core", busyCpu);
            r.forEach((k, v) -> { if (v instanceof Number n && !MACHINE.contains(k)) ours.computeIfAbsent(k, x -> new ArrayList<>()).add(n.doubleValue()); });
            last = r;
            Main.OUT.printf(Locale.ROOT, "%s round %d/%d: peer...%n", id, round, rounds);
            JsonNode p = PeerRunner.run(id, quick, isa);
            peerName = p.path("peer").asText("peer") + (p.has("blas") ? " (" + p.get("blas").asText() + ")" : "");
            p.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) theirs.computeIfAbsent(e.getKey(), x -> new ArrayList<>()).add(e.getValue().asDouble());
            });
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(id, "glassbox", "peer", "ratio"));
        Map<String, Object> jsonOut = new LinkedHashMap<>();
        jsonOut.put("id", id);
        jsonOut.put("peer", peerName);
        jsonOut.put("rounds", rounds);
        for (String k : MACHINE) if (!k.equals("id") && last.containsKey(k)) jsonOut.put(k, last.get(k));
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (var e : ours.entrySet()) {
            if (e.getKey().equals("threads") || !theirs.containsKey(e.getKey())) continue;
            double g = Stats.median(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
            double q = Stats.median(theirs.get(e.getKey()).stream().mapToDouble(Double::doubleValue).toArray());
            rows.add(List.of(e.getKey(), Tables.format(g), Tables.format(q), String.format(Locale.ROOT, "%.2f", g / q)));
            jsonOut.put(e.getKey(), Map.of("glassbox", g, "peer", q, "ratio", Math.round(g / q * 100) / 100.0));
            ratios.put(e.getKey(), g / q);
        }
        int bits = last.get("vector_bits") instanceof Number n ? n.intValue() : 0;
        // --quick's sizes are a smoke run: its ratios say nothing about the goals
        List<Goals.Check> here = quick ? List.of() : Goals.check(id, bits, ratios);
        checks.addAll(here);
        List<Map<String, Object>> goalsJson = new ArrayList<>();
        for (Goals.Check c : here) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("key", c.key());
            g.put("goal", c.goal().bound());
            g.put("ratio", Double.parseDouble(c.ratioText()));   // as printed: four decimals where two would read as the goal
            g.put("met", c.met());
            g.put("source", c.goal().source());
            goalsJson.add(g);
        }
        if (!quick) jsonOut.put("goals", goalsJson);
        Main.OUT.println("peer: " + peerName + "; medians over " + rounds + " alternating rounds");
        Main.OUT.println(machine(last));
        Main.OUT.print(Tables.table(rows));
        if (!here.isEmpty()) {
            List<List<String>> goalRows = new ArrayList<>();
            goalRows.add(List.of("goal", "ratio", "", "set by"));
            for (Goals.Check c : here) {
                goalRows.add(List.of(c.key() + " " + c.goal().bound(), c.ratioText(), c.met() ? "met" : "missed",
                        c.goal().source()));
            }
            Main.OUT.print(Tables.table(goalRows));
        } else if (quick) {
            Main.OUT.println("(--quick: a smoke run, not checked against the goals)");
        } else if (Goals.noneHere(id, bits) != null) {
            Main.OUT.println(Goals.noneHere(id, bits));
        }
        if (json) Main.OUT.println(Json.write(jsonOut));
        return machine(last);
    }
}
