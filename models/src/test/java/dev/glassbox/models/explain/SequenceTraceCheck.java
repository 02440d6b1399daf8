package dev.glassbox.models.explain;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes every number of a trace of a recurrent network unrolled in time (RNN or LSTM)
 * from its weights and sentence, by hand: each step's forward events and LSTM cells, each step's
 * loss and their total, dL/dz at every unit by backpropagation through time, each shared
 * weight's per-step shares and their sum, and the updates.
 */
public final class SequenceTraceCheck {
    private SequenceTraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 3e-5 + 3e-5 * Math.abs(want), what);
    }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    public static void verify(Trace t) {
        Graph g = t.graph();
        boolean lstm = g.connections().stream().anyMatch(c -> c.pattern() == Graph.Pattern.LSTM_CELL);
        Graph.Weight wih = g.weight("rnn.weight_ih_l0"), whh = g.weight("rnn.weight_hh_l0"), who = g.weight("W_ho.weight");
        int h = whh.shape()[1], gh = whh.shape()[0], v = who.shape()[0];
        assertEquals(lstm ? 4 * h : h, gh, "gates × hidden rows of W_hh");
        float[] bias = new float[gh];
        if (lstm) for (int j = 0; j < gh; j++) bias[j] = g.weight("rnn.bias_ih_l0").values()[j] + g.weight("rnn.bias_hh_l0").values()[j];
        int steps = t.example().shape()[0];
        assertEquals(v, t.example().shape()[1]);
        assertEquals(steps + 1, t.example().words().size(), "a word per input and the last word as the last target");
        float[] x = t.example().input(), target = t.example().target();

        // forward, step by step
        double[][] hs = new double[steps + 1][h], cs = new double[steps + 1][h], acts = new double[steps][gh], ps = new double[steps][v];
        double total = 0;
        List<Event.Forward> forwards = t.events(Event.Forward.class);
        List<Event.LstmCell> cells = t.events(Event.LstmCell.class);
        List<Event.Loss> losses = t.events(Event.Loss.class);
        assertEquals(steps, losses.size(), "a loss per step");
        int f = 0, cell = 0;
        for (int s = 0; s < steps; s++) {
            Graph.Layer xs = g.layer("x" + (s + 1)), ys = g.layer("y" + (s + 1));
            assertEquals(s + 1, xs.step());
            assertEquals(Graph.Role.OUTPUT, ys.role());
            for (int j = 0; j < gh; j++, f++) {
                Event.Forward e = forwards.get(f);
                double z = bias[j];
                for (int i = 0; i < v; i++) z += (double) wih.at(j, i) * x[s * v + i];
                for (int i = 0; i < h; i++) z += whh.at(j, i) * hs[s][i];
                assertEquals(v + h, e.inputs().length, e.node() + ": X(t) then S(t-1) on its arrows");
                for (int i = 0; i < v; i++) assertEquals(x[s * v + i], e.inputs()[i], 0f);
                for (int i = 0; i < h; i++) close(hs[s][i], e.inputs()[v + i], e.node() + " S(t-1)");
                close(z, e.sum(), e.node() + ": z");
                boolean candidate = lstm && j / h == 2;
                acts[s][j] = !lstm || candidate ? Math.tanh(z) : sigmoid(z);
                assertEquals(!lstm || candidate ? "tanh" : "sigmoid", e.activation());
                close(acts[s][j], e.value(), e.node() + ": a");
            }
            for (int j = 0; j < h; j++) {
                if (lstm) {
                    Event.LstmCell c = cells.get(cell++);
                    assertEquals(j + 1, c.node());
                    cs[s + 1][j] = acts[s][h + j] * cs[s][j] + acts[s][j] * acts[s][2 * h + j];
                    hs[s + 1][j] = acts[s][3 * h + j] * Math.tanh(cs[s + 1][j]);
                    close(cs[s][j], c.cellBefore(), "c(t-1)");
                    close(acts[s][h + j], c.forget(), "f");
                    close(cs[s + 1][j], c.cell(), "c = f·c(t-1) + i·g");
                    close(hs[s + 1][j], c.state(), "h = o·tanh(c)");
                } else {
                    hs[s + 1][j] = acts[s][j];
                }
            }
            double[] z = new double[v];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < v; j++, f++) {
                Event.Forward e = forwards.get(f);
                assertEquals(ys.id(), e.layer());
                for (int i = 0; i < h; i++) z[j] += who.at(j, i) * hs[s + 1][i];
                close(z[j], e.sum(), e.node() + ": z");
                max = Math.max(max, z[j]);
            }
            for (double zj : z) sum += Math.exp(zj - max);
            int right = -1;
            for (int j = 0; j < v; j++) {
                ps[s][j] = Math.exp(z[j] - max) / sum;
                close(ps[s][j], forwards.get(f - v + j).value(), "softmax");
                if (target[s * v + j] == 1f) right = j;
            }
            Event.Loss l = losses.get(s);
            assertEquals(right, l.targetClass());
            close(-Math.log(ps[s][right]), l.value(), "L_" + (s + 1));
            total += l.value();
        }
        assertEquals(forwards.size(), f, "no other forward events");
        Event.TotalLoss tl = t.events(Event.TotalLoss.class).getFirst();
        assertEquals(steps, tl.parts().length);
        close(total, tl.value(), "L_1 + L_2 + ... = the total loss");

        // backward through time
        double[][] dz = new double[steps][v], dpre = new double[steps][gh];
        double[] dhNext = new double[h], dcNext = new double[h];
        for (int s = steps - 1; s >= 0; s--) {
            for (int j = 0; j < v; j++) dz[s][j] = ps[s][j] - target[s * v + j];
            double[] dh = new double[h];
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < v; j++) dh[i] += who.at(j, i) * dz[s][j];
                dh[i] += dhNext[i];
            }
            double[] dc = new double[h];
            for (int j = 0; j < h; j++) {
                if (lstm) {
                    double i = acts[s][j], fg = acts[s][h + j], gg = acts[s][2 * h + j], o = acts[s][3 * h + j], tc = Math.tanh(cs[s + 1][j]);
                    dc[j] = dh[j] * o * (1 - tc * tc) + dcNext[j];
                    dpre[s][j] = dc[j] * gg * i * (1 - i);
                    dpre[s][h + j] = dc[j] * cs[s][j] * fg * (1 - fg);
                    dpre[s][2 * h + j] = dc[j] * i * (1 - gg * gg);
                    dpre[s][3 * h + j] = dh[j] * tc * o * (1 - o);
                    dc[j] *= fg;                                                   // what reaches c(t-1)
                } else {
                    dpre[s][j] = dh[j] * (1 - hs[s + 1][j] * hs[s + 1][j]);
                }
            }
            dcNext = dc;
            dhNext = new double[h];
            for (int i = 0; i < h; i++) for (int j = 0; j < gh; j++) dhNext[i] += whh.at(j, i) * dpre[s][j];
        }
        List<Event.NodeGradient> grads = t.events(Event.NodeGradient.class);
        int k = 0;
        for (int s = steps - 1; s >= 0; s--) {
            for (int j = 0; j < v; j++) close(dz[s][j], grads.get(k++).gradient(), "dL/dz at Y(" + (s + 1) + ") unit " + (j + 1));
            for (int j = 0; j < gh; j++) {
                Event.NodeGradient e = grads.get(k++);
                assertEquals((lstm ? "g" : "s") + (s + 1), e.layer());
                close(dpre[s][j], e.gradient(), "dL/dz at " + e.node());
            }
        }
        assertEquals(grads.size(), k);

        // shares and their sums
        for (Event.WeightGradient wg : t.events(Event.WeightGradient.class)) {
            Graph.Weight w = g.weight(wg.weight());
            assertNotNull(wg.shares(), wg.weight() + " is shared by the steps");
            assertEquals(steps, wg.shares().length);
            for (int s = 0; s < steps; s++) {
                for (int q = 0; q < w.values().length; q++) {
                    int cols = w.shape().length == 2 ? w.shape()[1] : 1, row = q / cols, col = q % cols;
                    double want = switch (wg.weight()) {
                        case "rnn.weight_ih_l0" -> dpre[s][row] * x[s * v + col];
                        case "rnn.weight_hh_l0" -> dpre[s][row] * hs[s][col];
                        case "W_ho.weight" -> dz[s][row] * hs[s + 1][col];
                        default -> dpre[s][q];                                               // the biases
                    };
                    close(want, wg.shares()[s][q], wg.weight() + " step " + (s + 1) + " share [" + q + "]");
                }
            }
            for (int q = 0; q < w.values().length; q++) {
                double sum = 0;
                for (float[] share : wg.shares()) sum += share[q];
                close(sum, wg.values()[q], wg.weight() + "[" + q + "]: the steps' shares add up to the gradient");
            }
        }
        assertEquals(g.weights().size(), t.events(Event.WeightGradient.class).size(), "every weight's gradient");
        TraceCheck.verifyUpdates(t);
        if (lstm) assertEquals(0, g.layer("c0").step(), "C(0), the cell before the first step");
        else assertTrue(cells.isEmpty());
        assertEquals(0, g.layer("s0").step(), "S(0), the state before the first step");
    }

    /** A gradient flow's numbers: positive norms, fractions of the last word's, the last 1. */
    public static void verify(Demo.GradientFlow flow) {
        assertEquals(2, flow.flows().size());
        for (Demo.Flow fl : flow.flows()) {
            assertEquals(flow.words().size() - 1, fl.norms().length, "a norm per input word");
            for (int i = 0; i < fl.norms().length; i++) {
                assertTrue(fl.norms()[i] > 0, fl.cell() + " word " + (i + 1));
                close(fl.norms()[i] / fl.norms()[fl.norms().length - 1], fl.fractions()[i], "fraction");
            }
            assertArrayEquals(new float[] {1f}, new float[] {fl.fractions()[fl.fractions().length - 1]}, 1e-6f);
        }
    }
}
