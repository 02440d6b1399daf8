package dev.glassbox.models.explain;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Recomputes every number of a VAE's trace by hand from its weights and image: each dense
 * unit's weighted sum and activation and what feeds it, z = μ + σ·ε, loss 2 and loss 1 from
 * their formulas and their sum, dL/dz at the output (x̂ − x) and back through every layer by the
 * chain rule, the two ways the gradient reaches μ and log σ², every weight's gradient, and
 * Adam's first step.
 */
public final class VaeTraceCheck {
    private VaeTraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 5e-5 + 5e-5 * Math.abs(want), what);
    }

    public static void verify(Trace t) {
        Graph g = t.graph();
        float[] x = t.example().input();
        Map<String, List<Event.Forward>> fw = t.events(Event.Forward.class).stream()
                .collect(Collectors.groupingBy(Event.Forward::layer, java.util.LinkedHashMap::new, Collectors.toList()));
        float[] h = dense(g, fw.get("encoder"), "encoder", x);
        float[] mu = dense(g, fw.get("mu"), "mu", h), lv = dense(g, fw.get("logvar"), "logvar", h);
        List<Event.Reparameterize> rs = t.events(Event.Reparameterize.class);
        float[] z = new float[rs.size()], eps = new float[rs.size()];
        for (int j = 0; j < rs.size(); j++) {
            Event.Reparameterize r = rs.get(j);
            assertEquals(mu[j], r.mu(), 0f);
            assertEquals(lv[j], r.logvar(), 0f);
            close(Math.exp(0.5 * lv[j]), r.sigma(), "σ = e^(½·log σ²)");
            close(mu[j] + Math.exp(0.5 * lv[j]) * r.eps(), r.z(), "z = μ + σ·ε");
            z[j] = r.z();
            eps[j] = r.eps();
        }
        float[] hd = dense(g, fw.get("decoder_hidden"), "decoder_hidden", z);
        float[] xHat = dense(g, fw.get("decoder_out"), "decoder_out", hd);

        Event.Loss recon = t.events(Event.Loss.class).getFirst();
        assertArrayEquals(xHat, recon.output(), 0f);
        assertArrayEquals(x, recon.target(), 0f, "the target is the image itself");
        double bce = 0;
        for (int i = 0; i < x.length; i++) bce -= x[i] * Math.log(xHat[i]) + (1 - x[i]) * Math.log(1 - xHat[i]);
        assertEquals(bce, recon.value(), 1e-3 * bce, "loss 2 = −Σ (x·ln x̂ + (1 − x)·ln(1 − x̂))");
        Event.KlDivergence kl = t.events(Event.KlDivergence.class).getFirst();
        double klSum = 0;
        for (int j = 0; j < mu.length; j++) {
            double term = -0.5 * (1 + lv[j] - mu[j] * mu[j] - Math.exp(lv[j]));
            close(term, kl.terms()[j], "KL term " + (j + 1));
            klSum += term;
        }
        close(klSum, kl.value(), "loss 1 = Σ KL terms");
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        assertArrayEquals(new float[] {kl.value(), recon.value()}, total.parts(), 0f);
        close(kl.value() + recon.value(), total.value(), "loss 1 + loss 2");

        Map<String, float[]> dz = nodeGradients(t);
        float[] dOut = dz.get("decoder_out");
        for (int i = 0; i < x.length; i++) close(xHat[i] - x[i], dOut[i], "dL/dz at x̂" + (i + 1) + " = x̂ − x");
        float[] dHd = back(g, "decoder_out", dOut, hd, true);
        assertArrays(dHd, dz.get("decoder_hidden"), "dL/dz at H'");
        float[] dZ = back(g, "decoder_hidden", dz.get("decoder_hidden"), null, false);
        assertArrays(dZ, dz.get("z"), "dL/dz at z");
        List<Event.LatentGradient> lgs = t.events(Event.LatentGradient.class);
        float[] dMu = new float[mu.length], dLv = new float[mu.length];
        for (int j = 0; j < mu.length; j++) {
            Event.LatentGradient lg = lgs.get(j);
            double sigma = Math.exp(0.5 * lv[j]);
            close(dZ[j], lg.dz(), "dL/dz" + (j + 1));
            close(mu[j], lg.muFromKl(), "d KL/dμ = μ");
            close(dZ[j] + mu[j], lg.mu(), "dL/dμ = dL/dz + μ");
            close(dZ[j] * 0.5 * sigma * eps[j], lg.logvarFromZ(), "dL/dz·½·σ·ε");
            close(0.5 * (sigma * sigma - 1), lg.logvarFromKl(), "½·(σ² − 1)");
            close(lg.logvarFromZ() + lg.logvarFromKl(), lg.logvar(), "their sum");
            dMu[j] = lg.mu();
            dLv[j] = lg.logvar();
        }
        assertArrays(dMu, dz.get("mu"), "dL/dμ");
        assertArrays(dLv, dz.get("logvar"), "dL/d log σ²");
        float[] fromMu = back(g, "mu", dMu, h, true), fromLv = back(g, "logvar", dLv, h, true);
        float[] dH = new float[h.length];
        for (int i = 0; i < h.length; i++) dH[i] = fromMu[i] + fromLv[i];
        assertArrays(dH, dz.get("encoder"), "dL/dz at H: from μ and from log σ²");

        Map<String, float[]> inputs = Map.of("encoder", x, "mu", h, "logvar", h, "decoder_hidden", z, "decoder_out", hd);
        Map<String, float[]> grads = t.events(Event.WeightGradient.class).stream().collect(Collectors.toMap(Event.WeightGradient::weight, Event.WeightGradient::values));
        for (var e : inputs.entrySet()) {
            float[] d = dz.get(e.getKey()), in = e.getValue(), gw = grads.get(e.getKey() + ".weight");
            for (int j = 0; j < d.length; j++) {
                for (int i = 0; i < in.length; i++) close((double) d[j] * in[i], gw[j * in.length + i], e.getKey() + " dW[" + j + "][" + i + "]");
            }
            assertArrays(d, grads.get(e.getKey() + ".bias"), e.getKey() + " db = dL/dz");
        }
        Trace.Rule r = t.rule();
        for (Event.Update u : t.events(Event.Update.class)) {
            for (int k = 0; k < u.before().length; k++) {
                float gk = u.gradient()[k];
                double m = (1 - r.beta1()) * gk, v = (1 - r.beta2()) * gk * gk;
                double step = r.lr() * (m / (1 - r.beta1())) / (Math.sqrt(v / (1 - r.beta2())) + r.eps());
                close(u.before()[k] - step, u.after()[k], u.weight() + " update " + k);
            }
        }
    }

    /** A dense layer's units: inputs are {@code in}, sums from the graph's weights, values by the layer's activation; returns the values. */
    private static float[] dense(Graph g, List<Event.Forward> fs, String id, float[] in) {
        Graph.Weight w = g.weight(id + ".weight"), b = g.weight(id + ".bias");
        float[] out = new float[fs.size()];
        for (int j = 0; j < fs.size(); j++) {
            Event.Forward f = fs.get(j);
            assertArrayEquals(in, f.inputs(), 0f, f.node() + ": its inputs are the values feeding its layer");
            double s = b.values()[j];
            for (int i = 0; i < in.length; i++) s += (double) in[i] * w.at(j, i);
            close(s, f.sum(), f.node() + ": z = Σ inputs·weights + bias");
            double a = switch (f.activation()) {
                case "relu" -> Math.max(0, f.sum());
                case "sigmoid" -> 1 / (1 + Math.exp(-f.sum()));
                case "identity" -> f.sum();
                default -> throw new AssertionError(f.activation());
            };
            close(a, f.value(), f.node() + ": a = f(z)");
            out[j] = f.value();
        }
        return out;
    }

    /** dL/d(input of layer {@code id}) = Wᵀ·dz, times ReLU's slope at {@code below} (its values) when {@code relu}. */
    private static float[] back(Graph g, String id, float[] dz, float[] below, boolean relu) {
        Graph.Weight w = g.weight(id + ".weight");
        float[] out = new float[w.shape()[1]];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < dz.length; j++) s += (double) w.at(j, i) * dz[j];
            out[i] = (float) (relu && below[i] <= 0 ? 0 : s);
        }
        return out;
    }

    private static Map<String, float[]> nodeGradients(Trace t) {
        Map<String, List<Float>> by = t.events(Event.NodeGradient.class).stream()
                .collect(Collectors.groupingBy(Event.NodeGradient::layer, Collectors.mapping(Event.NodeGradient::gradient, Collectors.toList())));
        Map<String, float[]> out = new java.util.HashMap<>();
        by.forEach((k, v) -> {
            float[] a = new float[v.size()];
            for (int i = 0; i < a.length; i++) a[i] = v.get(i);
            out.put(k, a);
        });
        return out;
    }

    private static void assertArrays(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) close(want[i], got[i], what + " [" + i + "]");
    }
}
