package dev.glassbox.models.transformer;

import dev.glassbox.models.text.Vocab;
import dev.glassbox.nn.Embedding;
import dev.glassbox.nn.F;
import dev.glassbox.nn.LayerNorm;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.ModuleList;
import dev.glassbox.nn.MultiheadAttention;
import dev.glassbox.nn.Transformer;
import dev.glassbox.nn.TransformerEncoderLayer;
import dev.glassbox.nn.TransformerOptions;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoder-only Transformer language model (the GPT shape): token embedding plus learned
 * position embedding, {@code layers} pre-norm blocks (causal self-attention and a feed-forward
 * block, each with a residual connection), a final LayerNorm and a linear layer to one score per
 * vocabulary token, predicting the next token at every position of a window of at most
 * {@code context} tokens. Names: {@code tok_embed}, {@code pos_embed}, {@code layers.i}
 * (torch.nn.TransformerEncoderLayer's names), {@code norm}, {@code head}.
 *
 * <p>{@link #generator()} decodes with a key/value cache: each new token runs through the
 * blocks once, attending over the keys and values kept from the tokens before it, so a token
 * costs one position, not the whole prefix (checked equal to the full forward).
 */
public final class TransformerLM extends Module {
    /** The network's sizes. */
    public record Config(int dModel, int heads, int layers, int feedForward, int context) {
        public Config {
            if (dModel <= 0 || heads <= 0 || dModel % heads != 0 || layers <= 0 || feedForward <= 0 || context <= 0) {
                throw new IllegalArgumentException("transformer: sizes must be positive and d_model a multiple of the heads, got " + this);
            }
        }
    }

    public final Vocab vocab;
    public final Config config;
    public final Embedding tokEmbed, posEmbed;
    private final TransformerEncoderLayer[] blocks;
    public final LayerNorm norm;
    public final Linear head;

    public TransformerLM(Vocab vocab, Config c, Generator g) {
        this.vocab = vocab;
        this.config = c;
        tokEmbed = registerModule("tok_embed", new Embedding(vocab.size(), c.dModel(), g));
        posEmbed = registerModule("pos_embed", new Embedding(c.context(), c.dModel(), g));
        TransformerOptions o = new TransformerOptions(c.dModel(), c.heads(), c.feedForward(), 0f, TransformerOptions.Activation.GELU, 1e-5f, true, true);
        blocks = new TransformerEncoderLayer[c.layers()];
        for (int i = 0; i < blocks.length; i++) blocks[i] = new TransformerEncoderLayer(o, g);
        registerModule("layers", new ModuleList(List.of(blocks)));
        norm = registerModule("norm", new LayerNorm(c.dModel()));
        head = registerModule("head", new Linear(c.dModel(), vocab.size(), g));
    }

    public TransformerEncoderLayer block(int i) { return blocks[i]; }

    /** The scores of the next token after every position: ids [N, T] (T at most the context) → [N, T, V]. */
    public Tensor logits(int[] ids, int n, int t) {
        if (t > config.context()) {
            throw new IllegalArgumentException("transformer: a window of " + t + " tokens is longer than the model's context of " + config.context());
        }
        int[] pos = new int[n * t];
        for (int b = 0; b < n; b++) for (int i = 0; i < t; i++) pos[b * t + i] = i;
        Tensor x = tokEmbed.forward(ids, n, t).add(posEmbed.forward(pos, n, t));   // [N, T, E]
        Tensor mask = Transformer.generateSquareSubsequentMask(t);                   // each position sees itself and the ones before
        for (TransformerEncoderLayer blk : blocks) x = blk.forward(x, mask, null);
        return head.forward(norm.forward(x));
    }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("use logits(ids, n, t)"); }

    /** A decoder that keeps each block's keys and values: feed tokens one at a time, read the next token's scores. */
    public Generation generator() { return new Generation(); }

    /**
     * Incremental decoding with a key/value cache. {@link #feed} runs one token at the next
     * position through the blocks and returns the scores of the token after it. When the context
     * is full the oldest half is dropped and the cache is computed again for the rest (positions
     * start over from 0, as the full forward of the kept window would).
     */
    public final class Generation {
        private final List<Integer> window = new ArrayList<>();
        private final float[][] keys = new float[blocks.length][], values = new float[blocks.length][];

        private Generation() {
            int e = config.dModel(), ctx = config.context();
            for (int l = 0; l < blocks.length; l++) {
                keys[l] = new float[ctx * e];
                values[l] = new float[ctx * e];
            }
        }

        /** The number of tokens the cache holds. */
        public int length() { return window.size(); }

        /** Feeds {@code token} and returns the scores [V] of the next one. */
        public float[] feed(int token) {
            if (token < 0 || token >= vocab.size()) throw new IllegalArgumentException("transformer: token id " + token + " is outside the vocabulary of " + vocab.size());
            if (window.size() == config.context()) {
                List<Integer> kept = new ArrayList<>(window.subList(window.size() / 2, window.size()));
                window.clear();
                for (int t : kept) step(t);
            }
            return step(token);
        }

        private float[] step(int token) {
            int p = window.size(), e = config.dModel(), heads = config.heads(), hd = e / heads;
            window.add(token);
            try (var ignored = GradMode.noGrad()) {
                float[] x = Arrays.copyOfRange(tokEmbed.weight.data(), token * e, (token + 1) * e);
                float[] pe = posEmbed.weight.data();
                for (int i = 0; i < e; i++) x[i] += pe[p * e + i];
                Tensor h = Tensor.of(x, 1, e);
                for (int l = 0; l < blocks.length; l++) {
                    TransformerEncoderLayer blk = blocks[l];
                    MultiheadAttention at = blk.selfAttn;
                    Tensor a = blk.options.normFirst() ? blk.norm1.forward(h) : h;
                    float[] qkv = F.linear(a, at.inProjWeight, at.inProjBias).data();   // [3E]: q, k, v of this position
                    System.arraycopy(qkv, e, keys[l], p * e, e);
                    System.arraycopy(qkv, 2 * e, values[l], p * e, e);
                    float[] o = new float[e], w = new float[p + 1];
                    float scale = (float) (1 / Math.sqrt(hd));
                    for (int hh = 0; hh < heads; hh++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j <= p; j++) {
                            float s = 0;
                            for (int i = 0; i < hd; i++) s += qkv[hh * hd + i] * keys[l][j * e + hh * hd + i];
                            w[j] = s * scale;
                            max = Math.max(max, w[j]);
                        }
                        float z = 0;
                        for (int j = 0; j <= p; j++) z += w[j] = (float) Math.exp(w[j] - max);
                        for (int j = 0; j <= p; j++) {
                            float wj = w[j] / z;
                            for (int i = 0; i < hd; i++) o[hh * hd + i] += wj * values[l][j * e + hh * hd + i];
                        }
                    }
                    Tensor attn = at.outProj.forward(Tensor.of(o, 1, e));
                    if (blk.options.normFirst()) {
                        h = h.add(attn);
                        h = h.add(feedForward(blk, blk.norm2.forward(h)));
                    } else {
                        h = blk.norm1.forward(h.add(attn));
                        h = blk.norm2.forward(h.add(feedForward(blk, h)));
                    }
                }
                return head.forward(norm.forward(h)).data().clone();
            }
        }

        private Tensor feedForward(TransformerEncoderLayer blk, Tensor x) {
            return blk.linear2.forward(blk.options.activation().apply(blk.linear1.forward(x)));
        }
    }
}
