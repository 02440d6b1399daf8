package dev.glassbox.models.explain;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recomputes every number of a map-by-map trace (the CNN's) from its weights and image: the
 * course's worked examples, every cell of every convolution, ReLU and pooling map, the dense
 * layers after them, the loss, every dL/dz back through the dense layers, the poolings, the
 * ReLUs and the convolutions, every weight's gradient, and every Adam update.
 */
public final class MapTraceCheck {
    private MapTraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 3e-5 + 3e-5 * Math.abs(want), what);
    }

    /** A layer's maps (or units) as one array, maps one after another. */
    private record Values(int maps, int h, int w, float[] v) {
        float at(int m, int r, int c) { return v[(m * h + r) * w + c]; }
    }

    public static void verify(Trace t) {
        demos(t.demos());
        Graph g = t.graph();
        List<Values> acts = new ArrayList<>(), grads = new ArrayList<>();
        int[] in = g.layers().getFirst().nodes().getFirst().shape();
        acts.add(new Values(1, in[0], in[1], t.example().input()));
        // forward through the map layers
        for (int l = 1; l < g.layers().size(); l++) {
            Graph.Layer layer = g.layers().get(l);
            if (layer.nodes().getFirst().kind() != Graph.NodeKind.MAP) break;
            Graph.Connection c = g.connections().get(l - 1);
            Values prev = acts.getLast();
            int[] s = layer.nodes().getFirst().shape();
            int maps = layer.nodes().size();
            float[] got = new float[maps * s[0] * s[1]];
            List<Event.MapForward> fs = t.events(Event.MapForward.class).stream().filter(e -> e.layer().equals(layer.id())).toList();
            assertEquals(maps, fs.size(), layer.id());
            for (int m = 0; m < maps; m++) System.arraycopy(fs.get(m).values(), 0, got, m * s[0] * s[1], s[0] * s[1]);
            Values out = new Values(maps, s[0], s[1], got);
            for (int m = 0; m < maps; m++) {
                for (int r = 0; r < s[0]; r++) {
                    for (int q = 0; q < s[1]; q++) {
                        double want = switch (c.pattern()) {
                            case CONV -> conv(g, c, prev, m, r, q);
                            case MAX_POOL -> {
                                double mx = Double.NEGATIVE_INFINITY;
                                for (int i = 0; i < c.kernel(); i++) for (int j = 0; j < c.kernel(); j++) mx = Math.max(mx, prev.at(m, r * c.stride() + i, q * c.stride() + j));
                                yield mx;
                            }
                            default -> Math.max(0, prev.at(m, r, q));
                        };
                        close(want, out.at(m, r, q), layer.id() + " map " + (m + 1) + " [" + r + "][" + q + "]");
                    }
                }
            }
            for (Event.Window w : t.events(Event.Window.class)) {
                if (!w.layer().equals(layer.id())) continue;
                double total = w.bias();
                for (int ch = 0; ch < w.sums().length; ch++) {
                    double sum = 0;
                    for (int k = 0; k < w.windows()[ch].length; k++) sum += (double) w.windows()[ch][k] * w.filters()[ch][k];
                    close(sum, w.sums()[ch], w.layer() + " worked cell, input map " + (ch + 1));
                    total += w.sums()[ch];
                }
                close(total, w.value(), "the worked cell's z");
                assertEquals(out.at(0, w.row(), w.col()), w.value(), 0f, "the worked cell is the map's");
            }
            acts.add(out);
        }
        // the dense layers after the flatten: the DenseCheck's rules on units
        Values pooled = acts.getLast();
        List<Event.Forward> fc = t.events(Event.Forward.class);
        float[] flat = pooled.v();
        String firstDense = fc.getFirst().layer();
        assertArrayEquals(flat, fc.getFirst().inputs(), 0f, "the flattened maps are fc1's inputs");
        float[] fcA = dense(t, firstDense, flat), probs = dense(t, "output", fcA);
        Event.Loss loss = t.events(Event.Loss.class).getFirst();
        assertArrayEquals(probs, loss.output(), 0f);
        close(-Math.log(probs[loss.targetClass()]), loss.value(), "cross-entropy");

        // backward
        float[] dOut = new float[probs.length];
        for (int j = 0; j < probs.length; j++) dOut[j] = probs[j] - loss.target()[j];
        checkNodes(t, "output", dOut);
        Graph.Weight wOut = t.weight("output.weight"), wFc = t.weight(firstDense + ".weight");
        float[] dFc = new float[fcA.length];
        for (int j = 0; j < fcA.length; j++) {
            double s = 0;
            for (int k = 0; k < dOut.length; k++) s += (double) wOut.at(k, j) * dOut[k];
            dFc[j] = fcA[j] > 0 ? (float) s : 0f;
        }
        checkNodes(t, firstDense, dFc);
        float[] dFlat = new float[flat.length];
        for (int i = 0; i < flat.length; i++) {
            double s = 0;
            for (int j = 0; j < dFc.length; j++) s += (double) wFc.at(j, i) * dFc[j];
            dFlat[i] = (float) s;
        }
        checkWeight(t, "output", dOut, fcA);
        checkWeight(t, firstDense, dFc, flat);
        // back through pool, ReLU, conv, layer by layer (acts: input, conv1, relu1, pool1, conv2, relu2, pool2)
        float[] dAbove = dFlat;
        for (int l = acts.size() - 1; l >= 3; l -= 3) {
            Values pool = acts.get(l), relu = acts.get(l - 1), conv = acts.get(l - 2), below = acts.get(l - 3);
            Graph.Connection cp = g.connections().get(l - 1), cc = g.connections().get(l - 3);
            float[] dZ = new float[conv.v().length];
            for (int m = 0; m < pool.maps(); m++) {
                for (int r = 0; r < pool.h(); r++) {
                    for (int q = 0; q < pool.w(); q++) {
                        int bi = -1, bj = -1;                                     // the window's first largest, as the engine routes it
                        for (int i = 0; i < cp.kernel(); i++) {
                            for (int j = 0; j < cp.kernel(); j++) {
                                if (bi < 0 || relu.at(m, r * 2 + i, q * 2 + j) > relu.at(m, r * 2 + bi, q * 2 + bj)) {
                                    bi = i;
                                    bj = j;
                                }
                            }
                        }
                        int y = r * cp.stride() + bi, x = q * cp.stride() + bj;
                        if (conv.at(m, y, x) > 0) dZ[(m * conv.h() + y) * conv.w() + x] += dAbove[(m * pool.h() + r) * pool.w() + q];
                    }
                }
            }
            String id = g.layers().get(l - 2).id();
            List<Event.MapGradient> mg = t.events(Event.MapGradient.class).stream().filter(e -> e.layer().equals(id)).toList();
            for (int m = 0; m < conv.maps(); m++) {
                for (int k = 0; k < conv.h() * conv.w(); k++) close(dZ[m * conv.h() * conv.w() + k], mg.get(m).values()[k], id + " dL/dz map " + (m + 1));
            }
            Graph.Weight w = t.weight(cc.weight());
            int cin = below.maps(), kk = cc.kernel(), p = cc.padding(), st = cc.stride();
            float[] dW = new float[w.values().length], dB = new float[conv.maps()], dIn = new float[below.v().length];
            for (int o = 0; o < conv.maps(); o++) {
                for (int r = 0; r < conv.h(); r++) {
                    for (int q = 0; q < conv.w(); q++) {
                        float d = dZ[(o * conv.h() + r) * conv.w() + q];
                        dB[o] += d;
                        for (int ch = 0; ch < cin; ch++) {
                            for (int i = 0; i < kk; i++) {
                                for (int j = 0; j < kk; j++) {
                                    int y = r * st - p + i, x = q * st - p + j;
                                    if (y < 0 || y >= below.h() || x < 0 || x >= below.w()) continue;
                                    int wi = ((o * cin + ch) * kk + i) * kk + j;
                                    dW[wi] += d * below.at(ch, y, x);
                                    dIn[(ch * below.h() + y) * below.w() + x] += d * w.values()[wi];
                                }
                            }
                        }
                    }
                }
            }
            assertGrad(t, cc.weight(), dW);
            assertGrad(t, cc.bias(), dB);
            dAbove = dIn;
        }
        TraceCheck.verifyUpdates(t);
    }

    private static double conv(Graph g, Graph.Connection c, Values in, int o, int r, int q) {
        Graph.Weight w = g.weight(c.weight()), b = g.weight(c.bias());
        int k = c.kernel(), cin = in.maps();
        double s = b.values()[o];
        for (int ch = 0; ch < cin; ch++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    int y = r * c.stride() - c.padding() + i, x = q * c.stride() - c.padding() + j;
                    if (y < 0 || y >= in.h() || x < 0 || x >= in.w()) continue;
                    s += (double) w.values()[((o * cin + ch) * k + i) * k + j] * in.at(ch, y, x);
                }
            }
        }
        return s;
    }

    /** A dense layer's forward events checked against its weights; returns its activations. */
    private static float[] dense(Trace t, String id, float[] x) {
        Graph.Weight w = t.weight(id + ".weight"), b = t.weight(id + ".bias");
        List<Event.Forward> fs = t.events(Event.Forward.class).stream().filter(e -> e.layer().equals(id)).toList();
        float[] z = new float[fs.size()], a = new float[fs.size()];
        for (int j = 0; j < fs.size(); j++) {
            Event.Forward f = fs.get(j);
            assertArrayEquals(x, f.inputs(), 0f, f.node());
            double s = b.values()[j];
            for (int i = 0; i < x.length; i++) s += (double) w.at(j, i) * x[i];
            close(s, f.sum(), f.node() + " z");
            z[j] = f.sum();
            a[j] = f.value();
        }
        if (fs.getFirst().activation().equals("relu")) {
            for (int j = 0; j < z.length; j++) assertEquals(Math.max(0f, z[j]), a[j], 0f, id + " relu");
        } else {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : z) max = Math.max(max, v);
            for (float v : z) sum += Math.exp(v - max);
            for (int j = 0; j < z.length; j++) close(Math.exp(z[j] - max) / sum, a[j], id + " softmax");
        }
        return a;
    }

    private static void checkNodes(Trace t, String layer, float[] want) {
        List<Event.NodeGradient> got = t.events(Event.NodeGradient.class).stream().filter(e -> e.layer().equals(layer)).toList();
        assertEquals(want.length, got.size());
        for (int j = 0; j < want.length; j++) close(want[j], got.get(j).gradient(), layer + " dL/dz " + (j + 1));
    }

    private static void checkWeight(Trace t, String id, float[] delta, float[] x) {
        float[] dW = new float[delta.length * x.length];
        for (int j = 0; j < delta.length; j++) for (int i = 0; i < x.length; i++) dW[j * x.length + i] = delta[j] * x[i];
        assertGrad(t, id + ".weight", dW);
        assertGrad(t, id + ".bias", delta);
    }

    private static void assertGrad(Trace t, String id, float[] want) {
        Event.WeightGradient g = t.events(Event.WeightGradient.class).stream().filter(e -> e.weight().equals(id)).findFirst().orElseThrow();
        for (int k = 0; k < want.length; k++) close(want[k], g.values()[k], id + "[" + k + "] gradient");
    }

    private static void demos(List<Demo> demos) {
        assertEquals(2, demos.size(), "the course's convolution and pooling");
        for (Demo d : demos) {
            switch (d) {
                case Demo.Convolution c -> {
                    for (Demo.Cell cell : c.cells()) {
                        double s = 0;
                        for (int i = 0; i < 3; i++) {
                            for (int j = 0; j < 3; j++) {
                                assertEquals(c.image()[cell.row() + i][cell.col() + j], cell.window()[i][j], 0f);
                                assertEquals(cell.window()[i][j] * c.filter()[i][j], cell.products()[i][j], 0f);
                                s += cell.products()[i][j];
                            }
                        }
                        assertEquals(s, cell.value(), 0f);
                        assertEquals(c.featureMap()[cell.row()][cell.col()], cell.value(), 0f);
                    }
                }
                case Demo.Pooling p -> {
                    for (Demo.Cell cell : p.cells()) {
                        float mx = Float.NEGATIVE_INFINITY;
                        for (float[] row : cell.window()) for (float v : row) mx = Math.max(mx, v);
                        assertEquals(mx, cell.value(), 0f);
                        assertEquals(p.pooled()[cell.row()][cell.col()], cell.value(), 0f);
                    }
                }
                default -> throw new AssertionError("a CNN's trace carries no " + d.getClass().getSimpleName());
            }
        }
    }
}
