package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * The encoder–decoder Transformer (Vaswani et al., 2017) as torch.nn.Transformer: an
 * {@code encoder} of encoder layers and a final LayerNorm, a {@code decoder} of decoder layers
 * and a final LayerNorm, every weight matrix then Xavier-uniform (as PyTorch's
 * _reset_parameters). {@code forward(src, tgt, ...)} gives the decoder's output for each target
 * position; {@link #generateSquareSubsequentMask} is the causal mask for the target.
 */
public final class Transformer extends Module {
    public final TransformerOptions options;
    public final TransformerEncoder encoder;
    public final TransformerDecoder decoder;

    public Transformer(TransformerOptions o, int numEncoderLayers, int numDecoderLayers, Generator g) {
        this.options = o;
        encoder = registerModule("encoder", new TransformerEncoder(o, numEncoderLayers, new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true), g));
        decoder = registerModule("decoder", new TransformerDecoder(o, numDecoderLayers, new LayerNorm(new int[] {o.dModel()}, o.layerNormEps(), true), g));
        for (Parameter p : parameters()) if (p.shape().length > 1) Init.xavierUniform(p, 1.0, g);
    }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("a Transformer takes the source and the target: forward(src, tgt, ...)"); }

    /** The decoder's output for {@code tgt} given {@code src}; every mask additive or null. */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        int batch = options.batchFirst() ? 0 : 1;
        if (src.shape().length != 3 || tgt.shape().length != 3 || src.size(batch) != tgt.size(batch)) {
            throw new IllegalArgumentException("Transformer: src " + Arrays.toString(src.shape()) + " and tgt " + Arrays.toString(tgt.shape())
                    + " must be " + (options.batchFirst() ? "[N, S, E] and [N, T, E]" : "[S, N, E] and [T, N, E]") + " with the same batch");
        }
        Tensor memory = encoder.forward(src, srcMask, srcKeyPaddingMask);
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
    }

    /** The causal mask of a sequence of {@code size}: [size, size], 0 on and below the diagonal, −∞ above it. */
    public static Tensor generateSquareSubsequentMask(int size) {
        if (size <= 0) throw new IllegalArgumentException("generateSquareSubsequentMask: size must be positive, got " + size);
        float[] m = new float[size * size];
        for (int i = 0; i < size; i++) Arrays.fill(m, i * size + i + 1, (i + 1) * size, Float.NEGATIVE_INFINITY);
        return Tensor.of(m, size, size);
    }
}
