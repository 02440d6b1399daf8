package dev.glassbox.models.explain;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Recomputes seq2seq's trace from its weights and example: the embeddings x(s) and p(t), the
 * encoder's and decoder's LSTM states e(s) and d(t) step by step, each output step's attention
 * (Luong or Bahdanau scores, softmax), context c(t) = Σ a(t)[s]·e(s), mixed state
 * m(t) = tanh(W_c·[c(t); d(t)] + b_c), output z = W_out·m(t) + b_out and softmax, each step's
 * loss and their mean, dL/dz = (p − target)/steps, the output layer's weight and bias
 * gradients, and the clipped Adam updates.
 */
public final class Seq2SeqTraceCheck {
    private Seq2SeqTraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 1e-4 + 1e-4 * Math.abs(want), what);
    }

    private static float[] values(Trace t, String layer) {
        return t.events(Event.MapForward.class).stream().filter(e -> e.layer().equals(layer)).findFirst().orElseThrow().values();
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** One LSTM step of {@code prefix} (encoder or decoder) from input x and state (h, c), PyTorch's gate order; h and c are updated. */
    private static void lstm(Graph g, String prefix, float[] x, double[] h, double[] c) {
        Graph.Weight wih = g.weight(prefix + ".weight_ih_l0"), whh = g.weight(prefix + ".weight_hh_l0");
        float[] bih = g.weight(prefix + ".bias_ih_l0").values(), bhh = g.weight(prefix + ".bias_hh_l0").values();
        int n = h.length;
        double[] z = new double[4 * n];
        for (int k = 0; k < 4 * n; k++) {
            z[k] = bih[k] + bhh[k];
            for (int i = 0; i < x.length; i++) z[k] += wih.at(k, i) * x[i];
            for (int i = 0; i < n; i++) z[k] += whh.at(k, i) * h[i];
        }
        for (int j = 0; j < n; j++) {
            c[j] = sigmoid(z[n + j]) * c[j] + sigmoid(z[j]) * Math.tanh(z[2 * n + j]);
            h[j] = sigmoid(z[3 * n + j]) * Math.tanh(c[j]);
        }
    }

    private static float[] row(Graph.Weight w, int r) { return java.util.Arrays.copyOfRange(w.values(), r * w.shape()[1], (r + 1) * w.shape()[1]); }

    public static void verify(Trace t) {
        Graph g = t.graph();
        int ti = t.example().shape()[0];
        List<Event.Loss> losses = t.events(Event.Loss.class);
        int to = losses.size();
        boolean attention = g.weights().stream().anyMatch(w -> w.id().equals("combine.weight"));
        Graph.Weight wc = attention ? g.weight("combine.weight") : null, bc = attention ? g.weight("combine.bias") : null;
        Graph.Weight wo = g.weight("out.weight"), bo = g.weight("out.bias");
        int h = wo.shape()[1], v = wo.shape()[0];
        // the encoder, step by step from zero states, and the decoder from its last state (teacher forcing)
        double[] hs = new double[h], cs = new double[h];
        for (int s = 1; s <= ti; s++) {
            float[] x = values(t, "x" + s);
            assertArrayEquals(row(g.weight("src_embed.weight"), (int) t.example().input()[s - 1]), x, 0f, "x(" + s + ") is its character's row");
            lstm(g, "encoder", x, hs, cs);
            float[] e = values(t, "e" + s);
            for (int j = 0; j < h; j++) close(hs[j], e[j], "e(" + s + ")[" + j + "]");
        }
        String target = t.example().words().get(1);
        for (int s = 1; s <= to; s++) {
            int prev = s == 1 ? v : g.layer("y1").nodes().stream().map(Graph.Node::label).toList().indexOf(String.valueOf(target.charAt(s - 2)));
            float[] p = values(t, "p" + s);
            assertArrayEquals(row(g.weight("tgt_embed.weight"), prev), p, 0f, "p(" + s + ") is <bos> or the previous target character");
            lstm(g, "decoder", p, hs, cs);
            float[] d = values(t, "d" + s);
            for (int j = 0; j < h; j++) close(hs[j], d[j], "d(" + s + ")[" + j + "]");
            if (!attention) continue;
            double[] score = new double[ti];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int q = 1; q <= ti; q++) {
                float[] e = values(t, "e" + q);
                if (g.weights().stream().anyMatch(w -> w.id().equals("attn_v.weight"))) {
                    Graph.Weight we = g.weight("attn_enc.weight"), wd = g.weight("attn_dec.weight");
                    float[] bd = g.weight("attn_dec.bias").values(), va = g.weight("attn_v.weight").values();
                    for (int k = 0; k < h; k++) {
                        double u = bd[k];
                        for (int i = 0; i < h; i++) u += we.at(k, i) * e[i] + wd.at(k, i) * d[i];
                        score[q - 1] += va[k] * Math.tanh(u);
                    }
                } else {
                    for (int i = 0; i < h; i++) score[q - 1] += (double) d[i] * e[i];
                }
                max = Math.max(max, score[q - 1]);
            }
            for (double x : score) sum += Math.exp(x - max);
            float[] a = values(t, "a" + s);
            for (int q = 0; q < ti; q++) close(Math.exp(score[q] - max) / sum, a[q], "a(" + s + ")[" + q + "]: the softmax of the scores");
        }
        float[][] ms = new float[to][];
        double mean = 0;
        for (int s = 1; s <= to; s++) {
            float[] m = attention ? values(t, "m" + s) : values(t, "d" + s);           // what Y(t) reads
            ms[s - 1] = m;
            if (attention) mixing(t, s, ti, h, wc, bc, m);
            String ys = "y" + s;
            List<Event.Forward> fs = t.events(Event.Forward.class).stream().filter(e -> e.layer().equals(ys)).toList();
            assertEquals(v, fs.size());
            double max = Double.NEGATIVE_INFINITY, norm = 0;
            double[] z = new double[v];
            for (int j = 0; j < v; j++) {
                assertArrayEquals(m, fs.get(j).inputs(), 0f, "Y(" + s + ") reads m(" + s + ")");
                z[j] = bo.values()[j];
                for (int i = 0; i < h; i++) z[j] += wo.at(j, i) * m[i];
                close(z[j], fs.get(j).sum(), "z of Y(" + s + ")[" + j + "]");
                max = Math.max(max, z[j]);
            }
            for (double x : z) norm += Math.exp(x - max);
            Event.Loss l = losses.get(s - 1);
            for (int j = 0; j < v; j++) close(Math.exp(z[j] - max) / norm, fs.get(j).value(), "softmax");
            close(-Math.log(fs.get(l.targetClass()).value()), l.value(), "L_" + s);
            mean += l.value() / to;
        }
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        assertEquals("mean", total.reduction());
        close(mean, total.value(), "the mean of the steps' losses");

        double[][] dz = new double[to][v];
        for (Event.NodeGradient e : t.events(Event.NodeGradient.class)) {
            int s = Integer.parseInt(e.layer().substring(1)), j = Integer.parseInt(e.node().substring(e.node().indexOf('.') + 1)) - 1;
            Event.Loss l = losses.get(s - 1);
            dz[s - 1][j] = (l.output()[j] - l.target()[j]) / to;
            close(dz[s - 1][j], e.gradient(), "dL/dz at " + e.node());
        }
        Event.WeightGradient gw = grad(t, "out.weight"), gb = grad(t, "out.bias");
        for (int j = 0; j < v; j++) {
            double b = 0;
            for (int s = 0; s < to; s++) b += dz[s][j];
            close(b, gb.values()[j], "dL/db_out[" + j + "]");
            for (int i = 0; i < h; i++) {
                double w = 0;
                for (int s = 0; s < to; s++) w += dz[s][j] * ms[s][i];
                close(w, gw.values()[j * h + i], "dL/dW_out[" + j + "][" + i + "] = Σ_t dL/dz(t)·m(t)");
            }
        }
        assertNotNull(t.rule().clip(), "seq2seq clips its gradients");
        TraceCheck.verifyUpdates(t);
    }

    /** Step s's attention is a distribution, c(s) = Σ a·e, and m(s) = tanh(W_c·[c; d] + b_c). */
    private static void mixing(Trace t, int s, int ti, int h, Graph.Weight wc, Graph.Weight bc, float[] m) {
        float[] a = values(t, "a" + s), d = values(t, "d" + s), c = values(t, "c" + s);
        assertEquals(ti, a.length);
        double sum = 0;
        for (float x : a) sum += x;
        close(1, sum, "a(" + s + ") is a distribution");
        for (int j = 0; j < h; j++) {
            double cj = 0;
            for (int q = 1; q <= ti; q++) cj += a[q - 1] * values(t, "e" + q)[j];
            close(cj, c[j], "c(" + s + ")[" + j + "] = Σ a·e");
            double z = bc.values()[j];
            for (int i = 0; i < h; i++) z += wc.at(j, i) * c[i] + wc.at(j, h + i) * d[i];
            close(Math.tanh(z), m[j], "m(" + s + ")[" + j + "] = tanh(W_c·[c; d] + b_c)");
        }
    }

    private static Event.WeightGradient grad(Trace t, String id) {
        return t.events(Event.WeightGradient.class).stream().filter(e -> e.weight().equals(id)).findFirst().orElseThrow();
    }
}
