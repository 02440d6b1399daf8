package dev.glassbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The issues' goals for each workload against its peer, as ratios of medians (ours / the
 * peer's) from {@code glassbox bench --vs-peers}: at least a ratio for speeds, at most one for
 * memory and losses. Where a goal holds only on some CPUs (W1's on AVX-512), it says so and is
 * checked only there. A goal is a check of one run on one machine; the issues ask each to hold
 * on both CPU families of this machine kind (docs/benchmarks.md keeps a table per CPU).
 */
public final class Goals {
    private Goals() {}

    /** Ours over the peer's is at least (speed) or at most (memory, loss) {@code target}. */
    public enum Kind { AT_LEAST, AT_MOST }

    /**
     * One goal: the figures {@code keys} selects of workload {@code workload}, compared as
     * {@code kind} {@code target}, where {@code applies} holds for the run's vector width
     * (bits); {@code source} names where it was set.
     */
    public record Goal(String workload, Predicate<String> keys, Kind kind, double target, Predicate<Integer> applies, String source) {
        /** "≥ 1.50×" or "≤ 1.00×". */
        public String bound() {
            return String.format(Locale.ROOT, "%s %.2f×", kind == Kind.AT_LEAST ? "≥" : "≤", target);
        }

        boolean met(double ratio) { return kind == Kind.AT_LEAST ? ratio >= target : ratio <= target; }
    }

    /** One goal checked against one figure of a run. */
    public record Check(String workload, String key, double ratio, Goal goal) {
        public boolean met() { return goal.met(ratio); }

        /** The ratio to two decimals, or to four where two would round it onto the goal (a loss 0.07% above the peer's is not "1.00"). */
        public String ratioText() {
            String two = String.format(Locale.ROOT, "%.2f", ratio);
            return Double.parseDouble(two) == goal.target() && ratio != goal.target() ? String.format(Locale.ROOT, "%.4f", ratio) : two;
        }
    }

    private static final Predicate<Integer> ANY = bits -> true;
    private static final Predicate<Integer> AVX512 = bits -> bits >= 512;

    private static Predicate<String> key(String k) { return k::equals; }

    /** Every goal, by workload. */
    public static final List<Goal> ALL = List.of(
            new Goal("W1", key("gflops_n1024_t2"), Kind.AT_LEAST, 0.9, AVX512, "issue 22 (AVX-512)"),
            new Goal("W1", k -> k.startsWith("gflops_") && !k.equals("gflops_n1024_t2"), Kind.AT_LEAST, 0.85, AVX512,
                    "issue 22 (AVX-512)"),
            new Goal("W2", key("samples_per_s"), Kind.AT_LEAST, 1.5, ANY, "issue 22"),
            new Goal("W2", key("peak_rss_mb"), Kind.AT_MOST, 1.0, ANY, "issue 22"),
            new Goal("W3", key("steps_per_s"), Kind.AT_LEAST, 10, ANY, "issue 4"),
            new Goal("W4", key("samples_per_s"), Kind.AT_LEAST, 1.5, ANY, "issue 22"),
            new Goal("W4", key("peak_rss_mb"), Kind.AT_MOST, 1.0, ANY, "issue 22"),
            new Goal("W5", key("tokens_per_s"), Kind.AT_LEAST, 1.25, ANY, "issue 22"),
            new Goal("W5", key("loss_300"), Kind.AT_MOST, 1.0, ANY, "issue 7"),
            new Goal("W6", key("tokens_per_s"), Kind.AT_LEAST, 1.25, ANY, "issue 18"),
            new Goal("W6", key("loss_300"), Kind.AT_MOST, 1.0, ANY, "issue 18"),
            new Goal("W7", key("words_per_s"), Kind.AT_LEAST, 1.5, ANY, "issue 6"),
            new Goal("W8", key("samples_per_s"), Kind.AT_LEAST, 1.5, ANY, "issue 19"),
            new Goal("W8", key("loss_per_sample_ep1"), Kind.AT_MOST, 1.0, ANY, "issue 19"),
            new Goal("W9", key("images_per_s"), Kind.AT_LEAST, 1.5, ANY, "issue 19"));

    /**
     * The goals of {@code workload} that apply at {@code vectorBits}, checked against the
     * run's ratios (ours / the peer's median, by key), in the order of {@link #ALL} and then
     * of the keys; figures without a goal are left out.
     */
    public static List<Check> check(String workload, int vectorBits, Map<String, Double> ratios) {
        List<Check> out = new ArrayList<>();
        for (Goal g : ALL) {
            if (!g.workload().equals(workload) || !g.applies().test(vectorBits)) continue;
            for (var e : ratios.entrySet()) {
                if (g.keys().test(e.getKey())) out.add(new Check(workload, e.getKey(), e.getValue(), g));
            }
        }
        return out;
    }

    /** Why {@code workload} has no goal at {@code vectorBits} when it has goals elsewhere (W1 on AVX2), or null. */
    public static String noneHere(String workload, int vectorBits) {
        boolean any = false, here = false;
        for (Goal g : ALL) {
            if (!g.workload().equals(workload)) continue;
            any = true;
            here |= g.applies().test(vectorBits);
        }
        return any && !here ? workload + "'s ratio goals are set for AVX-512; on AVX2 the issue asks to hold the figures docs/benchmarks.md has" : null;
    }
}
