package dev.glassbox.models.explain;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes every number of a node-by-node trace from its weights and example: each node's
 * weighted sum and activation, the chaining of layers, the loss, every node's dL/dz by the
 * chain rule, every weight's gradient, and every update by its rule. A trace that the engine
 * did not really compute — or that a renderer would have to fix up — fails here.
 */
public final class TraceCheck {
    private TraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 2e-5 + 2e-5 * Math.abs(want), what);
    }

    public static void verify(Trace t) {
        Graph g = t.graph();
        List<Graph.Layer> layers = g.layers();
        assertEquals(Graph.Role.INPUT, layers.getFirst().role());
        assertEquals(t.example().input().length, layers.getFirst().units(), "the input layer has a node per input value");
        float[] in = t.example().input();
        float[][] acts = new float[layers.size()][];
        acts[0] = in;
        for (int l = 1; l < layers.size(); l++) {
            Graph.Layer layer = layers.get(l);
            Graph.Connection c = g.connections().stream().filter(x -> x.to().equals(layer.id())).findFirst().orElseThrow();
            assertEquals(layers.get(l - 1).id(), c.from(), "arrows come from the layer before");
            Graph.Weight w = g.weight(c.weight());
            Graph.Weight b = c.bias() == null ? null : g.weight(c.bias());
            boolean lookup = c.pattern() == Graph.Pattern.EMBEDDING;                // X·W, W [in, out]; else W [out, in]
            List<Event.Forward> fs = t.events(Event.Forward.class).stream().filter(e -> e.layer().equals(layer.id())).toList();
            assertEquals(layer.units(), fs.size(), layer.id() + ": a forward event per unit");
            assertEquals(layer.units(), w.shape()[lookup ? 1 : 0]);
            float[] z = new float[fs.size()], a = new float[fs.size()];
            for (int j = 0; j < fs.size(); j++) {
                Event.Forward f = fs.get(j);
                assertEquals(layer.nodes().get(j).id(), f.node());
                assertArrayEquals(in, f.inputs(), 0f, f.node() + ": its inputs are the previous layer's values");
                double sum = b == null ? 0 : b.values()[j];
                if (b != null) assertEquals(b.values()[j], f.bias(), 0f);
                for (int i = 0; i < in.length; i++) {
                    float wji = lookup ? w.at(i, j) : w.at(j, i);
                    assertEquals(wji, f.weights()[i], 0f, f.node() + ": the weight on the arrow from unit " + (i + 1));
                    sum += (double) in[i] * wji;
                }
                close(sum, f.sum(), f.node() + ": z = Σ inputs·weights + bias");
                z[j] = f.sum();
                a[j] = f.value();
                assertEquals(layer.activation(), f.activation());
            }
            activation(layer, z, a);
            in = a;
            acts[l] = a;
        }

        Event.Loss loss = t.events(Event.Loss.class).getFirst();
        assertArrayEquals(in, loss.output(), 0f, "the loss scores the last layer's values");
        float[] target = loss.target();
        double want = switch (loss.kind()) {
            case "cross_entropy" -> -Math.log(in[loss.targetClass()]);
            case "bce" -> -(target[0] * Math.log(in[0]) + (1 - target[0]) * Math.log(1 - in[0]));
            default -> {
                double s = 0;
                for (int i = 0; i < in.length; i++) s += (in[i] - target[i]) * (in[i] - target[i]);
                yield s / in.length;
            }
        };
        close(want, loss.value(), "the loss");

        // dL/dz, from the output back
        Map<String, List<Event.NodeGradient>> grads = t.events(Event.NodeGradient.class).stream()
                .collect(Collectors.groupingBy(Event.NodeGradient::layer));
        float[][] delta = new float[layers.size()][];
        for (int l = layers.size() - 1; l >= 1; l--) {
            Graph.Layer layer = layers.get(l);
            float[] a = acts[l];
            float[] d = new float[a.length];
            if (l == layers.size() - 1) {
                for (int j = 0; j < a.length; j++) {
                    d[j] = switch (loss.kind()) {
                        case "cross_entropy", "bce" -> a[j] - target[j];                                  // softmax / sigmoid on the logits
                        default -> 2f * (a[j] - target[j]) / a.length * derivative(layer.activation(), a[j]);
                    };
                }
            } else {
                Graph.Layer next = layers.get(l + 1);
                Graph.Weight wn = g.weight(g.connections().stream().filter(x -> x.to().equals(next.id())).findFirst().orElseThrow().weight());
                for (int j = 0; j < a.length; j++) {
                    double s = 0;
                    for (int k = 0; k < delta[l + 1].length; k++) s += (double) wn.at(k, j) * delta[l + 1][k];
                    d[j] = (float) (s * derivative(layer.activation(), a[j]));
                }
            }
            List<Event.NodeGradient> got = grads.get(layer.id());
            assertNotNull(got, layer.id() + ": node gradients");
            for (int j = 0; j < d.length; j++) close(d[j], got.get(j).gradient(), layer.id() + " unit " + (j + 1) + ": dL/dz");
            delta[l] = new float[d.length];
            for (int j = 0; j < d.length; j++) delta[l][j] = got.get(j).gradient();
        }

        // weight gradients and updates
        for (int l = 1; l < layers.size(); l++) {
            Graph.Layer layer = layers.get(l);
            Graph.Connection c = g.connections().stream().filter(x -> x.to().equals(layer.id())).findFirst().orElseThrow();
            for (String id : c.bias() == null ? List.of(c.weight()) : List.of(c.weight(), c.bias())) {
                Graph.Weight w = g.weight(id);
                if (w.training() == Graph.Training.FROZEN) continue;
                Event.WeightGradient wg = t.events(Event.WeightGradient.class).stream().filter(e -> e.weight().equals(id)).findFirst().orElseThrow();
                boolean lookup = c.pattern() == Graph.Pattern.EMBEDDING;
                for (int k = 0; k < w.values().length; k++) {
                    int row = w.shape().length == 2 ? k / w.shape()[1] : k, col = w.shape().length == 2 ? k % w.shape()[1] : 0;
                    double grad = w.shape().length == 1 ? delta[l][k]
                            : lookup ? (double) acts[l - 1][row] * delta[l][col] : (double) delta[l][row] * acts[l - 1][col];
                    close(grad, wg.values()[k], id + "[" + k + "]: dL/dw = dL/dz · x");
                }
            }
        }
        verifyUpdates(t);
    }

    /**
     * Every weight's update by the trace's rule (SGD or Adam's first step, after clipping the
     * gradients' joint norm when the rule says so); frozen weights have none. An update that
     * carries some entries ({@code indices}) is checked on those.
     */
    public static void verifyUpdates(Trace t) {
        Trace.Rule rule = t.rule();
        double scale = 1;
        if (rule.clip() != null) {
            double sq = 0;
            for (Event.WeightGradient wg : t.events(Event.WeightGradient.class)) for (float g : wg.values()) sq += (double) g * g;
            float norm = (float) Math.sqrt(sq), coef = rule.clip() / (norm + 1e-6f);
            scale = coef < 1f ? coef : 1;
        }
        for (Graph.Weight w : t.graph().weights()) {
            String id = w.id();
            List<Event.Update> ups = t.events(Event.Update.class).stream().filter(u -> u.weight().equals(id)).toList();
            if (w.training() == Graph.Training.FROZEN) {
                assertTrue(ups.isEmpty(), id + " is frozen: no update");
                continue;
            }
            assertEquals(1, ups.size(), id + ": one update");
            Event.Update u = ups.getFirst();
            Event.WeightGradient wg = t.events(Event.WeightGradient.class).stream().filter(e -> e.weight().equals(id)).findFirst().orElseThrow();
            int[] idx = u.indices();
            if (idx == null) assertEquals(w.values().length, u.before().length, id + ": every entry");
            for (int k = 0; k < u.before().length; k++) {
                int at = idx == null ? k : idx[k];
                assertEquals(w.values()[at], u.before()[k], 0f, id + "[" + at + "] before");
                close(wg.values()[at] * scale, u.gradient()[k], id + "[" + at + "]: the gradient the rule used");
                double next;
                if (rule.name().equals("adam")) {
                    double gk = u.gradient()[k], m = (1 - rule.beta1()) * gk, v = (1 - rule.beta2()) * gk * gk;
                    close(m, u.m()[k], id + " m");
                    assertEquals(v, u.v()[k], 1e-5 * v + 1e-30, id + " v");
                    double mhat = m / (1 - Math.pow(rule.beta1(), rule.step())), vhat = v / (1 - Math.pow(rule.beta2(), rule.step()));
                    next = u.before()[k] - rule.lr() * mhat / (Math.sqrt(vhat) + rule.eps());
                } else {
                    next = u.before()[k] - (double) rule.lr() * u.gradient()[k];
                }
                close(next, u.after()[k], id + "[" + at + "]: the update");
            }
        }
    }

    private static void activation(Graph.Layer layer, float[] z, float[] a) {
        switch (layer.activation()) {
            case "sigmoid" -> { for (int j = 0; j < z.length; j++) close(1 / (1 + Math.exp(-z[j])), a[j], layer.id() + " sigmoid " + (j + 1)); }
            case "identity" -> { for (int j = 0; j < z.length; j++) assertEquals(z[j], a[j], 0f); }
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (float v : z) max = Math.max(max, v);
                for (float v : z) sum += Math.exp(v - max);
                for (int j = 0; j < z.length; j++) close(Math.exp(z[j] - max) / sum, a[j], layer.id() + " softmax " + (j + 1));
            }
            default -> throw new AssertionError("activation " + layer.activation());
        }
    }

    private static float derivative(String activation, float a) {
        return switch (activation) {
            case "sigmoid" -> a * (1 - a);
            case "identity" -> 1f;
            default -> throw new AssertionError("no derivative for " + activation);
        };
    }
}
