package dev.glassbox.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.Golden;
import dev.glassbox.tensor.GradCheck;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LayerNorm, scaled dot-product attention, MultiheadAttention, the Transformer layers and a
 * whole nn.Transformer against PyTorch 1.13 (tools/make_torch_golden.py: the same state dicts
 * loaded by name, the same inputs; outputs and every gradient within 1e-4 relative), and the
 * fused attention against finite differences and its composition from plain ops.
 */
class TransformerTest {
    private static final float TOL = 1e-4f;

    private static Tensor tensor(JsonNode values, JsonNode shape) { return Tensor.of(Golden.floats(values), Golden.ints(shape)); }

    /**
     * Loads the case's state into {@code m} (when it has one), runs {@code forward} on its inputs,
     * and compares the output, the inputs' gradients and every parameter's gradient of
     * sum(output · r).
     */
    private static void matches(JsonNode c, Module m, Function<Tensor[], Tensor> forward, String what) {
        if (m != null) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            c.get("state").fields().forEachRemaining(e -> state.put(e.getKey(), tensor(e.getValue().get("values"), e.getValue().get("shape"))));
            assertEquals(List.copyOf(state.keySet()), List.copyOf(m.namedParameters().keySet()), what + ": PyTorch's parameter names, in its order");
            m.loadStateDict(state);
            m.train();
        }
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < c.get("inputs").size(); i++) inputs.add(tensor(c.get("inputs").get(i), c.get("input_shapes").get(i)).requiresGrad(true));
        Tensor y = forward.apply(inputs.toArray(Tensor[]::new));
        assertArrayEquals(Golden.ints(c.get("out_shape")), y.shape(), what + " output shape");
        Golden.close(Golden.floats(c.get("out")), y.data(), TOL, what + " output");
        y.mul(tensor(c.get("r"), c.get("out_shape"))).sum().backward();
        for (int i = 0; i < inputs.size(); i++) Golden.close(Golden.floats(c.get("input_grads").get(i)), inputs.get(i).grad().data(), TOL, what + " d(input " + i + ")");
        if (m != null) {
            for (var e : m.namedParameters().entrySet()) Golden.close(Golden.floats(c.get("grads").get(e.getKey())), e.getValue().grad().data(), TOL, what + " d" + e.getKey());
        }
    }

    @Test
    void layerNormMatchesTorch() {
        JsonNode g = Golden.section("layer_norm");
        LayerNorm ln = new LayerNorm(4);
        matches(g.get("affine"), ln, x -> ln.forward(x[0]), "LayerNorm(4)");
        LayerNorm plain = new LayerNorm(new int[] {3, 4}, 1e-3f, false);
        assertTrue(plain.parameters().isEmpty(), "no weight or bias without the affine part");
        matches(g.get("plain"), null, x -> plain.forward(x[0]), "LayerNorm([3, 4], affine off)");
        var bad = assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 5)));
        assertTrue(bad.getMessage().contains("normalized shape [4] is not the end of the input's shape [2, 5]"), bad.getMessage());
        GradCheck.check("layer_norm", 1e-2f, 2e-2, 2e-3, in -> F.layerNorm(in[0], new int[] {5}, in[1], in[2], 1e-5f),
                Tensor.randn(new Generator(3), 3, 5).requiresGrad(true), Tensor.randn(new Generator(4), 5).requiresGrad(true),
                Tensor.randn(new Generator(5), 5).requiresGrad(true));
    }

    @Test
    void fusedAttentionMatchesTorchAndItsComposition() {
        JsonNode g = Golden.section("sdpa");
        matches(g.get("plain"), null, x -> F.scaledDotProductAttention(x[0], x[1], x[2]), "sdpa");
        Tensor mask = Tensor.of(Golden.floats(g.get("mask").get("mask")), 3, 5);
        matches(g.get("mask"), null, x -> F.scaledDotProductAttention(x[0], x[1], x[2], mask, 0f, false, null), "sdpa with a mask");
        float[] inf = mask.toArray();
        for (int i = 0; i < inf.length; i++) if (inf[i] <= -1e29f) inf[i] = Float.NEGATIVE_INFINITY;
        Tensor infMask = Tensor.of(inf, 3, 5);
        matches(g.get("mask"), null, x -> F.scaledDotProductAttention(x[0], x[1], x[2], infMask, 0f, false, null), "sdpa with -inf in the mask");
        matches(g.get("causal"), null, x -> F.scaledDotProductAttention(x[0], x[1], x[2], null, 0f, true, null), "sdpa causal");
        // against finite differences, with a mask of [B, 1, Tq, Tk] shared by the heads
        Tensor m4 = Tensor.randn(new Generator(9), 2, 1, 3, 4);
        GradCheck.check("sdpa", 1e-2f, 3e-2, 3e-3, in -> F.scaledDotProductAttention(in[0], in[1], in[2], m4, 0f, true, null),
                Tensor.randn(new Generator(6), 2, 2, 3, 5).requiresGrad(true), Tensor.randn(new Generator(7), 2, 2, 4, 5).requiresGrad(true),
                Tensor.randn(new Generator(8), 2, 2, 4, 3).requiresGrad(true));
        // dropout: kept weights divided by 1 - p, the same draws for a seed, and the gradient through them
        Tensor q = Tensor.randn(new Generator(1), 1, 2, 6, 4), k = Tensor.randn(new Generator(2), 1, 2, 6, 4), v = Tensor.randn(new Generator(3), 1, 2, 6, 4);
        Tensor a = F.scaledDotProductAttention(q, k, v, null, 0.5f, false, new Generator(11));
        Tensor b = F.scaledDotProductAttention(q, k, v, null, 0.5f, false, new Generator(11));
        assertArrayEquals(a.data(), b.data(), 0f, "the same generator draws the same dropout");
        assertTrue(!java.util.Arrays.equals(a.data(), F.scaledDotProductAttention(q, k, v).data()), "dropout changes the output");
        GradCheck.check("sdpa dropout", 1e-2f, 3e-2, 3e-3, in -> F.scaledDotProductAttention(in[0], in[1], in[2], null, 0.3f, false, new Generator(5)),
                q.requiresGrad(true), k.requiresGrad(true), v.requiresGrad(true));
        // packed self-attention: the same as splitting q|k|v into heads, attending, joining; and its gradient
        Tensor qkv = Tensor.randn(new Generator(12), 2, 5, 12), perHead = Tensor.randn(new Generator(13), 2, 2, 5, 5);
        Function<Tensor[], Tensor> split = in -> {
            Tensor[] parts = new Tensor[3];
            for (int j = 0; j < 3; j++) parts[j] = in[0].slice(2, 4 * j, 4 * j + 4).reshape(2, 5, 2, 2).transpose(1, 2);
            return F.scaledDotProductAttention(parts[0], parts[1], parts[2], perHead, 0f, true, null).transpose(1, 2).reshape(2, 5, 4);
        };
        Golden.close(split.apply(new Tensor[] {qkv}).data(), F.packedSelfAttention(qkv, 2, perHead, 0f, true, null).data(), 1e-6f, "packed = split");
        GradCheck.check("packed self-attention", 1e-2f, 3e-2, 3e-3, in -> F.packedSelfAttention(in[0], 2, perHead, 0.2f, true, new Generator(4)),
                qkv.requiresGrad(true));
        var bad = assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 3), Tensor.zeros(2, 5, 3)));
        assertTrue(bad.getMessage().contains("do not fit"), bad.getMessage());
    }

    @Test
    void multiheadAttentionMatchesTorch() {
        JsonNode g = Golden.section("mha");
        JsonNode c = g.get("cross");
        MultiheadAttention mha = new MultiheadAttention(8, 2, new Generator(1));
        float[] kp = Golden.floats(c.get("key_padding_mask").get(0));
        float[] kp2 = Golden.floats(c.get("key_padding_mask").get(1));
        float[] both = new float[kp.length + kp2.length];
        System.arraycopy(kp, 0, both, 0, kp.length);
        System.arraycopy(kp2, 0, both, kp.length, kp2.length);
        Tensor keyPadding = MultiheadAttention.masked(Tensor.of(both, 2, 5)), attn = Tensor.of(Golden.floats(c.get("attn_mask")), 3, 5);
        MultiheadAttention.Output[] last = new MultiheadAttention.Output[1];
        matches(c, mha, x -> (last[0] = mha.run(x[0], x[1], x[2], keyPadding, attn, true, false)).output(), "MultiheadAttention with both masks");
        Golden.close(Golden.floats(c.get("weights_heads")), last[0].weights().data(), TOL, "per-head weights");
        Tensor q = tensor(c.get("inputs").get(0), c.get("input_shapes").get(0)), k = tensor(c.get("inputs").get(1), c.get("input_shapes").get(1));
        Tensor v = tensor(c.get("inputs").get(2), c.get("input_shapes").get(2));
        Golden.close(Golden.floats(c.get("weights_avg")), mha.run(q, k, v, keyPadding, attn, true, true).weights().data(), TOL, "averaged weights");
        Golden.close(Golden.floats(c.get("out")), mha.run(q, k, v, keyPadding, attn, false, true).output().data(), TOL, "the fused path gives the same");
        MultiheadAttention self = new MultiheadAttention(8, 2, new Generator(2));
        matches(g.get("self"), self, x -> self.forward(x[0]), "self-attention");
    }

    @Test
    void transformerLayersMatchTorch() {
        JsonNode g = Golden.section("transformer_layers");
        Tensor mask = Transformer.generateSquareSubsequentMask(4);
        for (boolean pre : new boolean[] {false, true}) {
            for (TransformerOptions.Activation act : TransformerOptions.Activation.values()) {
                String key = (pre ? "pre" : "post") + "_" + act.name().toLowerCase(java.util.Locale.ROOT);
                TransformerOptions o = TransformerOptions.of(8, 2, 16).withDropout(0f).withActivation(act).withNormFirst(pre);
                TransformerEncoderLayer enc = new TransformerEncoderLayer(o, new Generator(1));
                matches(g.get("encoder_" + key), enc, x -> enc.forward(x[0], mask, null), "encoder layer " + key);
                TransformerDecoderLayer dec = new TransformerDecoderLayer(o, new Generator(1));
                matches(g.get("decoder_" + key), dec, x -> dec.forward(x[0], x[1], mask, null, null, null), "decoder layer " + key);
            }
        }
    }

    @Test
    void wholeTransformerMatchesTorch() {
        Transformer t = new Transformer(TransformerOptions.of(8, 2, 16).withDropout(0f), 2, 2, new Generator(1));
        Tensor mask = Transformer.generateSquareSubsequentMask(4);
        matches(Golden.section("transformer"), t, x -> t.forward(x[0], x[1], null, mask, null, null, null, null), "nn.Transformer");
        assertArrayEquals(new float[] {0, Float.NEGATIVE_INFINITY, 0, 0}, Transformer.generateSquareSubsequentMask(2).data(), 0f);
        // the encoder's layers start as copies of one, as PyTorch's deepcopy; Xavier then redraws the matrices
        TransformerEncoder e = new TransformerEncoder(TransformerOptions.of(8, 2, 16), 2, null, new Generator(3));
        assertArrayEquals(e.layer(0).linear1.weight.data(), e.layer(1).linear1.weight.data(), 0f);
    }

    @Test
    void positionalEncodingIsTheSinusoids() {
        PositionalEncoding pe = new PositionalEncoding(4, 10);
        Tensor y = pe.forward(Tensor.zeros(1, 3, 4));
        assertEquals(Math.sin(2), y.data()[2 * 4], 1e-6);
        assertEquals(Math.cos(2 / Math.pow(10000, 2.0 / 4)), y.data()[2 * 4 + 3], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> pe.forward(Tensor.zeros(1, 11, 4)));
    }
}
