package dev.glassbox.models.explain;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Recomputes seq2seq's trace from its recorded boxes and its weights: each output step's
 * attention (a distribution over the input), context c(t) = Σ a(t)[s]·e(s), mixed state
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

    public static void verify(Trace t) {
        Graph g = t.graph();
        int ti = t.example().shape()[0];
        List<Event.Loss> losses = t.events(Event.Loss.class);
        int to = losses.size();
        Graph.Weight wc = g.weight("combine.weight"), bc = g.weight("combine.bias"), wo = g.weight("out.weight"), bo = g.weight("out.bias");
        int h = wo.shape()[1], v = wo.shape()[0];
        float[][] ms = new float[to][];
        double mean = 0;
        for (int s = 1; s <= to; s++) {
            float[] a = values(t, "a" + s), d = values(t, "d" + s), c = values(t, "c" + s), m = values(t, "m" + s);
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
            ms[s - 1] = m;
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

    private static Event.WeightGradient grad(Trace t, String id) {
        return t.events(Event.WeightGradient.class).stream().filter(e -> e.weight().equals(id)).findFirst().orElseThrow();
    }
}
