package dev.glassbox.models.transformer;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.Updates;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.MultiheadAttention;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Reduction;
import dev.glassbox.nn.TransformerEncoderLayer;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real Adam step of a decoder-only {@link TransformerLM} on one sequence, recorded as a
 * {@link Trace} in the boxes the Transformer is drawn with: for every position, the token plus
 * position embedding, then in each block the first LayerNorm, every head's attention (its
 * queries, keys, values, the scores q·kᵀ/√d_k, which positions the causal mask lets through,
 * the softmax weights and the weighted sum of the values), the heads joined and projected, the
 * residual add, the second LayerNorm, the feed-forward (linear, GELU, linear) and the second
 * residual add; the final LayerNorm, each position's scores over the vocabulary, the losses
 * against the next tokens and their mean; the gradients and the update. Every value is the
 * model's own, taken by forward hooks on its layers and the attention's head observer.
 */
final class TransformerExplainer {
    private TransformerExplainer() {}

    /** Updates of weights with more values carry this many entries, their largest gradients. */
    private static final int SHOWN = 8, WHOLE = 512;

    static Trace explain(TransformerLM m, List<String> tokens, int[] ids, float lr) {
        int t = ids.length - 1, e = m.config.dModel(), v = m.vocab.size(), heads = m.config.heads(), hd = e / heads;
        int[] in = Arrays.copyOf(ids, t), target = Arrays.copyOfRange(ids, 1, ids.length);
        Map<String, Parameter> params = m.namedParameters();
        Map<String, float[]> before = new LinkedHashMap<>();
        List<Graph.Weight> weights = new ArrayList<>();
        params.forEach((id, p) -> {
            before.put(id, p.toArray());
            weights.add(new Graph.Weight(id, label(id), p.shape(), p.toArray(), Graph.Training.TRAINED));
        });

        Map<Module, Tensor[]> seen = new LinkedHashMap<>();                  // module -> {input, output}
        List<MultiheadAttention.Heads> headsSeen = new ArrayList<>();
        List<Module.HookHandle> hooks = new ArrayList<>();
        for (int l = 0; l < m.config.layers(); l++) {
            TransformerEncoderLayer b = m.block(l);
            for (Module mod : List.of(b.norm1, b.norm2, b.linear1, b.linear2, b.selfAttn.outProj)) {
                hooks.add(mod.registerForwardHook((x, i, o) -> seen.put(x, new Tensor[] {i, o})));
            }
            hooks.add(b.selfAttn.registerHeadObserver(headsSeen::add));
        }
        hooks.add(m.norm.registerForwardHook((x, i, o) -> seen.put(x, new Tensor[] {i, o})));
        hooks.add(m.head.registerForwardHook((x, i, o) -> seen.put(x, new Tensor[] {i, o.retainGrad()})));
        m.train();
        Tensor logits;
        try {
            logits = m.logits(in, 1, t).reshape(t, v);                        // the model's own forward
        } finally {
            hooks.forEach(Module.HookHandle::close);
        }
        Tensor loss = F.crossEntropy(logits, target);                        // the recipe's loss: the mean over the positions
        float[] parts, probs;
        try (var ignored = GradMode.noGrad()) {
            parts = F.crossEntropy(logits, target, Reduction.NONE).toArray();
            probs = logits.softmax(-1).toArray();
        }
        Adam opt = new Adam(new ArrayList<>(params.values()), lr);           // the recipe's optimizer
        m.zeroGrad();
        loss.backward();

        List<Graph.Layer> layers = new ArrayList<>();
        List<Graph.Connection> connections = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        String prev = "embed";
        layers.add(vectors("embed", "token + position", Graph.Role.INPUT, null, tokens.subList(0, t), e));
        vectorEvents(events, "embed", seen.get(m.block(0).norm1)[0].toArray(), t, e);
        for (int l = 0; l < m.config.layers(); l++) {
            TransformerEncoderLayer b = m.block(l);
            String p = "l" + (l + 1) + ".";
            String w = "layers." + l + ".";
            List<String> pos = tokens.subList(0, t);
            layers.add(vectors(p + "ln1", "LayerNorm 1", Graph.Role.HIDDEN, "layer_norm", pos, e));
            connections.add(new Graph.Connection(prev, p + "ln1", Graph.Pattern.LAYER_NORM, w + "norm1.weight", w + "norm1.bias"));
            vectorEvents(events, p + "ln1", seen.get(b.norm1)[1].toArray(), t, e);
            layers.add(vectors(p + "attn", "multi-head attention", Graph.Role.HIDDEN, "attention", pos, e));
            connections.add(new Graph.Connection(p + "ln1", p + "attn", Graph.Pattern.SELF_ATTENTION, w + "self_attn.in_proj_weight",
                    w + "self_attn.in_proj_bias"));
            MultiheadAttention.Heads hs = headsSeen.get(l);
            for (int h = 0; h < heads; h++) {
                events.add(new Event.AttentionHead(p + "attn", h + 1, rows(hs.q(), h, t, hd), rows(hs.k(), h, t, hd), rows(hs.v(), h, t, hd),
                        rows(hs.scores(), h, t, t), allowed(t), rows(hs.weights(), h, t, t), rows(hs.output(), h, t, hd)));
            }
            layers.add(vectors(p + "proj", "heads joined and projected", Graph.Role.HIDDEN, "identity", pos, e));
            connections.add(new Graph.Connection(p + "attn", p + "proj", Graph.Pattern.DENSE, w + "self_attn.out_proj.weight", w + "self_attn.out_proj.bias"));
            vectorEvents(events, p + "proj", seen.get(b.selfAttn.outProj)[1].toArray(), t, e);
            layers.add(vectors(p + "res1", "residual add 1", Graph.Role.HIDDEN, "identity", pos, e));
            connections.add(new Graph.Connection(prev, p + "res1", Graph.Pattern.RESIDUAL, null, null));
            connections.add(new Graph.Connection(p + "proj", p + "res1", Graph.Pattern.RESIDUAL, null, null));
            vectorEvents(events, p + "res1", seen.get(b.norm2)[0].toArray(), t, e);
            layers.add(vectors(p + "ln2", "LayerNorm 2", Graph.Role.HIDDEN, "layer_norm", pos, e));
            connections.add(new Graph.Connection(p + "res1", p + "ln2", Graph.Pattern.LAYER_NORM, w + "norm2.weight", w + "norm2.bias"));
            vectorEvents(events, p + "ln2", seen.get(b.norm2)[1].toArray(), t, e);
            int ff = m.config.feedForward();
            layers.add(vectors(p + "ff1", "feed-forward 1", Graph.Role.HIDDEN, "gelu", pos, ff));
            connections.add(new Graph.Connection(p + "ln2", p + "ff1", Graph.Pattern.DENSE, w + "linear1.weight", w + "linear1.bias"));
            vectorEvents(events, p + "ff1", seen.get(b.linear2)[0].toArray(), t, ff);
            layers.add(vectors(p + "ff2", "feed-forward 2", Graph.Role.HIDDEN, "identity", pos, e));
            connections.add(new Graph.Connection(p + "ff1", p + "ff2", Graph.Pattern.DENSE, w + "linear2.weight", w + "linear2.bias"));
            vectorEvents(events, p + "ff2", seen.get(b.linear2)[1].toArray(), t, e);
            layers.add(vectors(p + "res2", "residual add 2", Graph.Role.HIDDEN, "identity", pos, e));
            connections.add(new Graph.Connection(p + "res1", p + "res2", Graph.Pattern.RESIDUAL, null, null));
            connections.add(new Graph.Connection(p + "ff2", p + "res2", Graph.Pattern.RESIDUAL, null, null));
            Tensor next = l + 1 < m.config.layers() ? seen.get(m.block(l + 1).norm1)[0] : seen.get(m.norm)[0];
            vectorEvents(events, p + "res2", next.toArray(), t, e);
            prev = p + "res2";
        }
        layers.add(vectors("norm", "final LayerNorm", Graph.Role.HIDDEN, "layer_norm", tokens.subList(0, t), e));
        connections.add(new Graph.Connection(prev, "norm", Graph.Pattern.LAYER_NORM, "norm.weight", "norm.bias"));
        float[] fin = seen.get(m.norm)[1].toArray(), z = seen.get(m.head)[1].toArray(), dz = seen.get(m.head)[1].grad().toArray();
        vectorEvents(events, "norm", fin, t, e);
        float[] targetRows = new float[t * v];
        float[] w = before.get("head.weight"), bias = before.get("head.bias");
        for (int s = 0; s < t; s++) {
            String ys = "y" + (s + 1);
            List<Graph.Node> nodes = new ArrayList<>();
            for (int j = 0; j < v; j++) nodes.add(new Graph.Node(ys + "." + (j + 1), m.vocab.tokens().get(j), Graph.NodeKind.UNIT));
            layers.add(new Graph.Layer(ys, "Y(" + (s + 1) + ")", Graph.Role.OUTPUT, "softmax", nodes, s + 1));
            connections.add(new Graph.Connection("norm", ys, Graph.Pattern.DENSE, "head.weight", "head.bias"));
            float[] x = Arrays.copyOfRange(fin, s * e, (s + 1) * e);
            for (int j = 0; j < v; j++) {
                events.add(new Event.Forward(ys, ys + "." + (j + 1), x, Arrays.copyOfRange(w, j * e, (j + 1) * e), bias[j], z[s * v + j], "softmax",
                        probs[s * v + j]));
            }
            targetRows[s * v + target[s]] = 1f;
            events.add(new Event.Loss("cross_entropy", ys, Arrays.copyOfRange(probs, s * v, (s + 1) * v), Arrays.copyOfRange(targetRows, s * v, (s + 1) * v),
                    target[s], parts[s]));
        }
        events.add(new Event.TotalLoss(parts, "mean", loss.item()));
        for (int s = t - 1; s >= 0; s--) {
            for (int j = 0; j < v; j++) events.add(new Event.NodeGradient("y" + (s + 1), "y" + (s + 1) + "." + (j + 1), dz[s * v + j]));
        }
        Updates.record(params, before, opt, events, WHOLE, SHOWN);
        m.eval();
        float[] inputIds = new float[t];
        for (int s = 0; s < t; s++) inputIds[s] = in[s];
        return new Trace(Trace.SCHEMA, "transformer", null, List.of(), new Graph(layers, connections, weights),
                new Trace.Example(inputIds, new int[] {t}, targetRows, null, tokens), Trace.Rule.adam(lr, 0.9f, 0.999f, 1e-8f, 1), events);
    }

    /** Head h's rows of a [1, heads, rows, cols] tensor. */
    private static float[][] rows(Tensor x, int h, int rows, int cols) {
        float[] d = x.toArray();
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) out[r] = Arrays.copyOfRange(d, (h * rows + r) * cols, (h * rows + r + 1) * cols);
        return out;
    }

    /** The causal mask as the positions each query may see: itself and those before it. */
    private static boolean[][] allowed(int t) {
        boolean[][] a = new boolean[t][t];
        for (int r = 0; r < t; r++) for (int c = 0; c <= r; c++) a[r][c] = true;
        return a;
    }

    private static void vectorEvents(List<Event> events, String layer, float[] values, int t, int n) {
        for (int s = 0; s < t; s++) events.add(new Event.MapForward(layer, layer + "." + (s + 1), Arrays.copyOfRange(values, s * n, (s + 1) * n)));
    }

    /** A layer of one vector node per position, labelled by the position's token. */
    private static Graph.Layer vectors(String id, String label, Graph.Role role, String activation, List<String> tokens, int n) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int s = 0; s < tokens.size(); s++) nodes.add(new Graph.Node(id + "." + (s + 1), tokens.get(s), Graph.NodeKind.VECTOR, new int[] {n}));
        return new Graph.Layer(id, label, role, activation, nodes);
    }

    /** The course's notation of a parameter: W_Q|K|V (in_proj), W_O, W_1, W_2, γ and β of each LayerNorm, the embeddings. */
    static String label(String id) {
        String block = id.startsWith("layers.") ? " (layer " + (Integer.parseInt(id.split("\\.")[1]) + 1) + ")" : "";
        String rest = id.startsWith("layers.") ? id.substring(id.indexOf('.', 7) + 1) : id;
        String name = switch (rest) {
            case "tok_embed.weight" -> "E_token";
            case "pos_embed.weight" -> "E_position";
            case "self_attn.in_proj_weight" -> "W_Q|W_K|W_V";
            case "self_attn.in_proj_bias" -> "b_Q|b_K|b_V";
            case "self_attn.out_proj.weight" -> "W_O";
            case "self_attn.out_proj.bias" -> "b_O";
            case "linear1.weight" -> "W_1";
            case "linear1.bias" -> "b_1";
            case "linear2.weight" -> "W_2";
            case "linear2.bias" -> "b_2";
            case "norm1.weight" -> "γ_1";
            case "norm1.bias" -> "β_1";
            case "norm2.weight" -> "γ_2";
            case "norm2.bias" -> "β_2";
            case "norm.weight" -> "γ";
            case "norm.bias" -> "β";
            case "head.weight" -> "W_out";
            case "head.bias" -> "b_out";
            default -> rest;
        };
        return name + block;
    }
}
