package dev.glassbox.models.seq2seq;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.ClipGrad;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One real training step of {@link Seq2Seq} on one date, as the recipe trains (teacher forcing,
 * the mean cross-entropy per output character, the gradient norm clipped at 5, Adam), recorded
 * as a {@link Trace} in the course's boxes: per input character its embedding x(s) and encoder
 * state e(s); per output step the decoder's input p(t) (⟨bos⟩ or the previous target character),
 * its state d(t), the attention a(t) over the input, the context c(t), the mixed state m(t) and
 * the output Y(t), one node per output character. The values are the model's own, taken by
 * forward hooks on its layers; the losses, gradients and the update are the engine's.
 */
final class Seq2SeqExplainer {
    /** Entries of a large weight an update event carries: its largest gradients. */
    static final int SHOWN = 8;
    /** Weights up to this many values carry every entry in their update events. */
    static final int WHOLE = 512;
    static final float CLIP = 5f;

    private Seq2SeqExplainer() {}

    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("src_embed.weight", "E_in"), Map.entry("tgt_embed.weight", "E_out"),
            Map.entry("encoder.weight_ih_l0", "W_ih (encoder)"), Map.entry("encoder.weight_hh_l0", "W_hh (encoder)"),
            Map.entry("encoder.bias_ih_l0", "b_ih (encoder)"), Map.entry("encoder.bias_hh_l0", "b_hh (encoder)"),
            Map.entry("decoder.weight_ih_l0", "W_ih (decoder)"), Map.entry("decoder.weight_hh_l0", "W_hh (decoder)"),
            Map.entry("decoder.bias_ih_l0", "b_ih (decoder)"), Map.entry("decoder.bias_hh_l0", "b_hh (decoder)"),
            Map.entry("combine.weight", "W_c"), Map.entry("combine.bias", "b_c"), Map.entry("attn_enc.weight", "W_e"),
            Map.entry("attn_dec.weight", "W_d"), Map.entry("attn_dec.bias", "b_d"), Map.entry("attn_v.weight", "v"),
            Map.entry("out.weight", "W_out"), Map.entry("out.bias", "b_out"));

    static Trace explain(Seq2Seq m, String input, String target, float lr, Demo.Decoding decoding) {
        Seq2Seq.Batch src = Seq2Seq.encodeInputs(List.of(input));
        int ti = src.t(), to = Dates.OUTPUT_LENGTH, v = Dates.OUTPUT_CHARS.length(), h = m.hidden;
        boolean attention = m.attention != Seq2Seq.Attention.NONE;
        Map<String, Parameter> params = m.namedParameters();
        Map<String, float[]> before = new LinkedHashMap<>();
        List<Graph.Weight> weights = new ArrayList<>();
        params.forEach((id, p) -> {
            before.put(id, p.toArray());
            weights.add(new Graph.Weight(id, LABELS.getOrDefault(id, id), p.shape(), p.toArray(), Graph.Training.TRAINED));
        });

        Map<String, Tensor[]> seen = new LinkedHashMap<>();                 // module -> {input, output}
        List<Module.HookHandle> hooks = new ArrayList<>();
        Map<String, Module> watched = new LinkedHashMap<>();
        watched.put("src_embed", m.srcEmbed);
        watched.put("encoder", m.encoder);
        watched.put("tgt_embed", m.tgtEmbed);
        watched.put("decoder", m.decoder);
        if (attention) watched.put("combine", m.combine);
        watched.put("out", m.out);
        watched.forEach((name, mod) -> hooks.add(mod.registerForwardHook((x, in, out) -> seen.put(name, new Tensor[] {in, out.retainGrad()}))));
        m.train();
        Seq2Seq.Decoded dec;
        try {
            Seq2Seq.Encoded enc = m.encode(src);
            dec = m.decode(enc, Seq2Seq.shiftedTargets(List.of(target)), 1, to, enc.h(), enc.c());
        } finally {
            hooks.forEach(Module.HookHandle::close);
        }
        Tensor logits = dec.logits().reshape(to, v);
        int[] y = Seq2Seq.targets(List.of(target));
        Tensor loss = F.crossEntropy(logits, y);                              // the recipe's loss: the mean per output character
        float[] parts, probs, attn = null;
        try (var ignored = GradMode.noGrad()) {
            parts = F.crossEntropy(logits, y, Reduction.NONE).toArray();
            probs = logits.softmax(-1).toArray();
            if (attention) attn = dec.weights().toArray();                       // [1, To, Ti]
        }
        List<Parameter> all = new ArrayList<>(params.values());
        Adam opt = new Adam(all, lr);                                          // the recipe's optimizer
        m.zeroGrad();
        loss.backward();
        Map<String, float[]> raw = new LinkedHashMap<>();
        params.forEach((id, p) -> raw.put(id, p.grad().toArray()));
        ClipGrad.clipGradNorm(all, CLIP);                                      // as the recipe: the joint norm at most 5
        Map<String, float[]> used = new LinkedHashMap<>();
        params.forEach((id, p) -> used.put(id, p.grad().toArray()));
        float[] dz = seen.get("out")[1].grad().toArray();
        opt.step();
        Optimizer.State state = opt.state();

        float[] x = seen.get("src_embed")[1].toArray(), e = seen.get("encoder")[1].toArray(), pIn = seen.get("tgt_embed")[1].toArray();
        float[] d = seen.get("decoder")[1].toArray(), mixed = seen.get("out")[0].toArray();
        float[] context = attention ? seen.get("combine")[0].toArray() : null;   // [c(t); d(t)] per step
        int emb = m.srcEmbed.weight.size(1);
        List<String> inChars = new ArrayList<>();
        for (char ch : input.toCharArray()) inChars.add(String.valueOf(ch));

        List<Graph.Layer> layers = new ArrayList<>();
        List<Graph.Connection> connections = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        for (int s = 1; s <= ti; s++) {
            layers.add(vector("x" + s, "x(" + s + ")", Graph.Role.INPUT, null, "'" + inChars.get(s - 1) + "'", emb, s));
            layers.add(vector("e" + s, "e(" + s + ")", Graph.Role.HIDDEN, "lstm", "e" + s, h, s));
            connections.add(new Graph.Connection("x" + s, "e" + s, Graph.Pattern.LSTM, "encoder.weight_ih_l0", "encoder.bias_ih_l0"));
            if (s > 1) connections.add(new Graph.Connection("e" + (s - 1), "e" + s, Graph.Pattern.LSTM, "encoder.weight_hh_l0", "encoder.bias_hh_l0"));
            events.add(new Event.MapForward("x" + s, "x" + s + ".v", slice(x, s - 1, emb)));
            events.add(new Event.MapForward("e" + s, "e" + s + ".v", slice(e, s - 1, h)));
        }
        String[] labels = new String[v];
        for (int j = 0; j < v; j++) labels[j] = String.valueOf(Dates.OUTPUT_CHARS.charAt(j));
        float[] targetRows = new float[to * v];
        for (int t = 1; t <= to; t++) {
            String prev = t == 1 ? "<bos>" : "'" + target.charAt(t - 2) + "'";
            String ps = "p" + t, ds = "d" + t, as = "a" + t, cs = "c" + t, ms = "m" + t, ys = "y" + t;
            layers.add(vector(ps, "p(" + t + ")", Graph.Role.INPUT, null, prev, emb, t));
            layers.add(vector(ds, "d(" + t + ")", Graph.Role.HIDDEN, "lstm", ds, h, t));
            connections.add(new Graph.Connection(ps, ds, Graph.Pattern.LSTM, "decoder.weight_ih_l0", "decoder.bias_ih_l0"));
            connections.add(new Graph.Connection(t == 1 ? "e" + ti : "d" + (t - 1), ds, Graph.Pattern.LSTM, "decoder.weight_hh_l0", "decoder.bias_hh_l0"));
            events.add(new Event.MapForward(ps, ps + ".v", slice(pIn, t - 1, emb)));
            events.add(new Event.MapForward(ds, ds + ".v", slice(d, t - 1, h)));
            String into = ds;
            if (attention) {
                layers.add(vector(as, "a(" + t + ")", Graph.Role.HIDDEN, "softmax", as, ti, t));
                layers.add(vector(cs, "c(" + t + ")", Graph.Role.HIDDEN, "identity", cs, h, t));
                layers.add(vector(ms, "m(" + t + ")", Graph.Role.HIDDEN, "tanh", ms, h, t));
                connections.add(new Graph.Connection(ds, as, Graph.Pattern.ATTENTION, null, null));
                connections.add(new Graph.Connection(as, cs, Graph.Pattern.CONTEXT, null, null));
                connections.add(new Graph.Connection(cs, ms, Graph.Pattern.DENSE, "combine.weight", "combine.bias"));
                connections.add(new Graph.Connection(ds, ms, Graph.Pattern.DENSE, "combine.weight", null));
                events.add(new Event.MapForward(as, as + ".v", slice(attn, t - 1, ti)));
                events.add(new Event.MapForward(cs, cs + ".v", Arrays.copyOfRange(context, (t - 1) * 2 * h, (t - 1) * 2 * h + h)));
                events.add(new Event.MapForward(ms, ms + ".v", slice(mixed, t - 1, h)));
                into = ms;
            }
            List<Graph.Node> outs = new ArrayList<>();
            for (int j = 0; j < v; j++) outs.add(new Graph.Node(ys + "." + (j + 1), labels[j], Graph.NodeKind.UNIT));
            layers.add(new Graph.Layer(ys, "Y(" + t + ")", Graph.Role.OUTPUT, "softmax", outs, t));
            connections.add(new Graph.Connection(into, ys, Graph.Pattern.DENSE, "out.weight", "out.bias"));
            float[] in = slice(mixed, t - 1, h), w = before.get("out.weight"), b = before.get("out.bias");
            float[] z = seen.get("out")[1].toArray();
            for (int j = 0; j < v; j++) {
                events.add(new Event.Forward(ys, ys + "." + (j + 1), in, Arrays.copyOfRange(w, j * h, (j + 1) * h), b[j], z[(t - 1) * v + j], "softmax",
                        probs[(t - 1) * v + j]));
            }
            targetRows[(t - 1) * v + y[t - 1]] = 1f;
            events.add(new Event.Loss("cross_entropy", ys, slice(probs, t - 1, v), slice(targetRows, t - 1, v), y[t - 1], parts[t - 1]));
        }
        events.add(new Event.TotalLoss(parts, "mean", loss.item()));
        for (int t = to; t >= 1; t--) {
            for (int j = 0; j < v; j++) events.add(new Event.NodeGradient("y" + t, "y" + t + "." + (j + 1), dz[(t - 1) * v + j]));
        }
        raw.forEach((id, g) -> events.add(new Event.WeightGradient(id, g)));
        int k = 0;
        for (Map.Entry<String, Parameter> en : params.entrySet()) {
            String id = en.getKey();
            float[] after = en.getValue().toArray(), g = used.get(id), b0 = before.get(id);
            float[] mm = state.buffers().get(k + ".exp_avg"), vv = state.buffers().get(k + ".exp_avg_sq");
            k++;
            if (g.length <= WHOLE) {
                events.add(new Event.Update(id, b0, g, after, mm, vv));
                continue;
            }
            int[] idx = IntStream.range(0, g.length).boxed().sorted(Comparator.comparingDouble(i -> -Math.abs(g[i]))).limit(SHOWN)
                    .mapToInt(Integer::intValue).sorted().toArray();
            events.add(new Event.Update(id, pick(b0, idx), pick(g, idx), pick(after, idx), pick(mm, idx), pick(vv, idx), idx));
        }
        m.eval();
        int[] ids = src.ids();
        float[] inputIds = new float[ids.length];
        for (int i = 0; i < ids.length; i++) inputIds[i] = ids[i];
        return new Trace(Trace.SCHEMA, "seq2seq", null, List.of(decoding), new Graph(layers, connections, weights),
                new Trace.Example(inputIds, new int[] {ti}, targetRows, null, List.of(input, target)),
                Trace.Rule.adam(lr, 0.9f, 0.999f, 1e-8f, 1).clipped(CLIP), events);
    }

    /** Row r of a [rows, n] array. */
    private static float[] slice(float[] a, int r, int n) { return Arrays.copyOfRange(a, r * n, (r + 1) * n); }

    private static float[] pick(float[] a, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = a[idx[i]];
        return out;
    }

    private static Graph.Layer vector(String id, String label, Graph.Role role, String activation, String nodeLabel, int n, int step) {
        return new Graph.Layer(id, label, role, activation, List.of(new Graph.Node(id + ".v", nodeLabel, Graph.NodeKind.VECTOR, new int[] {n})), step);
    }

    /** The attention's name as the trace says it. */
    static String attentionName(Seq2Seq.Attention a) { return a.name().toLowerCase(Locale.ROOT); }
}
