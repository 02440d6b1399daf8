package dev.glassbox.cli;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static dev.glassbox.cli.TraceText.n;
import static dev.glassbox.cli.TraceText.shape;
import static dev.glassbox.cli.TraceText.signed;
import static dev.glassbox.cli.TraceText.vector;

/**
 * Says the trace of a recurrent network unrolled in time (the RNN, the LSTM) in the terminal,
 * every sentence from the message bundle: for the LSTM first the gradient's flow back to the
 * first word against a plain RNN's; then each time step's forward pass (every unit of S(t) for
 * the RNN; unit 1's gates and every unit's cell for the LSTM), its output and loss L_t, the
 * total loss, dL/dz from the last time step back, each weight's per-step shares, and the
 * updates. With more than four time steps the middle ones get one line each; the JSON trace has
 * everything.
 */
final class SequenceText {
    private static final int FULL_STEPS = 4;

    private final Messages m;
    private final TraceText trace;

    SequenceText(Messages m) {
        this.m = m;
        this.trace = new TraceText(m);
    }

    /** Whether a trace is of a network unrolled in time. */
    static boolean applies(Trace t) {
        return t.graph().connections().stream().anyMatch(c -> c.pattern() == Graph.Pattern.RECURRENT);
    }

    private static String e(float x) { return String.format(Locale.ROOT, "%.2e", x); }

    String render(Trace t) {
        Graph g = t.graph();
        boolean lstm = g.connections().stream().anyMatch(c -> c.pattern() == Graph.Pattern.LSTM_CELL);
        List<String> words = t.example().words();
        int steps = t.example().shape()[0], v = t.example().shape()[1], h = g.layer("s0").units();
        StringBuilder sb = new StringBuilder();
        sb.append(m.say("seq.title", "model", t.model(), "sentence", String.join(" ", words), "steps", steps, "rule", m.say("rule." + t.rule().name()),
                "lr", TraceText.v(t.rule().lr()))).append("\n\n");
        for (Demo d : t.demos()) if (d instanceof Demo.GradientFlow f) flow(sb, f);
        sb.append(m.say(lstm ? "seq.graph.lstm" : "seq.graph.rnn", "words", v, "units", h)).append('\n');
        for (Graph.Connection c : g.connections()) {
            if (c.weight() == null || g.layer(c.to()).step() != 1) continue;   // each weight once: on the arrows into step 1's layers
            String label = g.weight(c.weight()).label() + (c.bias() == null ? "" : ", " + g.weight(c.bias()).label());
            String from = g.layer(c.from()).label().replace("(0)", "(t-1)").replace("(1)", "(t)"), to = g.layer(c.to()).label().replace("(1)", "(t)");
            sb.append("  ").append(m.say("seq.weight", "label", label, "shape", shape(g.weight(c.weight()).shape()), "from", from, "to", to)).append('\n');
        }
        sb.append(m.say("seq.words")).append("\n\n");

        List<Event.Loss> losses = t.events(Event.Loss.class);
        for (int s = 1; s <= steps; s++) {
            boolean full = steps <= FULL_STEPS || s == 1 || s == steps;
            Event.Loss loss = losses.get(s - 1);
            String input = words.get(s - 1), target = words.get(s);
            if (!full) {
                float[] state = stateAt(t, s, lstm, h);
                sb.append(m.say("seq.brief", "t", s, "input", input, "target", target, "state", vector(state), "p", n(loss.output()[loss.targetClass()]),
                        "loss", n(loss.value()))).append('\n');
                if (s + 1 == steps) sb.append('\n');
                continue;
            }
            sb.append(m.say("seq.step", "t", s, "input", input, "target", target)).append('\n');
            if (lstm) {
                sb.append("  ").append(m.say("seq.gates", "t", s, "prev", s - 1)).append('\n');
                for (int k = 0; k < 4; k++) node(sb, t, "g" + s, k * h, words, s, "    ");
                sb.append("  ").append(m.say("seq.cells", "t", s)).append('\n');
                for (Event.LstmCell c : t.events(Event.LstmCell.class)) {
                    if (!c.cellLayer().equals("c" + s)) continue;
                    sb.append("    ").append(m.say("seq.cell", "unit", c.node(), "i", signed(c.input()), "f", signed(c.forget()), "g", signed(c.candidate()),
                            "o", signed(c.output()),
                            "cPrev", signed(c.cellBefore()), "c", n(c.cell()), "s", n(c.state()))).append('\n');
                }
            } else {
                sb.append("  ").append(m.say("seq.layer", "label", "S(" + s + ")", "t", s, "prev", s - 1)).append('\n');
                for (int j = 0; j < h; j++) node(sb, t, "s" + s, j, words, s, "    ");
            }
            Integer[] order = IntStream.range(0, v).boxed().sorted(Comparator.comparingDouble(j -> -loss.output()[j])).toArray(Integer[]::new);
            List<String> top = new ArrayList<>();
            for (int k = 0; k < Math.min(3, v); k++) top.add("'" + g.layer("y" + s).nodes().get(order[k]).label() + "' " + n(loss.output()[order[k]]));
            sb.append("  ").append(m.say("seq.output", "t", s, "top", String.join(", ", top), "target", target, "p", n(loss.output()[loss.targetClass()])))
                    .append('\n');
            sb.append("  ").append(m.say("seq.loss", "t", s, "target", target, "p", n(loss.output()[loss.targetClass()]), "value", n(loss.value())))
                    .append("\n\n");
        }
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        List<String> parts = new ArrayList<>();
        for (int s = 0; s < total.parts().length; s++) parts.add("L_" + (s + 1));
        List<String> values = new ArrayList<>();
        for (float p : total.parts()) values.add(n(p));
        sb.append(m.say("seq.total", "terms", String.join(" + ", parts) + " = " + String.join(" + ", values), "value", n(total.value()))).append("\n\n");

        sb.append(m.say("seq.backward.head")).append('\n');
        List<Event.NodeGradient> grads = t.events(Event.NodeGradient.class);
        for (int s = steps; s >= 1; s--) {
            if (!(steps <= FULL_STEPS || s == 1 || s == steps)) continue;
            for (String layer : List.of("y" + s, (lstm ? "g" : "s") + s)) {
                List<Event.NodeGradient> at = grads.stream().filter(x -> x.layer().equals(layer)).toList();
                float[] d = new float[at.size()];
                for (int j = 0; j < d.length; j++) d[j] = at.get(j).gradient();
                sb.append("  ").append(m.say("seq.backward.layer", "label", g.layer(layer).label(), "values", vector(d))).append('\n');
            }
        }
        sb.append('\n').append(m.say("seq.shares.head")).append('\n');
        for (Event.WeightGradient wg : t.events(Event.WeightGradient.class)) {
            Graph.Weight w = t.weight(wg.weight());
            List<String> norms = new ArrayList<>();
            for (int s = 0; s < wg.shares().length; s++) norms.add("t=" + (s + 1) + " " + n(norm(wg.shares()[s])));
            sb.append("  ").append(m.say("seq.shares.weight", "label", w.label(), "shape", shape(w.shape()), "norms", String.join(", ", norms), "norm",
                    n(norm(wg.values())))).append('\n');
            int k = largest(wg.values());
            List<String> terms = new ArrayList<>();
            for (float[] share : wg.shares()) terms.add(signed(share[k]));
            sb.append("    ").append(m.say("seq.shares.example", "label", w.label(), "index", TraceText.index(w.shape(), k), "terms", String.join(" + ", terms),
                    "value", n(wg.values()[k]))).append('\n');
        }
        sb.append('\n');
        trace.updates(sb, t);
        return sb.toString().stripTrailing();
    }

    /** The gradient's flow to each word through the RNN and the LSTM, and what it shows. */
    void flow(StringBuilder sb, Demo.GradientFlow f) {
        Demo.Flow rnn = f.flows().get(0), lstm = f.flows().get(1);
        int steps = rnn.norms().length;
        sb.append(m.say("flow.head", "target", f.target(), "last", f.words().get(steps - 1), "units", rnn.hidden())).append('\n');
        sb.append("  ").append(m.say("flow.header")).append('\n');
        for (int s = 0; s < steps; s++) {
            sb.append("  ").append(m.say("flow.row", "t", s + 1, "word", f.words().get(s), "rnn", e(rnn.norms()[s]), "rnnFraction", e(rnn.fractions()[s]),
                    "lstm", e(lstm.norms()[s]), "lstmFraction", e(lstm.fractions()[s]))).append('\n');
        }
        float r = rnn.fractions()[0], l = lstm.fractions()[0];
        sb.append(l > r ? m.say("flow.more", "back", steps - 1, "rnnFraction", e(r), "first", f.words().getFirst(), "lstmFraction", e(l), "ratio",
                String.format(Locale.ROOT, "%.1f", l / r)) : m.say("flow.less", "lstmFraction", e(l), "rnnFraction", e(r), "first", f.words().getFirst()));
        sb.append("\n\n");
    }

    /** One unit's weighted sum: the input word's term (the one-hot's only 1), the state's terms, the bias. */
    private void node(StringBuilder sb, Trace t, String layer, int k, List<String> words, int s, String indent) {
        Graph.Layer l = t.graph().layer(layer);
        String id = l.nodes().get(k).id();
        Event.Forward f = t.events(Event.Forward.class).stream().filter(x -> x.node().equals(id)).findFirst().orElseThrow();
        int v = t.example().shape()[1];
        StringBuilder terms = new StringBuilder();
        for (int i = 0; i < v; i++) {
            if (f.inputs()[i] != 0f) terms.append(signed(f.weights()[i])).append("·1('").append(words.get(s - 1)).append("')");
        }
        boolean zeroState = true;
        for (int i = v; i < f.inputs().length; i++) zeroState &= f.inputs()[i] == 0f;
        if (zeroState) terms.append(" + W_hh·S(").append(s - 1).append(") (S(").append(s - 1).append(") = 0)");    // the first step's
        else for (int i = v; i < f.inputs().length; i++) terms.append(" + ").append(signed(f.weights()[i])).append("·").append(signed(f.inputs()[i]));
        if (f.bias() != 0f) terms.append(" + ").append(signed(f.bias()));
        String node = l.nodes().get(k).label();
        sb.append(indent).append(m.say("seq.node", "node", node, "terms", terms, "sum", n(f.sum()), "activation", m.say("act." + f.activation()), "value",
                n(f.value()))).append('\n');
    }

    /** S(t)'s values: the forward events of the RNN's S(t), or the LSTM's cells' states. */
    private static float[] stateAt(Trace t, int s, boolean lstm, int h) {
        float[] out = new float[h];
        if (lstm) {
            for (Event.LstmCell c : t.events(Event.LstmCell.class)) if (c.stateLayer().equals("s" + s)) out[c.node() - 1] = c.state();
        } else {
            List<Event.Forward> fs = t.events(Event.Forward.class).stream().filter(x -> x.layer().equals("s" + s)).toList();
            for (int j = 0; j < h; j++) out[j] = fs.get(j).value();
        }
        return out;
    }

    private static float norm(float[] x) {
        double sq = 0;
        for (float a : x) sq += (double) a * a;
        return (float) Math.sqrt(sq);
    }

    private static int largest(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (Math.abs(x[i]) > Math.abs(x[best])) best = i;
        return best;
    }
}
