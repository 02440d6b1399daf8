package dev.glassbox.cli;

import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Renders training events: on a terminal, one line redrawn in place (epoch, step, loss, rate,
 * ETA) at most ten times a second; elsewhere, a plain line for about every tenth epoch.
 */
final class Progress implements EventListener {
    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private long start, lastDraw;
    private int epochs;
    private boolean drawn;

    Progress(PrintStream out, boolean terminal, String label) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
    }

    static boolean isTerminal() {
        var c = System.console();
        return c != null && c.isTerminal();
    }

    @Override
    public void on(TrainingEvent e) {
        switch (e) {
            case TrainingEvent.Started s -> {
                start = System.nanoTime();
                epochs = s.epochs();
                if (!terminal) {
                    out.printf(Locale.ROOT, "%s: training %s (%s) on %s, %d epoch%s of %d step%s%n", label, s.model(), s.preset(),
                            s.data(), s.epochs(), s.epochs() == 1 ? "" : "s", s.stepsPerEpoch(), s.stepsPerEpoch() == 1 ? "" : "s");
                }
            }
            case TrainingEvent.Stage sg -> {
                finishLine();
                start = System.nanoTime();
                epochs = sg.epochs();
                out.printf(Locale.ROOT, "%s: stage %d/%d %s: %s (%d epochs of %d steps)%n", label, sg.stage(), sg.stages(), sg.name(),
                        sg.goal(), sg.epochs(), sg.stepsPerEpoch());
            }
            case TrainingEvent.Step st -> {
                if (!terminal) return;
                long now = System.nanoTime();
                if (now - lastDraw < 100_000_000L && st.step() != st.totalSteps()) return;
                lastDraw = now;
                double secs = (now - start) / 1e9;
                double rate = st.step() / Math.max(secs, 1e-9);
                double eta = (st.totalSteps() - st.step()) / Math.max(rate, 1e-9);
                int width = 24, filled = (int) ((long) width * st.step() / st.totalSteps());
                out.printf(Locale.ROOT, "\r%s epoch %d/%d [%s%s] step %d/%d loss %.4f %s steps/s ETA %s ", label, st.epoch(), epochs,
                        "#".repeat(filled), ".".repeat(width - filled), st.step(), st.totalSteps(), st.loss(), rate(rate), clock(eta));
                out.flush();
                drawn = true;
            }
            case TrainingEvent.Words wd -> {
                long now = System.nanoTime();
                boolean last = wd.words() >= wd.totalWords();
                if (terminal ? now - lastDraw < 100_000_000L && !last : now - lastDraw < 2_000_000_000L && !last) return;
                lastDraw = now;
                double eta = (wd.totalWords() - wd.words()) / Math.max(wd.wordsPerSecond(), 1e-9);
                int width = 24, filled = (int) (width * Math.min(1.0, (double) wd.words() / Math.max(1, wd.totalWords())));
                String line = String.format(Locale.ROOT, "%s epoch %d/%d [%s%s] %,d/%,d words %,.0f words/s lr %.5f loss %.4f ETA %s", label,
                        wd.epoch(), wd.epochs(), "#".repeat(filled), ".".repeat(width - filled), wd.words(), wd.totalWords(), wd.wordsPerSecond(),
                        wd.alpha(), wd.loss(), clock(eta));
                if (terminal) {
                    out.print("\r" + line + " ");
                    out.flush();
                    drawn = true;
                } else {
                    out.println(line);
                }
            }
            case TrainingEvent.EpochEnd ee -> {
                if (terminal) return;
                int every = Math.max(1, ee.epochs() / 10);
                if (ee.epoch() % every == 0 || ee.epoch() == ee.epochs()) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    out.printf(Locale.ROOT, "%s: epoch %d/%d loss %.4f (%.1fs)%n", label, ee.epoch(), ee.epochs(), ee.loss(), secs);
                }
            }
            case TrainingEvent.Checkpoint c -> {
                finishLine();
                out.println(label + ": saved " + c.path());
            }
            case TrainingEvent.Finished f -> finishLine();
        }
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
