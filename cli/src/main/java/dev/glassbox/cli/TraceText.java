package dev.glassbox.cli;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Says a {@link Trace} in the terminal, every sentence from the message bundle: the graph, the
 * input, each node's forward computation, the loss, the backward pass and the updates. Long
 * layers are cut (the JSON trace has everything); the numbers are the trace's, none computed
 * here but a gradient's norm and Adam's bias-corrected moments, which restate trace values.
 */
final class TraceText {
    private static final int MAX_TERMS = 6, MAX_NODES = 10, PER_WEIGHT = 3;

    private final Messages m;
    private final MapText maps;

    TraceText(Messages m) {
        this.m = m;
        this.maps = new MapText(m);
    }

    /** Four decimals; a value that rounds to zero is 0.0000 whatever its sign. */
    static String n(float v) {
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s.equals("-0.0000") ? "0.0000" : s;
    }

    /** A number to add in a sum: a negative one in parentheses. */
    static String signed(float x) { return n(x).startsWith("-") ? "(" + n(x) + ")" : n(x); }

    /** A whole number without decimals, else four decimals. */
    static String v(float x) { return x == Math.rint(x) && Math.abs(x) < 1e7 ? String.valueOf((int) x) : n(x); }

    /** {@link #v}, a negative number in parentheses. */
    static String sv(float x) { return v(x).startsWith("-") ? "(" + v(x) + ")" : v(x); }

    static String vector(float[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) sb.append(i == 0 ? "" : ", ").append(v(values[i]));
        return sb.append(']').toString();
    }

    static String shape(int[] s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length; i++) sb.append(i == 0 ? "" : " x ").append(s[i]);
        return sb.toString();
    }

    String render(Trace t) {
        StringBuilder sb = new StringBuilder();
        Graph g = t.graph();
        boolean byMaps = g.layers().stream().anyMatch(l -> l.nodes().stream().anyMatch(x -> x.kind() == Graph.NodeKind.MAP));
        sb.append(m.say(byMaps ? "title.maps" : "title", "model", t.model(), "rule", m.say("rule." + t.rule().name()), "lr", v(t.rule().lr())))
                .append('\n');
        if (t.stage() != null) {
            sb.append(m.say("stage", "index", t.stage().index(), "of", t.stage().of(), "name", t.stage().name(), "target",
                    m.say("stage.target." + t.stage().target()))).append('\n');
        }
        sb.append('\n');
        maps.demos(sb, t.demos());
        if (byMaps && t.example().targetClass() != null) sb.append(m.say("model.part", "class", t.example().targetClass())).append('\n');
        graph(sb, g);
        Graph.Layer input = g.layers().getFirst();
        int[] shape = input.nodes().getFirst().shape();
        if (shape != null) {
            sb.append(m.say("input", "label", input.label(), "values", "")).append('\n');
            MapText.grid(sb, "    ", t.example().input(), shape[0], shape[1]);
            sb.append('\n');
        } else {
            sb.append(m.say("input", "label", input.label(), "values", vector(t.example().input()))).append('\n');
            List<String> words = t.example().words();
            if (words != null) sb.append(m.say("input.pair", "input", words.get(0), "target", words.get(1))).append('\n');
            sb.append('\n');
        }

        sb.append(m.say("forward.head")).append('\n');
        for (Graph.Layer layer : g.layers().subList(1, g.layers().size())) {
            Graph.Connection in = g.connections().stream().filter(c -> c.to().equals(layer.id())).findFirst().orElseThrow();
            if (layer.nodes().getFirst().kind() == Graph.NodeKind.MAP) {
                maps.layer(sb, t, layer);
            } else if (in.pattern() == Graph.Pattern.FLATTEN) {
                sb.append(m.say("flatten.line", "label", layer.label(), "count", layer.units())).append("\n\n");
            } else if (in.pattern() == Graph.Pattern.EMBEDDING) {
                lookup(sb, t, layer, in);
            } else {
                forward(sb, t, layer);
            }
        }
        loss(sb, t);
        backward(sb, t);
        updates(sb, t);
        for (Demo d : t.demos()) if (d instanceof Demo.NegativeSampling ns) negativeSampling(sb, ns, g.layers().getFirst().units());
        return sb.toString().stripTrailing();
    }

    /** A layer fed by a one-hot input through an embedding: the row of the input's word. */
    private void lookup(StringBuilder sb, Trace t, Graph.Layer layer, Graph.Connection in) {
        List<Event.Forward> fs = t.events(Event.Forward.class).stream().filter(e -> e.layer().equals(layer.id())).toList();
        float[] values = new float[fs.size()];
        for (int j = 0; j < values.length; j++) values[j] = fs.get(j).value();
        Graph.Layer from = t.graph().layer(in.from());
        String word = "";
        for (int i = 0; i < fs.getFirst().inputs().length; i++) if (fs.getFirst().inputs()[i] == 1f) word = from.nodes().get(i).label();
        sb.append(m.say("forward.lookup", "label", layer.label(), "weight", t.weight(in.weight()).label(), "word", word, "values", vector(values)))
                .append("\n\n");
    }

    /** word2vec's same pair with negative sampling, after the full softmax's step. */
    private void negativeSampling(StringBuilder sb, Demo.NegativeSampling ns, int vocab) {
        sb.append('\n').append(m.say("ns.head", "vocab", vocab, "target", ns.target(), "count", ns.samples().size() - 1, "centre", ns.centre(),
                "excluded", String.join(", ", ns.excluded()))).append('\n');
        sb.append("  ").append(m.say("ns.embedding", "centre", ns.centre(), "values", vector(ns.embedding()))).append('\n');
        for (Demo.Sample x : ns.samples()) {
            sb.append("  ").append(m.say(x.positive() ? "ns.positive" : "ns.negative", "word", x.word(), "score", n(x.score()), "sigmoid",
                    n(x.positive() ? x.sigmoid() : 1 - x.sigmoid()), "part", n(x.lossPart()))).append('\n');
        }
        sb.append("  ").append(m.say("ns.loss", "value", n(ns.loss()))).append('\n');
        sb.append(m.say("ns.update", "lr", v(ns.lr()), "centre", ns.centre(), "count", ns.samples().size(), "vocab", vocab)).append('\n');
        sb.append("  ").append(m.say("ns.row", "label", "W_embeddings", "word", ns.centre(), "old", vector(ns.embedding()), "lr", v(ns.lr()), "grad",
                vector(ns.embeddingGradient()), "new", vector(ns.newEmbedding()))).append('\n');
        for (Demo.Sample x : ns.samples()) {
            sb.append("  ").append(m.say("ns.row", "label", "W_nce", "word", x.word(), "old", vector(x.row()), "lr", v(ns.lr()), "grad", vector(x.gradient()),
                    "new", vector(x.after()))).append('\n');
        }
    }

    private void graph(StringBuilder sb, Graph g) {
        List<String> layers = new ArrayList<>();
        for (Graph.Layer l : g.layers()) {
            boolean bias = l.nodes().stream().anyMatch(x -> x.kind() == Graph.NodeKind.BIAS);
            int[] shape = l.nodes().getFirst().shape();
            layers.add(shape != null ? m.say("graph.maps", "label", l.label(), "count", l.nodes().size(), "h", shape[0], "w", shape[1])
                    : m.say("graph.layer", "label", l.label(), "units", l.units(), "bias", bias ? m.say("graph.bias") : ""));
        }
        sb.append(m.say("graph", "layers", String.join(" -> ", layers))).append('\n');
        if (g.layers().stream().anyMatch(l -> l.nodes().stream().anyMatch(x -> x.kind() == Graph.NodeKind.BIAS))) sb.append(m.say("graph.biasNote")).append('\n');
        for (Graph.Connection c : g.connections()) {
            if (c.weight() == null) continue;   // pooling, ReLU, flatten: arrows without weights
            Graph.Weight w = g.weight(c.weight());
            String label = c.bias() == null ? w.label() : w.label() + ", " + g.weight(c.bias()).label();
            sb.append("  ").append(m.say("graph.weight", "label", label, "shape", shape(w.shape()), "to", g.layer(c.to()).label(),
                    "frozen", w.training() == Graph.Training.FROZEN ? m.say("graph.frozen") : "")).append('\n');
        }
        sb.append('\n');
    }

    void forward(StringBuilder sb, Trace t, Graph.Layer layer) {
        Graph.Connection in = t.graph().connections().stream().filter(c -> c.to().equals(layer.id())).findFirst().orElseThrow();
        List<Event.Forward> nodes = t.events(Event.Forward.class).stream().filter(e -> e.layer().equals(layer.id())).toList();
        sb.append(m.say("forward.layer", "label", layer.label(), "units", layer.units(), "activation",
                m.say("activation." + layer.activation()))).append('\n');
        Map<String, String> labels = new LinkedHashMap<>();
        for (Graph.Node node : layer.nodes()) labels.put(node.id(), node.label());
        int shown = 0;
        for (Event.Forward f : nodes) {
            if (shown++ == MAX_NODES) {
                sb.append("  ").append(m.say("forward.moreNodes", "count", nodes.size() - MAX_NODES)).append('\n');
                break;
            }
            StringBuilder terms = new StringBuilder();
            for (int i = 0; i < Math.min(f.inputs().length, MAX_TERMS); i++) {
                terms.append(i == 0 ? "" : " + ").append(signed(f.weights()[i])).append("·").append(sv(f.inputs()[i]));
            }
            if (f.inputs().length > MAX_TERMS) terms.append(" + (").append(m.say("forward.more", "count", f.inputs().length - MAX_TERMS)).append(')');
            if (in.bias() != null) terms.append(" + ").append(signed(f.bias()));
            sb.append("  ").append(m.say("forward.node", "node", labels.get(f.node()), "terms", terms, "sum", n(f.sum()),
                    "activation", m.say("act." + f.activation(), "node", labels.get(f.node())), "value", n(f.value()))).append('\n');
        }
        sb.append('\n');
    }

    private void loss(StringBuilder sb, Trace t) {
        Event.Loss l = t.events(Event.Loss.class).getFirst();
        sb.append(m.say("loss.head")).append('\n');
        sb.append("  ").append(m.say("loss.output", "label", t.graph().layer(l.layer()).label(), "values", vector(l.output()))).append('\n');
        boolean byWord = t.example().words() != null;
        Object cls = l.targetClass() == null ? null : byWord ? "'" + t.graph().layer(l.layer()).nodes().get(l.targetClass()).label() + "'" : l.targetClass();
        if (byWord) {
            sb.append("  ").append(m.say("loss.targetWord", "word", t.example().words().get(1), "values", vector(l.target()))).append('\n');
        } else if (l.targetClass() != null) {
            sb.append("  ").append(m.say("loss.targetClass", "class", l.targetClass(), "values", vector(l.target()))).append('\n');
        } else {
            sb.append("  ").append(m.say("loss.target", "values", vector(l.target()))).append('\n');
        }
        switch (l.kind()) {
            case "cross_entropy" -> sb.append("  ").append(m.say("loss.cross_entropy", "class", cls, "p", n(l.output()[l.targetClass()]),
                    "value", n(l.value())));
            case "bce" -> sb.append("  ").append(m.say("loss.bce", "t", v(l.target()[0]), "p", n(l.output()[0]), "value", n(l.value())));
            default -> sb.append("  ").append(m.say("loss.mse", "value", n(l.value())));
        }
        sb.append("\n\n");
    }

    void backward(StringBuilder sb, Trace t) {
        sb.append(m.say("backward.head")).append('\n');
        Map<String, List<Float>> byLayer = new LinkedHashMap<>();
        for (Event.NodeGradient e : t.events(Event.NodeGradient.class)) byLayer.computeIfAbsent(e.layer(), k -> new ArrayList<>()).add(e.gradient());
        byLayer.forEach((layer, grads) -> {
            float[] values = new float[grads.size()];
            for (int i = 0; i < values.length; i++) values[i] = grads.get(i);
            sb.append("  ").append(m.say("backward.layer", "label", t.graph().layer(layer).label(), "values", vector(values))).append('\n');
        });
        maps.gradients(sb, t);
        sb.append(m.say("backward.rule")).append('\n');
        for (Event.WeightGradient e : t.events(Event.WeightGradient.class)) {
            Graph.Weight w = t.weight(e.weight());
            double sq = 0;
            for (float x : e.values()) sq += (double) x * x;
            sb.append("  ").append(m.say("backward.weight", "label", w.label(), "shape", shape(w.shape()), "norm", n((float) Math.sqrt(sq)))).append('\n');
        }
        sb.append('\n');
    }

    void updates(StringBuilder sb, Trace t) {
        Trace.Rule r = t.rule();
        boolean adam = r.name().equals("adam");
        sb.append(adam ? m.say("update.head.adam", "step", r.step(), "beta1", v(r.beta1()), "beta2", v(r.beta2()), "eps", r.eps())
                : m.say("update.head.sgd")).append('\n');
        int more = 0, carried = 0;
        for (Event.Update u : t.events(Event.Update.class)) {
            Graph.Weight w = t.weight(u.weight());
            if (u.indices() != null) {
                more += w.values().length - u.indices().length;   // values the event does not carry
                carried = u.indices().length;
            }
            int shown = 0;
            for (int k = 0; k < u.before().length; k++) {
                if (u.after()[k] == u.before()[k]) continue;
                if (shown == PER_WEIGHT) {
                    more++;
                    continue;
                }
                shown++;
                String index = index(w.shape(), u.indices() == null ? k : u.indices()[k]);
                if (adam) {
                    float mhat = (float) (u.m()[k] / (1 - Math.pow(r.beta1(), r.step())));
                    float vhat = (float) (u.v()[k] / (1 - Math.pow(r.beta2(), r.step())));
                    sb.append("  ").append(m.say("update.adam", "label", w.label(), "index", index, "grad", n(u.gradient()[k]), "m", n(u.m()[k]),
                            "v", String.format(Locale.ROOT, "%.3g", u.v()[k]), "old", n(u.before()[k]), "lr", v(r.lr()), "mhat", signed(mhat),
                            "vhat", String.format(Locale.ROOT, "%.3g", vhat), "new", n(u.after()[k])));
                } else {
                    sb.append("  ").append(m.say("update.sgd", "label", w.label(), "index", index, "old", n(u.before()[k]), "lr", v(r.lr()),
                            "grad", signed(u.gradient()[k]), "new", n(u.after()[k])));
                }
                sb.append('\n');
            }
        }
        if (more > 0) sb.append("  ").append(carried > 0 ? m.say("update.moreLargest", "count", more, "shown", carried) : m.say("update.more", "count", more))
                .append('\n');
        List<String> frozen = t.graph().weights().stream().filter(w -> w.training() == Graph.Training.FROZEN).map(Graph.Weight::label).toList();
        if (!frozen.isEmpty()) sb.append("  ").append(m.say("update.frozen", "labels", String.join(", ", frozen))).append('\n');
    }

    /** A flat index as the people-counted position in a weight: [row][col] or [i], from 1. */
    static String index(int[] shape, int k) {
        return shape.length == 2 ? (k / shape[1] + 1) + "][" + (k % shape[1] + 1) : String.valueOf(k + 1);
    }
}
