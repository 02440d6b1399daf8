package dev.glassbox.models.explain;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes a decoder-only Transformer's trace from its weights and tokens, by hand: the token
 * plus position embeddings, each block's LayerNorms, every head's queries, keys, values, scores,
 * causal mask, softmax weights and outputs, the output projection, both residual adds, the
 * feed-forward with GELU, the final LayerNorm, each position's scores and softmax, the losses
 * and their mean, dL/dz at the outputs, the output layer's gradients, and the Adam updates.
 */
public final class TransformerTraceCheck {
    private TransformerTraceCheck() {}

    private static void close(double want, double got, String what) {
        assertEquals(want, got, 2e-4 + 2e-4 * Math.abs(want), what);
    }

    private static float[] vec(Trace t, String layer, int pos) {
        return t.events(Event.MapForward.class).stream().filter(e -> e.node().equals(layer + "." + pos)).findFirst().orElseThrow().values();
    }

    private static void closeAll(double[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " size");
        for (int i = 0; i < want.length; i++) close(want[i], got[i], what + "[" + i + "]");
    }

    private static double[] layerNorm(double[] x, float[] g, float[] b) {
        double mean = 0, var = 0;
        for (double v : x) mean += v / x.length;
        for (double v : x) var += (v - mean) * (v - mean) / x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * g[i] + b[i];
        return out;
    }

    /** rows [r0, r0 + n) of a [rows, cols] weight times x, plus the bias's same entries. */
    private static double[] affine(Graph.Weight w, Graph.Weight b, int r0, int n, double[] x) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = b == null ? 0 : b.values()[r0 + j];
            for (int i = 0; i < x.length; i++) out[j] += w.at(r0 + j, i) * x[i];
        }
        return out;
    }

    private static double gelu(double x) {
        double a = Math.abs(x) / Math.sqrt(2), tt = 1 / (1 + 0.3275911 * a);
        double erf = 1 - (((((1.061405429 * tt - 1.453152027) * tt) + 1.421413741) * tt - 0.284496736) * tt + 0.254829592) * tt * Math.exp(-a * a);
        return 0.5 * x * (1 + (x < 0 ? -erf : erf));
    }

    private static double[] d(float[] f) {
        double[] o = new double[f.length];
        for (int i = 0; i < f.length; i++) o[i] = f[i];
        return o;
    }

    public static void verify(Trace t) {
        Graph g = t.graph();
        List<String> tokens = t.example().words();
        int n = t.example().shape()[0];
        Graph.Weight tok = g.weight("tok_embed.weight"), pos = g.weight("pos_embed.weight");
        int e = tok.shape()[1];
        int layers = (int) g.layers().stream().filter(l -> l.id().endsWith(".ln1")).count();
        List<Event.AttentionHead> heads = t.events(Event.AttentionHead.class);
        int h = heads.size() / layers, hd = e / h;
        double[][] x = new double[n][];
        for (int s = 0; s < n; s++) {
            int id = (int) t.example().input()[s];
            x[s] = new double[e];
            for (int i = 0; i < e; i++) x[s][i] = tok.at(id, i) + pos.at(s, i);
            closeAll(x[s], vec(t, "embed", s + 1), "embedding of '" + tokens.get(s) + "'");
        }
        for (int l = 0; l < layers; l++) {
            String p = "l" + (l + 1) + ".", w = "layers." + l + ".";
            double[][] a = new double[n][];
            for (int s = 0; s < n; s++) {
                a[s] = layerNorm(x[s], g.weight(w + "norm1.weight").values(), g.weight(w + "norm1.bias").values());
                closeAll(a[s], vec(t, p + "ln1", s + 1), p + "ln1 " + s);
            }
            Graph.Weight inW = g.weight(w + "self_attn.in_proj_weight"), inB = g.weight(w + "self_attn.in_proj_bias");
            double[][] joined = new double[n][e];
            for (int hh = 0; hh < h; hh++) {
                Event.AttentionHead ev = heads.get(l * h + hh);
                assertEquals(hh + 1, ev.head());
                double[][] q = new double[n][], k = new double[n][], v = new double[n][];
                for (int s = 0; s < n; s++) {
                    q[s] = affine(inW, inB, hh * hd, hd, a[s]);
                    k[s] = affine(inW, inB, e + hh * hd, hd, a[s]);
                    v[s] = affine(inW, inB, 2 * e + hh * hd, hd, a[s]);
                    closeAll(q[s], ev.q()[s], p + " head " + (hh + 1) + " q" + s);
                    closeAll(k[s], ev.k()[s], p + " head " + (hh + 1) + " k" + s);
                    closeAll(v[s], ev.v()[s], p + " head " + (hh + 1) + " v" + s);
                }
                for (int r = 0; r < n; r++) {
                    double max = Double.NEGATIVE_INFINITY, z = 0;
                    double[] sc = new double[n];
                    for (int c = 0; c < n; c++) {
                        for (int i = 0; i < hd; i++) sc[c] += q[r][i] * k[c][i];
                        sc[c] /= Math.sqrt(hd);
                        close(sc[c], ev.scores()[r][c], "score " + r + "," + c);
                        assertEquals(c <= r, ev.allowed()[r][c], "the causal mask");
                        if (c <= r) max = Math.max(max, sc[c]);
                    }
                    for (int c = 0; c <= r; c++) z += Math.exp(sc[c] - max);
                    double[] o = new double[hd];
                    for (int c = 0; c < n; c++) {
                        double wgt = c <= r ? Math.exp(sc[c] - max) / z : 0;
                        close(wgt, ev.weights()[r][c], "weight " + r + "," + c);
                        for (int i = 0; i < hd; i++) o[i] += wgt * v[c][i];
                    }
                    closeAll(o, ev.output()[r], p + " head " + (hh + 1) + " output " + r);
                    System.arraycopy(o, 0, joined[r], hh * hd, hd);
                }
            }
            for (int s = 0; s < n; s++) {
                double[] proj = affine(g.weight(w + "self_attn.out_proj.weight"), g.weight(w + "self_attn.out_proj.bias"), 0, e, joined[s]);
                closeAll(proj, vec(t, p + "proj", s + 1), p + "proj " + s);
                for (int i = 0; i < e; i++) x[s][i] += proj[i];
                closeAll(x[s], vec(t, p + "res1", s + 1), p + "res1 " + s);
                double[] b = layerNorm(x[s], g.weight(w + "norm2.weight").values(), g.weight(w + "norm2.bias").values());
                closeAll(b, vec(t, p + "ln2", s + 1), p + "ln2 " + s);
                double[] f1 = affine(g.weight(w + "linear1.weight"), g.weight(w + "linear1.bias"), 0, g.weight(w + "linear1.bias").values().length, b);
                for (int i = 0; i < f1.length; i++) f1[i] = gelu(f1[i]);
                closeAll(f1, vec(t, p + "ff1", s + 1), p + "ff1 " + s);
                double[] f2 = affine(g.weight(w + "linear2.weight"), g.weight(w + "linear2.bias"), 0, e, f1);
                closeAll(f2, vec(t, p + "ff2", s + 1), p + "ff2 " + s);
                for (int i = 0; i < e; i++) x[s][i] += f2[i];
                closeAll(x[s], vec(t, p + "res2", s + 1), p + "res2 " + s);
            }
        }
        Graph.Weight head = g.weight("head.weight"), headB = g.weight("head.bias");
        int v = head.shape()[0];
        List<Event.Loss> losses = t.events(Event.Loss.class);
        assertEquals(n, losses.size());
        double mean = 0;
        double[][] dz = new double[n][v];
        double[][] fin = new double[n][];
        for (int s = 0; s < n; s++) {
            fin[s] = layerNorm(x[s], g.weight("norm.weight").values(), g.weight("norm.bias").values());
            closeAll(fin[s], vec(t, "norm", s + 1), "final norm " + s);
            double[] z = affine(head, headB, 0, v, fin[s]);
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (double zz : z) max = Math.max(max, zz);
            for (double zz : z) sum += Math.exp(zz - max);
            Event.Loss loss = losses.get(s);
            for (int j = 0; j < v; j++) {
                double p = Math.exp(z[j] - max) / sum;
                close(p, loss.output()[j], "p " + s + "," + j);
                dz[s][j] = (p - loss.target()[j]) / n;
            }
            close(-Math.log(loss.output()[loss.targetClass()]), loss.value(), "L_" + (s + 1));
            mean += loss.value() / n;
        }
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        assertEquals("mean", total.reduction());
        close(mean, total.value(), "the mean loss");
        for (Event.NodeGradient ng : t.events(Event.NodeGradient.class)) {
            int s = Integer.parseInt(ng.layer().substring(1)) - 1, j = Integer.parseInt(ng.node().substring(ng.node().indexOf('.') + 1)) - 1;
            close(dz[s][j], ng.gradient(), "dL/dz " + ng.node());
        }
        Event.WeightGradient gw = t.events(Event.WeightGradient.class).stream().filter(x2 -> x2.weight().equals("head.weight")).findFirst().orElseThrow();
        for (int j = 0; j < v; j++) {
            for (int i = 0; i < e; i++) {
                double want = 0;
                for (int s = 0; s < n; s++) want += dz[s][j] * fin[s][i];
                close(want, gw.values()[j * e + i], "dL/dW_out[" + j + "][" + i + "]");
            }
        }
        assertTrue(t.rule().name().equals("adam"));
        TraceCheck.verifyUpdates(t);
    }
}
