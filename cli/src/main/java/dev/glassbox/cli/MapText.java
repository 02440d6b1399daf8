package dev.glassbox.cli;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The map-by-map parts of a trace in the terminal: the course's worked convolution and pooling,
 * then each layer of feature maps (a few shown as grids), each convolution's worked cell, and
 * the map gradients. Every sentence from the message bundle; the numbers are the trace's.
 */
final class MapText {
    private static final int MAX_MAPS = 2, MAX_CHANNELS = 2;

    private final Messages m;

    MapText(Messages m) { this.m = m; }

    private static String v(float x) { return x == Math.rint(x) && Math.abs(x) < 1e7 ? String.valueOf((int) x) : TraceText.n(x); }

    void demos(StringBuilder sb, List<Demo> demos) {
        for (Demo d : demos) {
            switch (d) {
                case Demo.Convolution c -> {
                    sb.append(m.say("demo.conv", "stride", c.stride())).append('\n');
                    sideBySide(sb, List.of(m.say("demo.image"), m.say("demo.filter"), m.say("demo.featureMap")), List.of(c.image(), c.filter(), c.featureMap()));
                    for (Demo.Cell cell : c.cells()) {
                        StringBuilder p = new StringBuilder();
                        for (int i = 0; i < cell.window().length; i++) {
                            for (int j = 0; j < cell.window()[i].length; j++) {
                                p.append(p.isEmpty() ? "" : " + ").append(v(cell.window()[i][j])).append("·").append(v(c.filter()[i][j]));
                            }
                        }
                        sb.append("    ").append(m.say("demo.cell", "row", cell.row() + 1, "col", cell.col() + 1, "products", p, "value", v(cell.value()))).append('\n');
                    }
                }
                case Demo.GradientFlow f -> new SequenceText(m).flow(sb, f);
                case Demo.NegativeSampling ns -> {
                    continue;                          // said after the step it compares with (TraceText)
                }
                case Demo.Decoding decoding -> {
                    continue;                          // seq2seq's, said by Seq2SeqText
                }
                case Demo.Frames f -> {
                    sb.append(m.say("demo.frames", "size", f.frameSize(), "sentence", String.join(" ", f.words()))).append('\n');
                    int k = 0;
                    for (Demo.Frame frame : f.frames()) {
                        List<String> pairs = new java.util.ArrayList<>();
                        for (Demo.Pair p : frame.pairs()) pairs.add(m.say("demo.pair", "k", k++, "input", p.input(), "target", p.target()));
                        sb.append("  ").append(m.say("demo.frame", "words", String.join(" ", frame.inside()), "pairs", String.join("; ", pairs))).append('\n');
                    }
                }
                case Demo.Pooling p -> {
                    sb.append(m.say("demo.pool", "size", p.size(), "stride", p.stride())).append('\n');
                    sideBySide(sb, List.of(m.say("demo.featureMap"), m.say("demo.pooled")), List.of(p.input(), p.pooled()));
                    for (Demo.Cell cell : p.cells()) {
                        StringBuilder vals = new StringBuilder();
                        for (float[] row : cell.window()) for (float x : row) vals.append(vals.isEmpty() ? "" : ", ").append(v(x));
                        sb.append("    ").append(m.say("demo.max", "row", cell.row() + 1, "col", cell.col() + 1, "values", vals, "value", v(cell.value()))).append('\n');
                    }
                }
            }
            sb.append('\n');
        }
    }

    /** A layer of maps: its operation, its first maps as grids, and a convolution's worked cell. */
    void layer(StringBuilder sb, Trace t, Graph.Layer layer) {
        Graph.Connection in = t.graph().connections().stream().filter(c -> c.to().equals(layer.id())).findFirst().orElseThrow();
        int[] shape = layer.nodes().getFirst().shape();
        Graph.Layer prev = t.graph().layer(in.from());
        String op = switch (in.pattern()) {
            case CONV -> m.say("op.conv", "count", maps(layer), "k", in.kernel(), "inputs", maps(prev), "stride", in.stride(),
                    "padding", in.padding());
            case MAX_POOL -> m.say("op.pool", "k", in.kernel(), "stride", in.stride());
            default -> m.say("op.relu");
        };
        sb.append(m.say("maps.layer", "label", layer.label(), "count", maps(layer), "h", shape[0], "w", shape[1], "operation", op)).append('\n');
        List<Event.MapForward> values = t.events(Event.MapForward.class).stream().filter(e -> e.layer().equals(layer.id())).toList();
        int shown = Math.min(MAX_MAPS, values.size());
        for (int i = 0; i < shown; i++) {
            sb.append("  ").append(layer.nodes().get(i).label()).append('\n');
            grid(sb, "    ", values.get(i).values(), shape[0], shape[1]);
        }
        if (shown < values.size()) sb.append("  ").append(m.say("maps.shown", "shown", shown, "count", values.size())).append('\n');
        for (Event.Window w : t.events(Event.Window.class)) if (w.layer().equals(layer.id())) window(sb, t, layer, w);
        sb.append('\n');
    }

    private void window(StringBuilder sb, Trace t, Graph.Layer layer, Event.Window w) {
        String map = layer.nodes().stream().filter(n -> n.id().equals(w.node())).findFirst().orElseThrow().label();
        sb.append("  ").append(m.say("window.head", "map", map, "row", w.row() + 1, "col", w.col() + 1)).append('\n');
        int shown = Math.min(MAX_CHANNELS, w.windows().length);
        for (int c = 0; c < shown; c++) {
            StringBuilder p = new StringBuilder();
            for (int i = 0; i < w.windows()[c].length; i++) {
                p.append(i == 0 ? "" : " + ").append(v(w.windows()[c][i])).append("·").append(TraceText.signed(w.filters()[c][i]));
            }
            sb.append("    ").append(m.say("window.channel", "channel", c + 1, "products", p, "sum", TraceText.n(w.sums()[c]))).append('\n');
        }
        if (shown < w.windows().length) sb.append("    ").append(m.say("window.more", "count", w.windows().length - shown)).append('\n');
        StringBuilder terms = new StringBuilder();
        for (int c = 0; c < w.sums().length && c < 8; c++) terms.append(c == 0 ? "" : " + ").append(TraceText.signed(w.sums()[c]));
        if (w.sums().length > 8) terms.append(" + ...");
        terms.append(" + ").append(TraceText.signed(w.bias())).append(" = ").append(TraceText.n(w.value()));
        sb.append("    ").append(m.say("window.total", "count", w.sums().length, "terms", terms)).append('\n');
    }

    /** The map gradients of a layer, summed up as their largest magnitude. */
    void gradients(StringBuilder sb, Trace t) {
        List<String> done = new ArrayList<>();
        for (Event.MapGradient g : t.events(Event.MapGradient.class)) {
            if (done.contains(g.layer())) continue;
            done.add(g.layer());
            float max = 0;
            for (Event.MapGradient x : t.events(Event.MapGradient.class)) {
                if (!x.layer().equals(g.layer())) continue;
                for (float v : x.values()) max = Math.max(max, Math.abs(v));
            }
            sb.append("  ").append(m.say("backward.maps", "label", t.graph().layer(g.layer()).label(), "max", TraceText.n(max))).append('\n');
        }
    }

    private static int maps(Graph.Layer l) { return (int) l.nodes().stream().filter(n -> n.kind() == Graph.NodeKind.MAP).count(); }


    static void grid(StringBuilder sb, String indent, float[] values, int h, int w) {
        for (int r = 0; r < h; r++) {
            sb.append(indent);
            for (int c = 0; c < w; c++) sb.append(String.format(Locale.ROOT, "%8s", v(values[r * w + c])));
            sb.append('\n');
        }
    }

    /** Small matrices side by side under their titles. */
    private static void sideBySide(StringBuilder sb, List<String> titles, List<float[][]> mats) {
        List<List<String>> cols = new ArrayList<>();
        int rows = 0;
        for (int k = 0; k < mats.size(); k++) {
            List<String> lines = new ArrayList<>();
            lines.add(titles.get(k));
            for (float[] row : mats.get(k)) {
                StringBuilder line = new StringBuilder();
                for (float x : row) line.append(String.format(Locale.ROOT, "%3s", v(x)));
                lines.add(line.toString());
            }
            rows = Math.max(rows, lines.size());
            cols.add(lines);
        }
        for (int r = 0; r < rows; r++) {
            StringBuilder line = new StringBuilder("    ");
            for (List<String> col : cols) {
                int width = col.stream().mapToInt(String::length).max().orElse(0) + 4;
                String cell = r < col.size() ? col.get(r) : "";
                line.append(cell).append(" ".repeat(width - cell.length()));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
