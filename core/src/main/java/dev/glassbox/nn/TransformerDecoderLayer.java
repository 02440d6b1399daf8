package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * One decoder layer as torch.nn.TransformerDecoderLayer: self-attention over the target, then
 * attention over the encoder's output (the memory), then the feed-forward block, each with
 * dropout, a residual connection and a LayerNorm (post-norm, or pre-norm with
 * {@code normFirst}). PyTorch's names: {@code self_attn}, {@code multihead_attn},
 * {@code linear1}, {@code linear2}, {@code norm1} to {@code norm3}.
 */
public final class TransformerDecoderLayer extends Module {
    public final TransformerOptions options;
    public final MultiheadAttention selfAttn, multiheadAttn;
    public final Linear linear1, linear2;
    public final LayerNorm norm1, norm2, norm3;
    private final Generator generator;

    public TransformerDecoderLayer(TransformerOptions o, Generator g) {
        this.options = o;
        this.generator = g;
        selfAttn = registerModule("self_attn", new MultiheadAttention(o.dModel(), o.nhead(), o.dropout(), true, o.batchFirst(), g));
        multiheadAttn = registerModule("multihead_attn", new MultiheadAttention(o.dModel(), o.nhead(), o.dropout(), true, o.batchFirst(), g));
        linear1 = registerModule("linear1", new Linear(o.dModel(), o.dimFeedforward(), g));
        linear2 = registerModule("linear2", new Linear(o.dimFeedforward(), o.dModel(), g));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
        norm3 = registerModule("norm3", new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true));
    }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("a decoder layer needs the memory: forward(tgt, memory, ...)"); }

    /** The target attending to itself (tgtMask, tgtKeyPaddingMask) and to the memory (memoryMask, memoryKeyPaddingMask); masks additive or null. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (options.normFirst()) {
            x = x.add(selfAttention(norm1.forward(x), tgtMask, tgtKeyPaddingMask));
            x = x.add(crossAttention(norm2.forward(x), memory, memoryMask, memoryKeyPaddingMask));
            x = x.add(feedForward(norm3.forward(x)));
        } else {
            x = norm1.forward(x.add(selfAttention(x, tgtMask, tgtKeyPaddingMask)));
            x = norm2.forward(x.add(crossAttention(x, memory, memoryMask, memoryKeyPaddingMask)));
            x = norm3.forward(x.add(feedForward(x)));
        }
        return hooked(tgt, x);
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor keyPadding) {
        return drop(selfAttn.run(x, x, x, keyPadding, mask, false, true).output());
    }

    private Tensor crossAttention(Tensor x, Tensor memory, Tensor mask, Tensor keyPadding) {
        return drop(multiheadAttn.run(x, memory, memory, keyPadding, mask, false, true).output());
    }

    private Tensor feedForward(Tensor x) { return drop(linear2.forward(drop(options.activation().apply(linear1.forward(x))))); }

    private Tensor drop(Tensor x) { return F.dropout(x, options.dropout(), isTraining() && options.dropout() > 0f, generator); }
}
