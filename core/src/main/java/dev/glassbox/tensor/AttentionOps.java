package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Scaled dot-product attention as one autograd node: for each of the leading (batch, head)
 * slices, S = scale·Q·Kᵀ + mask (and −∞ above the diagonal when causal), P = softmax(S) by
 * rows, dropout on P when asked, O = P·V. Nothing but O is kept across the slices: the
 * backward computes S and P again for one slice at a time, the same bits as the forward, so no
 * more than one slice's score matrix lives per thread (the memory of the flash-attention
 * approach, without its tiling). Backward per slice: dV = Pᵀ·dO, dP = dO·Vᵀ,
 * dS = P ⊙ (dP − rowsum(P ⊙ dP)), dQ = scale·dS·K, dK = scale·dSᵀ·Q. Slices run on the kernel
 * threads.
 */
final class AttentionOps {
    private AttentionOps() {}

    /** The shapes of one call: slices, query and key lengths, head sizes, and the mask's layout. */
    private record Dims(int slices, int tq, int tk, int d, int dv, int[] lead, int[] maskLead) {}

    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float dropout, Generator g, Float scaleOrNull) {
        Dims s = dims(q, k, v, mask);
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("scaled_dot_product_attention: dropout must be in [0, 1), got " + dropout);
        float scale = scaleOrNull != null ? scaleOrNull : (float) (1.0 / Math.sqrt(s.d));
        long seed = dropout > 0f ? (g == null ? Generator.global() : g).nextLong() : 0L;
        float[] out = new float[s.slices * s.tq * s.dv];
        Parallel.forRange(s.slices, 1, (i0, i1) -> {
            float[] p = new float[s.tq * s.tk];
            for (int i = i0; i < i1; i++) {
                probabilities(s, i, q.data, k.data, mask, causal, scale, dropout, seed, p);
                Sgemm.sgemm(false, false, s.tq, s.dv, s.tk, 1f, p, 0, s.tk, v.data, i * s.tk * s.dv, s.dv, 0f, out, i * s.tq * s.dv, s.dv);
            }
        });
        int[] shape = Arrays.copyOf(q.shape, q.shape.length);
        shape[shape.length - 1] = s.dv;
        return Tensor.result(out, shape, "scaled_dot_product_attention",
                gOut -> backward(s, gOut.data, q, k, v, mask, causal, scale, dropout, seed), q, k, v);
    }

    /**
     * One slice's attention weights into {@code p} [tq, tk]: scale·Q·Kᵀ, plus the mask, −∞ above
     * the diagonal when causal, softmax by rows, then the dropout (kept weights divided by 1 − p)
     * from a generator seeded by the call's seed and the slice, so the backward draws the same.
     */
    private static void probabilities(Dims s, int i, float[] q, float[] k, Tensor mask, boolean causal, float scale, float dropout, long seed,
                                      float[] p) {
        Sgemm.sgemm(false, true, s.tq, s.tk, s.d, scale, q, i * s.tq * s.d, s.d, k, i * s.tk * s.d, s.d, 0f, p, 0, s.tk);
        if (mask != null) {
            int mo = maskOffset(s, i);
            for (int r = 0; r < s.tq; r++) VectorKernels.axpy(s.tk, 1f, mask.data, mo + r * s.tk, p, r * s.tk);
        }
        if (causal) {
            for (int r = 0; r < s.tq; r++) Arrays.fill(p, r * s.tk + Math.min(s.tk, r + 1), (r + 1) * s.tk, Float.NEGATIVE_INFINITY);
        }
        VectorKernels.softmaxRows(s.tq, s.tk, p, 0, p, 0, false);
        if (dropout > 0f) {
            Generator g = new Generator(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
            float keep = 1f / (1f - dropout);
            for (int j = 0; j < p.length; j++) p[j] = g.nextFloat() < dropout ? 0f : p[j] * keep;
        }
    }

    private static Tensor[] backward(Dims s, float[] dOut, Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float scale, float dropout,
                                     long seed) {
        boolean needQ = q.requiresGrad, needK = k.requiresGrad, needV = v.requiresGrad;
        float[] dq = needQ ? new float[q.data.length] : null, dk = needK ? new float[k.data.length] : null, dv = needV ? new float[v.data.length] : null;
        Parallel.forRange(s.slices, 1, (i0, i1) -> {
            float[] p = new float[s.tq * s.tk], pd = dropout > 0f ? new float[s.tq * s.tk] : p, dp = new float[s.tq * s.tk];
            for (int i = i0; i < i1; i++) {
                int oq = i * s.tq * s.d, ok = i * s.tk * s.d, ov = i * s.tk * s.dv, oo = i * s.tq * s.dv;
                if (dropout > 0f) {
                    probabilities(s, i, q.data, k.data, mask, causal, scale, 0f, seed, p);          // P without dropout
                    probabilities(s, i, q.data, k.data, mask, causal, scale, dropout, seed, pd);    // and with it, as the forward
                } else {
                    probabilities(s, i, q.data, k.data, mask, causal, scale, 0f, seed, p);
                }
                if (needV) Sgemm.sgemm(true, false, s.tk, s.dv, s.tq, 1f, pd, 0, s.tk, dOut, oo, s.dv, 0f, dv, ov, s.dv);      // dV = Pᵀ·dO
                if (!needQ && !needK) continue;
                Sgemm.sgemm(false, true, s.tq, s.tk, s.dv, 1f, dOut, oo, s.dv, v.data, ov, s.dv, 0f, dp, 0, s.tk);            // dP = dO·Vᵀ
                if (dropout > 0f) {
                    float keep = 1f / (1f - dropout);
                    for (int j = 0; j < dp.length; j++) dp[j] = pd[j] == 0f ? 0f : dp[j] * keep;                          // through the dropout
                }
                for (int r = 0; r < s.tq; r++) {
                    int o = r * s.tk;
                    float dsum = VectorKernels.dot(s.tk, p, o, dp, o);
                    for (int j = 0; j < s.tk; j++) dp[o + j] = p[o + j] * (dp[o + j] - dsum);                            // dS
                }
                if (needQ) Sgemm.sgemm(false, false, s.tq, s.d, s.tk, scale, dp, 0, s.tk, k.data, ok, s.d, 0f, dq, oq, s.d);   // dQ = scale·dS·K
                if (needK) Sgemm.sgemm(true, false, s.tk, s.d, s.tq, scale, dp, 0, s.tk, q.data, oq, s.d, 0f, dk, ok, s.d);     // dK = scale·dSᵀ·Q
            }
        });
        return new Tensor[] {needQ ? Tensor.freshGrad(dq, q.shape) : null, needK ? Tensor.freshGrad(dk, k.shape) : null,
                needV ? Tensor.freshGrad(dv, v.shape) : null};
    }

    /**
     * q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv] with the same leading dims; a mask of
     * [Tq, Tk] or of q's rank with each leading dim 1 (shared) or q's.
     */
    private static Dims dims(Tensor q, Tensor k, Tensor v, Tensor mask) {
        int r = q.shape.length;
        if (r < 2 || k.shape.length != r || v.shape.length != r) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query, key and value must have the same rank of at least 2, got "
                    + Shapes.str(q.shape) + ", " + Shapes.str(k.shape) + ", " + Shapes.str(v.shape));
        }
        int[] lead = Arrays.copyOf(q.shape, r - 2);
        if (!Arrays.equals(lead, Arrays.copyOf(k.shape, r - 2)) || !Arrays.equals(lead, Arrays.copyOf(v.shape, r - 2))
                || q.shape[r - 1] != k.shape[r - 1] || k.shape[r - 2] != v.shape[r - 2]) {
            throw new IllegalArgumentException("scaled_dot_product_attention: query " + Shapes.str(q.shape) + ", key " + Shapes.str(k.shape)
                    + " and value " + Shapes.str(v.shape) + " do not fit: [..., Tq, d], [..., Tk, d], [..., Tk, dv] with the same leading dims");
        }
        int slices = Shapes.numel(lead), tq = q.shape[r - 2], tk = k.shape[r - 2];
        int[] maskLead = null;
        if (mask != null) {
            int mr = mask.shape.length;
            boolean ok = mr >= 2 && mask.shape[mr - 2] == tq && mask.shape[mr - 1] == tk && (mr == 2 || mr == r);
            for (int i = 0; ok && mr == r && i < r - 2; i++) ok = mask.shape[i] == 1 || mask.shape[i] == lead[i];
            if (!ok) {
                throw new IllegalArgumentException("scaled_dot_product_attention: the mask " + Shapes.str(mask.shape) + " must be [" + tq + ", " + tk
                        + "] or " + Shapes.str(q.shape).replaceAll("\\d+, \\d+]$", tq + ", " + tk + "]") + " with leading dims of 1 or the query's");
            }
            maskLead = mr == 2 ? new int[r - 2] : Arrays.copyOf(mask.shape, r - 2);
            if (mr == 2) Arrays.fill(maskLead, 1);
        }
        return new Dims(slices, tq, tk, q.shape[r - 1], v.shape[r - 1], lead, maskLead);
    }

    /** Where slice i's [Tq, Tk] mask starts: its leading index, broadcast over the mask's dims of 1. */
    private static int maskOffset(Dims s, int i) {
        int off = 0, stride = s.tq * s.tk;
        for (int dIdx = s.lead.length - 1; dIdx >= 0; dIdx--) {
            int idx = i % s.lead[dIdx];
            i /= s.lead[dIdx];
            if (s.maskLead[dIdx] != 1) off += idx * stride;
            stride *= s.maskLead[dIdx];
        }
        return off;
    }
}
