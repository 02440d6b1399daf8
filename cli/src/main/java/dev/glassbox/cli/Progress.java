package dev.glassbox.cli;

import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Renders training events on standard error. On a terminal: one line redrawn in place at most
 * ten times a second (epoch, bar, step, the epoch's running mean loss, the last held-out
 * metrics, rate, ETA). Elsewhere: Keras-style, one line per epoch with its loss and held-out
 * metrics (for runs of more epochs than {@code epochLines}, the first, the last and every k-th
 * between, about {@code epochLines} in all), and a line
 * every 10 seconds inside a long epoch. The ETA comes from the rate measured after the first
 * few steps (the first ones warm up the JIT), and shows "?" until there is one.
 */
final class Progress implements EventListener {
    /** Steps taken before the rate is measured, and the least time it is measured over. */
    private static final int WARM_STEPS = 3;
    private static final long MIN_MEASURE_NANOS = 300_000_000L, REDRAW_NANOS = 100_000_000L, PLAIN_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final int epochLines;
    private long lastDraw, measureFrom = -1, measureStart;
    private int epochs;
    private String metrics = "";
    private boolean drawn;

    /** A run's progress, with a line for each of up to 50 epochs when not on a terminal. */
    Progress(PrintStream out, boolean terminal, String label) { this(out, terminal, label, 50); }

    Progress(PrintStream out, boolean terminal, String label, int epochLines) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.epochLines = Math.max(1, epochLines);
    }

    /**
     * Whether standard error is a terminal: the launcher says so ({@code -Dglassbox.tty}, from
     * the shell's {@code -t 2}); without it, whether the JVM has a console.
     */
    static boolean isTerminal() {
        String tty = System.getProperty("glassbox.tty");
        if (tty != null) return tty.equals("true");
        var c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void on(TrainingEvent e) {
        switch (e) {
            case TrainingEvent.Started s -> {
                begin(s.epochs(), s.fromStep());
                if (!terminal) {
                    boolean cut = s.totalSteps() < (long) s.epochs() * s.stepsPerEpoch();
                    out.printf(Locale.ROOT, "%s: training %s (%s) on %s, %d epoch%s of %d step%s%s%s%n", label, s.model(), s.preset(), s.data(),
                            s.epochs(), s.epochs() == 1 ? "" : "s", s.stepsPerEpoch(), s.stepsPerEpoch() == 1 ? "" : "s",
                            cut ? ", stopping after step " + s.totalSteps() : "", s.fromStep() > 0 ? ", resumed after step " + s.fromStep() : "");
                }
            }
            case TrainingEvent.Stage sg -> {
                finishLine();
                begin(sg.epochs(), sg.fromStep());
                out.printf(Locale.ROOT, "%s: stage %d/%d %s: %s (%d epochs of %d steps%s)%n", label, sg.stage(), sg.stages(), sg.name(),
                        sg.goal(), sg.epochs(), sg.stepsPerEpoch(), sg.fromStep() > 0 ? ", resumed after step " + sg.fromStep() : "");
            }
            case TrainingEvent.Step st -> step(st);
            case TrainingEvent.Words wd -> words(wd);
            case TrainingEvent.EpochEnd ee -> {
                metrics = metrics(ee.metrics());
                if (terminal) return;
                int every = Math.max(1, (ee.epochs() + epochLines - 1) / epochLines);
                if (ee.epoch() % every == 0 || ee.epoch() == ee.epochs() || ee.epoch() == 1) {
                    out.printf(Locale.ROOT, "%s: epoch %d/%d - %.1fs - loss %.4f%s%n", label, ee.epoch(), ee.epochs(), ee.seconds(), ee.loss(),
                            metrics.replace("  ", " - "));
                    lastDraw = System.nanoTime();
                }
            }
            case TrainingEvent.Checkpoint c -> {
                finishLine();
                out.println(label + ": saved " + c.path() + (c.step() > 0 ? " (step " + c.step() + ")" : ""));
            }
            case TrainingEvent.Workers w -> out.printf(Locale.ROOT, w.ready() ? "%s: %d Spark workers ready on %s (%.1fs)%n"
                    : "%s: starting %d Spark workers on %s; each loads its part of the training set%n", label, w.workers(), w.master(), w.seconds());
            case TrainingEvent.Snapshot sn -> { }   // for the studio and --log: nothing to print
            case TrainingEvent.Diverged d -> finishLine();
            case TrainingEvent.Finished f -> finishLine();
        }
    }

    private void begin(int epochs, long fromStep) {
        this.epochs = epochs;
        lastDraw = terminal ? 0 : System.nanoTime();   // a terminal shows the first step at once
        measureStart = 0;
        measureFrom = fromStep + WARM_STEPS;
        metrics = "";
    }

    private void step(TrainingEvent.Step st) {
        long now = System.nanoTime();
        if (st.step() == measureFrom) measureStart = now;
        boolean last = st.step() == st.totalSteps();
        if (terminal ? now - lastDraw < REDRAW_NANOS && !last : now - lastDraw < PLAIN_NANOS) return;
        lastDraw = now;
        String eta = "?";
        double rate = 0;
        if (st.step() > measureFrom && measureStart > 0 && now - measureStart >= MIN_MEASURE_NANOS) {
            rate = (st.step() - measureFrom) / ((now - measureStart) / 1e9);
            eta = clock((st.totalSteps() - st.step()) / rate);
        }
        String rateText = rate > 0 ? " " + rate(rate) + " steps/s" : "";
        if (terminal) {
            int width = 24, filled = (int) (width * Math.min(1.0, (double) st.step() / st.totalSteps()));
            out.printf(Locale.ROOT, "\r%s epoch %d/%d [%s%s] step %d/%d loss %.4f%s%s ETA %s \u001b[K", label, st.epoch(), epochs,
                    "#".repeat(filled), ".".repeat(width - filled), st.step(), st.totalSteps(), st.meanLoss(), metrics, rateText, eta);
            out.flush();
            drawn = true;
        } else if (!last) {
            out.printf(Locale.ROOT, "%s: epoch %d/%d step %d/%d loss %.4f%s ETA %s%n", label, st.epoch(), epochs, st.step(), st.totalSteps(),
                    st.meanLoss(), rateText, eta);
        }
    }

    private void words(TrainingEvent.Words wd) {
        long now = System.nanoTime();
        boolean last = wd.words() >= wd.totalWords();
        if (terminal ? now - lastDraw < REDRAW_NANOS && !last : now - lastDraw < 2_000_000_000L && !last) return;
        lastDraw = now;
        double eta = (wd.totalWords() - wd.words()) / Math.max(wd.wordsPerSecond(), 1e-9);
        int width = 24, filled = (int) (width * Math.min(1.0, (double) wd.words() / Math.max(1, wd.totalWords())));
        String line = String.format(Locale.ROOT, "%s epoch %d/%d [%s%s] %,d/%,d words %,.0f words/s lr %.5f loss %.4f ETA %s", label,
                wd.epoch(), wd.epochs(), "#".repeat(filled), ".".repeat(width - filled), wd.words(), wd.totalWords(), wd.wordsPerSecond(),
                wd.alpha(), wd.loss(), clock(eta));
        if (terminal) {
            out.print("\r" + line + " \u001b[K");
            out.flush();
            drawn = true;
        } else {
            out.println(line);
        }
    }

    /** "  val_loss 0.1234  acc 0.9500": the held-out numbers of an epoch's end. */
    private static String metrics(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder();
        for (var e : m.entrySet()) {
            if (e.getValue() instanceof Integer || e.getValue() instanceof Long) sb.append("  ").append(e.getKey()).append(' ').append(e.getValue());
            else if (e.getValue() instanceof Number n) sb.append(String.format(Locale.ROOT, "  %s %.4f", e.getKey(), n.doubleValue()));
        }
        return sb.toString();
    }

    private void finishLine() {
        if (drawn) {
            out.println();
            drawn = false;
        }
    }

    private static String rate(double r) {
        return r >= 10_000 ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    static String clock(double secs) {
        long s = Math.round(secs);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
