package dev.glassbox.nn;

import dev.glassbox.kernels.EmbeddingKernels;

/**
 * word2vec's negative-sampling update (Mikolov et al., 2013), on embedding tables kept as plain
 * float arrays (rows of {@code dim} floats) that Hogwild threads update in place, without
 * autograd. For an input vector h and targets t₀ (the true word, label 1) and t₁..t_k (noise
 * words, label 0):
 * <pre>
 *   f_t = h·out_t,   g_t = (label − σ(f_t))·α
 *   grad = Σ g_t·out_t          (written to grad; the caller adds it to h's row)
 *   out_t += g_t·h              (each output row, in place)
 *   loss  = −ln σ(f_{t₀}) − Σ ln σ(−f_t)
 * </pre>
 * σ comes from a 1,000-entry table over [−6, 6], clipped outside, as the C tool's.
 */
public final class NegativeSampling {
    private NegativeSampling() {}

    /**
     * One update of the rows {@code targets[0..count)} of {@code out} against the input
     * {@code in[inOff, inOff + dim)}; returns the loss. {@code scratch} holds at least
     * {@code count} floats.
     */
    public static float update(int dim, float[] in, int inOff, float[] out, int[] targets, int count, float alpha,
                               float[] grad, float[] scratch) {
        return EmbeddingKernels.negativeSampling(dim, in, inOff, out, targets, count, alpha, grad, scratch);
    }
}
