package dev.glassbox.cli;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static dev.glassbox.cli.TraceText.n;
import static dev.glassbox.cli.TraceText.shape;
import static dev.glassbox.cli.TraceText.v;
import static dev.glassbox.cli.TraceText.vector;

/**
 * Says a Transformer's trace in the terminal, every sentence from the message bundle: the
 * model in one line, then one token followed through every block — its embedding, LayerNorm,
 * each head's query, scores over the positions it may see, softmax weights and weighted sum of
 * the values, the heads joined and projected, the residual adds, the feed-forward — to its
 * scores and loss; then every head's attention matrix over the sequence, the mean loss, the
 * gradients and the updates.
 */
final class TransformerText {
    private static final int SHOWN = 8;

    private final Messages m;
    private final TraceText trace;

    TransformerText(Messages m) {
        this.m = m;
        this.trace = new TraceText(m);
    }

    static boolean applies(Trace t) { return !t.events(Event.AttentionHead.class).isEmpty(); }

    /** At most {@link #SHOWN} values, and how many more there are. */
    private String cut(float[] x) {
        if (x.length <= SHOWN) return vector(x);
        return vector(Arrays.copyOf(x, SHOWN)).replace("]", ", " + m.say("tf.more", "count", x.length - SHOWN) + "]");
    }

    private static float[] vec(Trace t, String layer, int pos) {
        return t.events(Event.MapForward.class).stream().filter(e -> e.node().equals(layer + "." + pos)).findFirst().orElseThrow().values();
    }

    String render(Trace t) {
        Graph g = t.graph();
        List<String> words = t.example().words();
        List<Event.AttentionHead> heads = t.events(Event.AttentionHead.class);
        int positions = t.example().shape()[0], layers = (int) g.layers().stream().filter(l -> l.id().endsWith(".ln1")).count();
        int h = heads.size() / layers, e = g.layer("embed").nodes().getFirst().shape()[0], dk = e / h;
        int ff = g.layer("l1.ff1").nodes().getFirst().shape()[0], vocab = g.layer("y1").units();
        String joiner = words.stream().anyMatch(w -> w.length() > 1) ? " " : "";
        StringBuilder sb = new StringBuilder();
        sb.append(m.say("tf.title", "text", String.join(joiner, words), "rule", m.say("rule." + t.rule().name()), "lr", v(t.rule().lr()))).append("\n\n");
        sb.append(m.say("tf.model", "d", e, "layers", layers, "heads", h, "dk", dk, "ff", ff, "vocab", vocab)).append('\n');
        for (Graph.Weight w : g.weights()) sb.append("  ").append(w.label()).append(" [").append(shape(w.shape())).append("]\n");
        sb.append('\n');

        int p = Math.min(2, positions);                                  // the course's point: the second word needs the first
        List<Event.Loss> losses = t.events(Event.Loss.class);
        Event.Loss loss = losses.get(p - 1);
        sb.append(m.say("tf.follow", "pos", p, "token", words.get(p - 1), "target", words.get(p))).append('\n');
        sb.append("  ").append(m.say("tf.embed", "token", words.get(p - 1), "pos", p, "values", cut(vec(t, "embed", p)))).append('\n');
        for (int l = 1; l <= layers; l++) {
            String pre = "l" + l + ".";
            sb.append("  ").append(m.say("tf.layer", "layer", l)).append('\n');
            sb.append("    ").append(m.say("tf.ln1", "values", cut(vec(t, pre + "ln1", p)))).append('\n');
            for (Event.AttentionHead a : heads) {
                if (!a.layer().equals(pre + "attn")) continue;
                sb.append("    ").append(m.say("tf.head", "head", a.head(), "q", cut(a.q()[p - 1]))).append('\n');
                List<String> scores = new ArrayList<>(), weights = new ArrayList<>(), sum = new ArrayList<>();
                for (int c = 0; c < positions; c++) {
                    if (!a.allowed()[p - 1][c]) continue;
                    scores.add("'" + words.get(c) + "' " + n(a.scores()[p - 1][c]));
                    weights.add("'" + words.get(c) + "' " + n(a.weights()[p - 1][c]));
                    sum.add(n(a.weights()[p - 1][c]) + "·v('" + words.get(c) + "')");
                }
                sb.append("      ").append(m.say("tf.scores", "dk", dk, "scores", String.join(", ", scores), "masked", positions - scores.size())).append('\n');
                sb.append("      ").append(m.say("tf.weights", "weights", String.join(", ", weights))).append('\n');
                sb.append("      ").append(m.say("tf.output", "sum", String.join(" + ", sum), "values", cut(a.output()[p - 1]))).append('\n');
            }
            sb.append("    ").append(m.say("tf.proj", "values", cut(vec(t, pre + "proj", p)))).append('\n');
            sb.append("    ").append(m.say("tf.res1", "values", cut(vec(t, pre + "res1", p)))).append('\n');
            sb.append("    ").append(m.say("tf.ln2", "values", cut(vec(t, pre + "ln2", p)))).append('\n');
            sb.append("    ").append(m.say("tf.ff", "ff", ff, "hidden", cut(vec(t, pre + "ff1", p)), "values", cut(vec(t, pre + "ff2", p)))).append('\n');
            sb.append("    ").append(m.say("tf.res2", "values", cut(vec(t, pre + "res2", p)))).append('\n');
        }
        sb.append("  ").append(m.say("tf.norm", "values", cut(vec(t, "norm", p)))).append('\n');
        Integer[] order = IntStream.range(0, vocab).boxed().sorted(Comparator.comparingDouble(j -> -loss.output()[j])).toArray(Integer[]::new);
        List<String> top = new ArrayList<>();
        for (int k = 0; k < Math.min(3, vocab); k++) top.add("'" + g.layer("y" + p).nodes().get(order[k]).label() + "' " + n(loss.output()[order[k]]));
        sb.append("  ").append(m.say("tf.out", "top", String.join(", ", top), "target", words.get(p), "p", n(loss.output()[loss.targetClass()]),
                "pos", p, "loss", n(loss.value()))).append("\n\n");

        sb.append(m.say("tf.matrices")).append('\n');
        int width = words.subList(0, positions).stream().mapToInt(w -> Math.max(8, w.length() + 3)).max().orElse(8);
        for (Event.AttentionHead a : heads) {
            sb.append("  ").append(m.say("tf.matrix", "layer", a.layer().substring(1, a.layer().indexOf('.')), "head", a.head())).append('\n');
            StringBuilder head = new StringBuilder("    " + " ".repeat(width));
            for (int c = 0; c < positions; c++) head.append(String.format(Locale.ROOT, "%" + width + "s", "'" + words.get(c) + "'"));
            sb.append(head).append('\n');
            for (int r = 0; r < positions; r++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "    %-" + width + "s", "'" + words.get(r) + "'"));
                for (int c = 0; c < positions; c++) row.append(String.format(Locale.ROOT, "%" + width + "s", a.allowed()[r][c] ? n(a.weights()[r][c]) : "-"));
                sb.append(row).append('\n');
            }
        }
        sb.append('\n');
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        List<String> parts = new ArrayList<>(), values = new ArrayList<>();
        for (int s = 0; s < total.parts().length; s++) {
            parts.add("L_" + (s + 1));
            values.add(n(total.parts()[s]));
        }
        sb.append(m.say("tf.total", "terms", "(" + String.join(" + ", parts) + ") / " + parts.size() + " = (" + String.join(" + ", values) + ") / " + parts.size(),
                "value", n(total.value()))).append("\n\n");
        sb.append(m.say("tf.backward", "count", positions)).append('\n');
        for (Event.WeightGradient wg : t.events(Event.WeightGradient.class)) {
            double sq = 0;
            for (float x : wg.values()) sq += (double) x * x;
            Graph.Weight w = t.weight(wg.weight());
            sb.append("  ").append(m.say("backward.weight", "label", w.label(), "shape", shape(w.shape()), "norm", n((float) Math.sqrt(sq)))).append('\n');
        }
        sb.append('\n');
        trace.updates(sb, t);
        return sb.toString().stripTrailing();
    }
}
