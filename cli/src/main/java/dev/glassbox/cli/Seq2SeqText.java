package dev.glassbox.cli;

import dev.glassbox.models.explain.Demo;
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
 * Says seq2seq's trace in the terminal, every sentence from the message bundle: first the
 * model decoding the input by itself (the encoder's states, each output step's attention and
 * character, a beam search), then the training step towards the target: the graph of boxes,
 * each output step's input, attention, most likely characters and loss, the mean loss, the
 * gradients with their clipping, and the updates of each weight's largest gradients.
 */
final class Seq2SeqText {
    private static final int STATE_VALUES = 4;

    private final Messages m;
    private final TraceText trace;

    Seq2SeqText(Messages m) {
        this.m = m;
        this.trace = new TraceText(m);
    }

    /** Whether a trace is seq2seq's: its decoder steps join by LSTM arrows from p(t). */
    static boolean applies(Trace t) {
        return t.demos().stream().anyMatch(d -> d instanceof Demo.Decoding);
    }

    String render(Trace t) {
        Demo.Decoding dec = (Demo.Decoding) t.demos().stream().filter(d -> d instanceof Demo.Decoding).findFirst().orElseThrow();
        String input = t.example().words().get(0), target = t.example().words().get(1);
        Trace.Rule r = t.rule();
        StringBuilder sb = new StringBuilder();
        sb.append(m.say("s2s.title", "attention", m.say("s2s.attention." + dec.attention()), "input", input, "target", target, "rule", m.say("rule." + r.name()), "lr", v(r.lr()),
                "clip", v(r.clip()))).append("\n\n");
        decoding(sb, dec);

        Graph g = t.graph();
        boolean attention = !dec.attention().equals("none");
        int hidden = g.layer("e1").nodes().getFirst().shape()[0], chars = g.layer("y1").units();
        StringBuilder charset = new StringBuilder();
        for (Graph.Node node : g.layer("y1").nodes()) charset.append(node.label());
        sb.append(m.say("s2s.graph", "hidden", hidden, "chars", chars, "charset", charset, "attentionPart",
                attention ? m.say("s2s.graph.attention", "inputs", dec.inputChars().size()) : m.say("s2s.graph.none"))).append('\n');
        for (Graph.Weight w : g.weights()) sb.append("  ").append(w.label()).append(" [").append(shape(w.shape())).append("]\n");
        sb.append('\n');

        sb.append(m.say("s2s.forward")).append('\n');
        List<Event.Loss> losses = t.events(Event.Loss.class);
        for (int s = 1; s <= losses.size(); s++) {
            Event.Loss loss = losses.get(s - 1);
            String prev = g.layer("p" + s).nodes().getFirst().label();
            String looks = "";
            if (attention) {
                float[] a = mapValues(t, "a" + s);
                int best = 0;
                for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
                looks = m.say("s2s.looks", "char", dec.inputChars().get(best), "percent", Math.round(100 * a[best]));
            }
            Integer[] order = IntStream.range(0, loss.output().length).boxed().sorted(Comparator.comparingDouble(j -> -loss.output()[j]))
                    .toArray(Integer[]::new);
            List<String> top = new ArrayList<>();
            for (int k = 0; k < 2; k++) top.add("'" + g.layer("y" + s).nodes().get(order[k]).label() + "' " + n(loss.output()[order[k]]));
            sb.append("  ").append(m.say("s2s.step", "t", s, "prev", prev, "looks", looks, "top", String.join(", ", top), "target",
                    String.valueOf(target.charAt(s - 1)), "p", n(loss.output()[loss.targetClass()]), "loss", n(loss.value()))).append('\n');
        }
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        sb.append(m.say("s2s.total", "count", total.parts().length, "value", n(total.value()))).append("\n\n");

        sb.append(m.say("s2s.backward", "count", losses.size())).append('\n');
        List<Event.NodeGradient> last = t.events(Event.NodeGradient.class).stream().filter(e -> e.layer().equals("y" + losses.size())).toList();
        float[] dz = new float[last.size()];
        for (int j = 0; j < dz.length; j++) dz[j] = last.get(j).gradient();
        sb.append("  ").append(m.say("seq.backward.layer", "label", "Y(" + losses.size() + ")", "values", vector(dz))).append('\n');
        double sq = 0;
        for (Event.WeightGradient wg : t.events(Event.WeightGradient.class)) {
            Graph.Weight w = t.weight(wg.weight());
            double s = 0;
            for (float x : wg.values()) s += (double) x * x;
            sq += s;
            sb.append("  ").append(m.say("backward.weight", "label", w.label(), "shape", shape(w.shape()), "norm", n((float) Math.sqrt(s)))).append('\n');
        }
        float norm = (float) Math.sqrt(sq);
        sb.append(norm > r.clip() ? m.say("s2s.clipped", "norm", n(norm), "clip", v(r.clip()), "scale", n(r.clip() / (norm + 1e-6f)))
                : m.say("s2s.notClipped", "norm", n(norm), "clip", v(r.clip()))).append("\n\n");
        trace.updates(sb, t);
        return sb.toString().stripTrailing();
    }

    private void decoding(StringBuilder sb, Demo.Decoding d) {
        sb.append(m.say("dec.head", "input", String.join("", d.inputChars()))).append('\n');
        int total = d.encoderStates().length == 0 ? 0 : d.encoderStates()[0].length, shown = Math.min(STATE_VALUES, total);
        sb.append(m.say("dec.encoder", "shown", shown, "total", total)).append('\n');
        for (int s = 0; s < d.inputChars().size(); s++) {
            sb.append(String.format(Locale.ROOT, "  '%s' ", d.inputChars().get(s))).append(vector(Arrays.copyOf(d.encoderStates()[s], shown))).append('\n');
        }
        boolean attention = !d.steps().isEmpty() && d.steps().getFirst().weights().length > 0;
        if (attention) {
            sb.append(m.say("dec.attention")).append('\n').append("      ");
            int pad = d.steps().getFirst().weights().length - d.inputChars().size();
            for (String ch : d.inputChars()) sb.append(String.format(Locale.ROOT, "%4s", "'" + ch + "'"));
            sb.append('\n');
            for (Demo.OutputStep st : d.steps()) {
                sb.append(String.format(Locale.ROOT, "  %2d  ", st.t()));
                int best = 0;
                for (int s = 0; s < d.inputChars().size(); s++) {
                    float w = st.weights()[pad + s];
                    if (w > st.weights()[pad + best]) best = s;
                    sb.append(String.format(Locale.ROOT, "%4d", Math.round(100 * w)));
                }
                sb.append("  ").append(m.say("dec.step", "char", st.decoded(), "p", n(st.probability()), "looks", d.inputChars().get(best))).append('\n');
            }
        } else {
            sb.append(m.say("dec.noAttention")).append('\n');
            for (Demo.OutputStep st : d.steps()) {
                sb.append(String.format(Locale.ROOT, "  %2d  ", st.t())).append(m.say("dec.stepPlain", "char", st.decoded(), "p", n(st.probability())))
                        .append('\n');
            }
        }
        sb.append(m.say("dec.greedy", "output", d.greedy())).append('\n');
        sb.append(m.say("dec.beam", "width", d.beamWidth())).append('\n');
        for (Demo.Candidate c : d.beam()) sb.append("  ").append(m.say("dec.candidate", "output", c.output(), "logp", n(c.logProbability()))).append('\n');
        sb.append('\n');
    }

    private static float[] mapValues(Trace t, String layer) {
        return t.events(Event.MapForward.class).stream().filter(e -> e.layer().equals(layer)).findFirst().orElseThrow().values();
    }
}
