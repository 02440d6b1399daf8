package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/**
 * The sinusoidal position encoding of "Attention is all you need": position t, dimension 2i
 * holds sin(t / 10000^(2i/d)) and 2i + 1 holds cos of the same, added to a batch-first input
 * [N, T, d] (T at most {@code maxLen}). A buffer {@code pe} [maxLen, d], not trained. Learned
 * positions are an {@link Embedding} over the positions.
 */
public final class PositionalEncoding extends Module {
    public final int dModel, maxLen;
    public final Tensor pe;

    public PositionalEncoding(int dModel, int maxLen) {
        if (dModel <= 0 || maxLen <= 0) throw new IllegalArgumentException("PositionalEncoding: d_model and max_len must be positive, got " + dModel + ", " + maxLen);
        this.dModel = dModel;
        this.maxLen = maxLen;
        float[] p = new float[maxLen * dModel];
        for (int t = 0; t < maxLen; t++) {
            for (int i = 0; i < dModel; i += 2) {
                double angle = t / Math.pow(10000, (double) i / dModel);
                p[t * dModel + i] = (float) Math.sin(angle);
                if (i + 1 < dModel) p[t * dModel + i + 1] = (float) Math.cos(angle);
            }
        }
        pe = registerBuffer("pe", Tensor.of(p, maxLen, dModel));
    }

    /** x [N, T, d] plus the encodings of positions 0 to T − 1. */
    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if (s.length != 3 || s[2] != dModel || s[1] > maxLen) {
            throw new IllegalArgumentException("PositionalEncoding(" + dModel + ", max_len " + maxLen + "): expects [N, T, " + dModel + "] with T at most "
                    + maxLen + ", got " + java.util.Arrays.toString(s));
        }
        return hooked(x, x.add(pe.slice(0, 0, s[1])));
    }
}
