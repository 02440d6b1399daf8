package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * One encoder layer as torch.nn.TransformerEncoderLayer: self-attention then a feed-forward
 * block (linear1 → activation → dropout → linear2), each with dropout, a residual connection and
 * a LayerNorm — after the residual add (post-norm, the default) or before the block
 * ({@code normFirst}, pre-norm). PyTorch's names: {@code self_attn}, {@code linear1},
 * {@code linear2}, {@code norm1}, {@code norm2}.
 */
public final class TransformerEncoderLayer extends Module {
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn;
    public final Linear linear1, linear2;
    public final LayerNorm norm1, norm2;
    private final Generator generator;

    public TransformerEncoderLayer(TransformerOptions o, Generator g) {
        this.options = o;
        this.generator = g;
        selfAttn = registerModule("self_attn", new MultiheadAttention(o.dModel(), o.nhead(), o.dropout(), true, o.batchFirst(), g));
        linear1 = registerModule("linear1", new Linear(o.dModel(), o.dimFeedforward(), g));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward(), o.dModel(), g));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
    }

    @Override
    public Tensor forward(Tensor src) { return hooked(src, forward(src, null, null)); }

    /** With an additive attention mask [L, L] (or [N·heads, L, L]) and key padding mask [N, L], each or null. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        if (options.normFirst()) {
            x = x.add(selfAttention(norm1.forward(x), srcMask, srcKeyPaddingMask));
            x = x.add(feedForward(norm2.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttention(x, srcMask, srcKeyPaddingMask)));
            x = norm2.forward(x.add(feedForward(x)));
        }
        return x;
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        return drop(selfAttn.run(x, x, x, keyPadding, mask, false, true).output());
    }

    private Tensor feedForward(Tensor x) { return drop(linear2.forward(drop(options.activation().apply(linear1.forward(x))))); }

    private Tensor drop(Tensor x) { return F.dropout(x, options.dropout(), isTraining() && options.dropout() > 0f, generator); }
}
