package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/**
 * The settings of a Transformer layer, as torch.nn.TransformerEncoderLayer's arguments:
 * model width, heads, the feed-forward width, dropout, the feed-forward activation, LayerNorm's
 * ε, the layout ({@code batchFirst}: [N, T, E], else [T, N, E]) and where the LayerNorms sit
 * ({@code normFirst}: before each block, else after each residual add).
 */
public record TransformerOptions(int dModel, int nhead, int dimFeedforward, float dropout, Activation activation, float layerNormEps,
                                 boolean batchFirst, boolean normFirst) {
    /** The feed-forward block's activation. */
    public enum Activation {
        RELU, GELU;

        public Tensor apply(Tensor x) { return this == RELU ? x.relu() : x.gelu(); }
    }

    public TransformerOptions {
        if (dModel <= 0 || nhead <= 0 || dModel % nhead != 0) {
            throw new IllegalArgumentException("Transformer: d_model " + dModel + " must be a positive multiple of nhead " + nhead);
        }
        if (dimFeedforward <= 0) throw new IllegalArgumentException("Transformer: dim_feedforward must be positive, got " + dimFeedforward);
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("Transformer: dropout must be in [0, 1), got " + dropout);
        if (activation == null) throw new IllegalArgumentException("Transformer: activation must be relu or gelu");
    }

    /** PyTorch's defaults for the given sizes: dropout 0.1, ReLU, ε 1e-5, batch first, post-norm. */
    public static TransformerOptions of(int dModel, int nhead, int dimFeedforward) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, 0.1f, Activation.RELU, 1e-5f, true, false);
    }

    public TransformerOptions withDropout(float p) { return new TransformerOptions(dModel, nhead, dimFeedforward, p, activation, layerNormEps, batchFirst, normFirst); }

    public TransformerOptions withActivation(Activation a) { return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, a, layerNormEps, batchFirst, normFirst); }

    public TransformerOptions withNormFirst(boolean b) { return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, b); }

    public TransformerOptions withBatchFirst(boolean b) { return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, b, normFirst); }
}
