package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * A stack of encoder layers as torch.nn.TransformerEncoder, named {@code layers.0},
 * {@code layers.1}, ..., and an optional final LayerNorm ({@code norm}). As in PyTorch the
 * layers start as copies of one layer: the same initial weights.
 */
public final class TransformerEncoder extends Module {
    private final TransformerEncoderLayer[] layers;
    public final LayerNorm norm;

    public TransformerEncoder(TransformerOptions o, int numLayers, LayerNorm norm, Generator g) {
        if (numLayers <= 0) throw new IllegalArgumentException("TransformerEncoder: num_layers must be positive, got " + numLayers);
        layers = new TransformerEncoderLayer[numLayers];
        TransformerEncoderLayer first = new TransformerEncoderLayer(o, g);
        for (int i = 0; i < numLayers; i++) {
            layers[i] = i == 0 ? first : new TransformerEncoderLayer(o, g);
            if (i > 0) layers[i].loadStateDict(first.stateDict());                  // a copy of the first, as PyTorch's deepcopy
        }
        registerModule("layers", new ModuleList(java.util.List.of(layers)));
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    public TransformerEncoderLayer layer(int i) { return layers[i]; }

    public int numLayers() { return layers.length; }

    @Override
    public Tensor forward(Tensor src) { return hooked(src, forward(src, null, null)); }

    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        Tensor x = src;
        for (TransformerEncoderLayer l : layers) x = l.forward(x, mask, srcKeyPaddingMask);
        return norm == null ? x : norm.forward(x);
    }
}
