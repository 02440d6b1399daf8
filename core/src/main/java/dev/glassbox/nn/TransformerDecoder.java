package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * A stack of decoder layers as torch.nn.TransformerDecoder, named {@code layers.0}, ..., and an
 * optional final LayerNorm ({@code norm}); the layers start as copies of one, as in PyTorch.
 */
public final class TransformerDecoder extends Module {
    private final TransformerDecoderLayer[] layers;
    public final LayerNorm norm;

    public TransformerDecoder(TransformerOptions o, int numLayers, LayerNorm norm, Generator g) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerDecoder: num_layers must be positive, got " + numLayers);
        layers = new TransformerDecoderLayer[numLayers];
        TransformerDecoderLayer first = new TransformerDecoderLayer(o, g);
        for (int i = 0; i < numLayers; i++) {
            layers[i] = i == 0 ? first : new TransformerDecoderLayer(o, g);
            if (i > 0) layers[i].loadStateDict(first.stateDict());
        }
        registerModule("layers", new ModuleList(java.util.List.of(layers)));
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    public TransformerDecoderLayer layer(int i) { return layers[i]; }

    public int numLayers() { return layers.length; }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("a decoder needs the memory: forward(tgt, memory, ...)"); }

    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (TransformerDecoderLayer l : layers) x = l.forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        return hooked(tgt, norm == null ? x : norm.forward(x));
    }
}
