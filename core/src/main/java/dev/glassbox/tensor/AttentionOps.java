package dev.glassbox.tensor;

import dev.glassbox.kernels.AttentionKernels;
import dev.glassbox.kernels.AttentionKernels.Band;
import dev.glassbox.kernels.LayerKernels;
import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Simd;
import dev.glassbox.kernels.SoftmaxKernels;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Scaled dot-product attention as one autograd node: for each (batch, head) slice,
 * S = scale·Q·Kᵀ + mask (and −∞ above the diagonal when causal), P = softmax(S) by rows,
 * dropout on P when asked, O = P·V. Nothing but O is kept across the slices: the backward
 * computes S and P again for one slice at a time, the same bits as the forward, so no more than
 * one slice's score matrix lives per thread (the memory of the flash-attention approach, without
 * its tiling). Backward per slice: dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙ dP)),
 * dQ = scale·dS·K, dK = scale·dSᵀ·Q. Slices run on the kernel threads; their products are
 * {@link AttentionKernels}' unpacked tiles, which skip a causal slice's triangle of zeros.
 *
 * <p>Two layouts share the kernel: separate q, k, v of [..., T, d] ({@link #attention}), and
 * self-attention straight from one projection's packed [N, L, 3E] q|k|v with the heads side by
 * side ({@link #packedSelfAttention}): each slice reads its head's columns in place (a row
 * stride of 3E) and writes its output columns of [N, L, E], so no slice, head split, transpose
 * or gradient scatter is made.
 */
final class AttentionOps {
    private AttentionOps() {}

    /**
     * Where each slice's matrices are: {@code slices} of [tq, d] queries, [tk, d] keys, [tk, dv]
     * values and [tq, dv] outputs, each row {@code ld*} floats after the previous one; the
     * slice's mask [tq, tk] (rows of tk) or none.
     */
    private interface Layout {
        int slices();

        int tq();

        int tk();

        int d();

        int dv();

        int ldq();

        int ldk();

        int ldv();

        int ldo();

        int q(int i);

        int k(int i);

        int v(int i);

        int o(int i);

        int mask(int i);
    }

    // ---------------------------------------------------------------- q, k, v of [..., T, d]

    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, float dropout, Generator g, Float scaleOrNull) {
        Dims s = dims(q, k, v, mask);
        float scale = scaleOrNull != null ? scaleOrNull : (float) (1.0 / Math.sqrt(s.d()));
        long seed = seed(dropout, g);
        float[] out = new float[s.slices() * s.tq() * s.dv()];
        float[] m = mask == null ? null : mask.data;
        forward(s, q.data, k.data, v.data, out, m, causal, scale, dropout, seed);
        int[] shape = Arrays.copyOf(q.shape, q.shape.length);
        shape[shape.length - 1] = s.dv();
        return Tensor.result(out, shape, "scaled_dot_product_attention", gOut -> {
            boolean needQ = q.requiresGrad, needK = k.requiresGrad, needV = v.requiresGrad;
            float[] dq = needQ ? new float[q.data.length] : null, dk = needK ? new float[k.data.length] : null;
            float[] dv = needV ? new float[v.data.length] : null;
            backward(s, gOut.data, q.data, k.data, v.data, m, causal, scale, dropout, seed, dq, dk, dv);
            return new Tensor[] {needQ ? Tensor.freshGrad(dq, q.shape) : null, needK ? Tensor.freshGrad(dk, k.shape) : null,
                    needV ? Tensor.freshGrad(dv, v.shape) : null};
        }, q, k, v);
    }

    /** Contiguous [..., T, d] slices; the mask [Tq, Tk] or of q's rank with leading dims of 1 or q's. */
    private record Dims(int slices, int tq, int tk, int d, int dv, int[] lead, int[] maskLead) implements Layout {
        public int ldq() { return d; }

        public int ldk() { return d; }

        public int ldv() { return dv; }

        public int ldo() { return dv; }

        public int q(int i) { return i * tq * d; }

        public int k(int i) { return i * tk * d; }

        public int v(int i) { return i * tk * dv; }

        public int o(int i) { return i * tq * dv; }

        /** Where slice i's mask starts: its leading index, broadcast over the mask's dims of 1. */
        public int mask(int i) {
            int off = 0, stride = tq * tk;
            for (int dIdx = lead.length - 1; dIdx >= 0; dIdx--) {
                int idx = i % lead[dIdx];
                i /= lead[dIdx];
                if (maskLead[dIdx] != 1) off += idx * stride;
                stride *= maskLead[dIdx];
            }
            return off;
        }
    }

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
        int tq = q.shape[r - 2], tk = k.shape[r - 2];
        int[] maskLead = new int[r - 2];
        Arrays.fill(maskLead, 1);
        if (mask != null) {
            int mr = mask.shape.length;
            boolean ok = mr >= 2 && mask.shape[mr - 2] == tq && mask.shape[mr - 1] == tk && (mr == 2 || mr == r);
            for (int i = 0; ok && mr == r && i < r - 2; i++) ok = mask.shape[i] == 1 || mask.shape[i] == lead[i];
            if (!ok) {
                throw new IllegalArgumentException("scaled_dot_product_attention: the mask " + Shapes.str(mask.shape) + " must be [" + tq + ", " + tk
                        + "] or of the query's rank ending in [" + tq + ", " + tk + "], its leading dims 1 or the query's");
            }
            if (mr == r) maskLead = Arrays.copyOf(mask.shape, r - 2);
        }
        return new Dims(Shapes.numel(lead), tq, tk, q.shape[r - 1], v.shape[r - 1], lead, maskLead);
    }

    // ---------------------------------------------------------------- packed q|k|v of one projection

    /**
     * Self-attention over qkv [N, L, 3E] (the query, key and value projections side by side, as
     * one Linear of in_proj_weight makes them), {@code heads} heads of E/heads each, → [N, L, E]
     * with the heads side by side. The mask is additive: [L, L] for every slice, or
     * [N, 1 or heads, L, L].
     */
    static Tensor packedSelfAttention(Tensor qkv, int heads, Tensor mask, boolean causal, float dropout, Generator g) {
        if (qkv.shape.length != 3 || qkv.shape[2] % (3 * heads) != 0) {
            throw new IllegalArgumentException("self-attention: qkv must be [N, L, 3E] with E a multiple of " + heads + " heads, got " + Shapes.str(qkv.shape));
        }
        int n = qkv.shape[0], l = qkv.shape[1], e = qkv.shape[2] / 3, hd = e / heads;
        int maskHeads = 0;
        if (mask != null) {
            int[] ms = mask.shape;
            boolean shared = ms.length == 2 && ms[0] == l && ms[1] == l;
            boolean perBatch = ms.length == 4 && ms[0] == n && (ms[1] == 1 || ms[1] == heads) && ms[2] == l && ms[3] == l;
            if (!shared && !perBatch) {
                throw new IllegalArgumentException("self-attention: the mask must be [" + l + ", " + l + "] or [" + n + ", 1 or " + heads + ", " + l + ", " + l
                        + "], got " + Shapes.str(ms));
            }
            maskHeads = shared ? 0 : ms[1];
        }
        Packed p = new Packed(n, heads, l, e, hd, maskHeads);
        float scale = (float) (1.0 / Math.sqrt(hd));
        long seed = seed(dropout, g);
        float[] out = new float[n * l * e], m = mask == null ? null : mask.data;
        forward(p, qkv.data, qkv.data, qkv.data, out, m, causal, scale, dropout, seed);
        return Tensor.result(out, new int[] {n, l, e}, "self_attention", gOut -> {
            float[] d = new float[qkv.data.length];                         // dQ, dK, dV land in their columns of one array
            backward(p, gOut.data, qkv.data, qkv.data, qkv.data, m, causal, scale, dropout, seed, d, d, d);
            return new Tensor[] {Tensor.freshGrad(d, qkv.shape)};
        }, qkv);
    }

    /** Slice i = (batch b, head h): its head's columns of the packed rows, and of the output. */
    private record Packed(int n, int heads, int l, int e, int hd, int maskHeads) implements Layout {
        public int slices() { return n * heads; }

        public int tq() { return l; }

        public int tk() { return l; }

        public int d() { return hd; }

        public int dv() { return hd; }

        public int ldq() { return 3 * e; }

        public int ldk() { return 3 * e; }

        public int ldv() { return 3 * e; }

        public int ldo() { return e; }

        public int q(int i) { return (i / heads) * l * 3 * e + (i % heads) * hd; }

        public int k(int i) { return q(i) + e; }

        public int v(int i) { return q(i) + 2 * e; }

        public int o(int i) { return (i / heads) * l * e + (i % heads) * hd; }

        public int mask(int i) {
            if (maskHeads == 0) return 0;
            int b = i / heads, h = maskHeads == 1 ? 0 : i % heads;
            return (b * maskHeads + h) * l * l;
        }
    }

    // ---------------------------------------------------------------- the kernel

    private static long seed(float dropout, Generator g) {
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("scaled_dot_product_attention: dropout must be in [0, 1), got " + dropout);
        return dropout > 0f ? (g == null ? Generator.global() : g).nextLong() : 0L;
    }

    private static void forward(Layout s, float[] q, float[] k, float[] v, float[] out, float[] mask, boolean causal, float scale, float dropout,
                                long seed) {
        Parallel.forRange(s.slices(), 1, (i0, i1) -> {
            float[] p = new float[s.tq() * s.tk()], kt = new float[s.d() * s.tk()];
            for (int i = i0; i < i1; i++) {
                probabilities(s, i, q, k, mask, causal, scale, dropout, seed, kt, p);
                AttentionKernels.gemm(s.tq(), s.dv(), s.tk(), 1f, false, p, 0, s.tk(), v, s.v(i), s.ldv(), out, s.o(i), s.ldo(),
                        causal ? Band.K_UPTO_ROW : Band.FULL);                                                            // O = P·V
            }
        });
    }

    /**
     * One slice's attention weights into {@code p} [tq, tk]: scale·Q·Kᵀ, plus the mask, −∞ above
     * the diagonal when causal, softmax by rows, then the dropout (kept weights divided by 1 − p)
     * from a generator seeded by the call's seed and the slice, so the backward draws the same.
     */
    private static void probabilities(Layout s, int i, float[] q, float[] k, float[] mask, boolean causal, float scale, float dropout, long seed,
                                      float[] kt, float[] p) {
        int tq = s.tq(), tk = s.tk();
        AttentionKernels.transpose(tk, s.d(), k, s.k(i), s.ldk(), kt);
        AttentionKernels.gemm(tq, tk, s.d(), scale, false, q, s.q(i), s.ldq(), kt, 0, tk, p, 0, tk, causal ? Band.N_UPTO_ROW : Band.FULL);
        int mo = mask == null ? 0 : s.mask(i);
        if (causal) {
            // each row's softmax over its keys up to the diagonal, rounded up to whole vectors
            // (−∞ past the diagonal), and 0 beyond: half the exponentials of the whole row
            int lanes = Simd.lanes();
            for (int r = 0; r < tq; r++) {
                int o = r * tk, w = Math.min(tk, r + 1), wv = Math.min(tk, (r + lanes) / lanes * lanes);
                if (mask != null) VectorKernels.axpy(w, 1f, mask, mo + o, p, o);
                Arrays.fill(p, o + w, o + wv, Float.NEGATIVE_INFINITY);
                SoftmaxKernels.softmaxRows(1, wv, p, o, p, o, false);
                Arrays.fill(p, o + wv, o + tk, 0f);
            }
        } else {
            if (mask != null) {
                for (int r = 0; r < tq; r++) VectorKernels.axpy(tk, 1f, mask, mo + r * tk, p, r * tk);
            }
            SoftmaxKernels.softmaxRows(tq, tk, p, 0, p, 0, false);
        }
        if (dropout > 0f) {
            Generator g = new Generator(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
            float keep = 1f / (1f - dropout);
            for (int j = 0; j < p.length; j++) p[j] = g.nextFloat() < dropout ? 0f : p[j] * keep;
        }
    }

    /** Adds each slice's dQ, dK, dV into {@code dq}, {@code dk}, {@code dv} (null: not wanted) at the layout's places. */
    private static void backward(Layout s, float[] dOut, float[] q, float[] k, float[] v, float[] mask, boolean causal, float scale, float dropout,
                                 long seed, float[] dq, float[] dk, float[] dv) {
        int tq = s.tq(), tk = s.tk();
        Parallel.forRange(s.slices(), 1, (i0, i1) -> {
            float[] p = new float[tq * tk], pd = dropout > 0f ? new float[tq * tk] : p, dp = new float[tq * tk];
            float[] kt = new float[s.d() * tk], vt = new float[s.dv() * tk];
            for (int i = i0; i < i1; i++) {
                probabilities(s, i, q, k, mask, causal, scale, 0f, seed, kt, p);                           // P, the same bits as the forward
                if (dropout > 0f) probabilities(s, i, q, k, mask, causal, scale, dropout, seed, kt, pd);  // and with the forward's dropout
                if (dv != null) {
                    AttentionKernels.gemm(tk, s.dv(), tq, 1f, true, pd, 0, tk, dOut, s.o(i), s.ldo(), dv, s.v(i), s.ldv(),
                            causal ? Band.K_FROM_ROW : Band.FULL);                                                   // dV = Pᵀ·dO
                }
                if (dq == null && dk == null) continue;
                AttentionKernels.transpose(tk, s.dv(), v, s.v(i), s.ldv(), vt);
                AttentionKernels.gemm(tq, tk, s.dv(), 1f, false, dOut, s.o(i), s.ldo(), vt, 0, tk, dp, 0, tk,
                        causal ? Band.N_UPTO_ROW : Band.FULL);                                                       // dP = dO·Vᵀ
                if (dropout > 0f) {
                    float keep = 1f / (1f - dropout);
                    for (int j = 0; j < dp.length; j++) dp[j] = pd[j] == 0f ? 0f : dp[j] * keep;                    // through the dropout
                }
                for (int r = 0; r < tq; r++) {                                                                          // dS, in place over dP
                    int o = r * tk, w = causal ? Math.min(tk, r + 1) : tk;                                              // a causal row's keys past
                    LayerKernels.softmaxBackward(w, p, o, dp, o, dp, o);                                                // the diagonal have P = 0
                    Arrays.fill(dp, o + w, o + tk, 0f);
                }
                if (dq != null) {
                    AttentionKernels.gemm(tq, s.d(), tk, scale, false, dp, 0, tk, k, s.k(i), s.ldk(), dq, s.q(i), s.ldq(),
                            causal ? Band.K_UPTO_ROW : Band.FULL);                                                   // dQ = scale·dS·K
                }
                if (dk != null) {
                    AttentionKernels.gemm(tk, s.d(), tq, scale, true, dp, 0, tk, q, s.q(i), s.ldq(), dk, s.k(i), s.ldk(),
                            causal ? Band.K_FROM_ROW : Band.FULL);                                                   // dK = scale·dSᵀ·Q
                }
            }
        });
    }
}
