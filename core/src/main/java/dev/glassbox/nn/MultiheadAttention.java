package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Multi-head attention as torch.nn.MultiheadAttention: the query, key and value are projected
 * by {@code in_proj_weight} [3E, E] (and {@code in_proj_bias} [3E]) into {@code numHeads}
 * heads of E/numHeads values, each head attends with softmax(q·kᵀ/√(E/heads) + mask)·v, and
 * the heads side by side go through {@code out_proj} (Linear E → E). PyTorch's parameter names,
 * initialisation (Xavier-uniform in_proj_weight, zero biases) and shapes: with
 * {@code batchFirst} query [N, L, E] and key, value [N, S, E], else [L, N, E] and [S, N, E].
 *
 * <p>Masks are additive float tensors, 0 to keep and −∞ to drop ({@link #masked} turns a 0/1
 * "true is masked" mask, PyTorch's bool convention here, into one): {@code keyPaddingMask}
 * [N, S] drops keys of each batch entry, {@code attnMask} [L, S] or [N·heads, L, S] drops
 * query–key pairs. Without weights asked for, the heads run in the fused
 * {@link F#scaledDotProductAttention}; with them, in plain ops that keep the weights (as
 * PyTorch's math path), averaged over the heads [N, L, S] or per head [N, heads, L, S].
 */
public final class MultiheadAttention extends Module {
    public final int embedDim, numHeads, headDim;
    public final float dropout;
    public final boolean batchFirst;
    public final Parameter inProjWeight, inProjBias;
    public final Linear outProj;
    private final Generator generator;

    /** The output [N, L, E] (or [L, N, E]) and the attention weights, or null when not asked for. */
    public record Output(Tensor output, Tensor weights) {}

    /**
     * One call's heads as an observer sees them, batch first: the queries, keys and values split
     * into heads [N, heads, L or S, E/heads], the scaled scores q·kᵀ/√(E/heads) before the mask
     * [N, heads, L, S], the additive mask [N, 1 or heads, L, S] (null for none), the weights after
     * the softmax (and dropout) and each head's weighted sum of the values [N, heads, L, E/heads].
     */
    public record Heads(Tensor q, Tensor k, Tensor v, Tensor scores, Tensor mask, Tensor weights, Tensor output) {}

    private final java.util.List<java.util.function.Consumer<Heads>> headObservers = new java.util.ArrayList<>();

    /**
     * Hands every later call's heads to {@code observer} (for explaining) until the handle is
     * closed; while observed, the heads run in plain ops that keep each step's tensors (the same
     * values as the fused path, to float rounding) and their gradients can be retained.
     */
    public HookHandle registerHeadObserver(java.util.function.Consumer<Heads> observer) {
        headObservers.add(observer);
        return () -> headObservers.remove(observer);
    }

    /** E = {@code embedDim} split into {@code numHeads} heads; no dropout; biases; batch first. */
    public MultiheadAttention(int embedDim, int numHeads, Generator g) { this(embedDim, numHeads, 0f, true, true, g); }

    public MultiheadAttention(int embedDim, int numHeads, float dropout, boolean bias, boolean batchFirst, Generator g) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embed_dim " + embedDim + " must be a positive multiple of num_heads " + numHeads);
        }
        if (!(dropout >= 0f && dropout < 1f)) throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1), got " + dropout);
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.generator = g;
        inProjWeight = registerParameter("in_proj_weight", new Parameter(Tensor.zeros(3 * embedDim, embedDim)));
        inProjBias = bias ? registerParameter("in_proj_bias", new Parameter(Tensor.zeros(3 * embedDim))) : null;
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, g, bias ? Linear.Bias.WITH : Linear.Bias.NONE));
        Init.xavierUniform(inProjWeight, 1.0, g);
        if (outProj.bias != null) Init.constant(outProj.bias, 0f);
    }

    /** Self-attention: {@code x} as query, key and value, no masks, no weights. */
    @Override
    public Tensor forward(Tensor x) { return hooked(x, run(x, x, x, null, null, false, true).output()); }

    /**
     * Attention of {@code query} over {@code key} and {@code value} with the optional additive
     * masks; {@code needWeights} also returns the attention weights, averaged over the heads when
     * {@code averageWeights}.
     */
    public Output run(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask, boolean needWeights, boolean averageWeights) {
        if (!batchFirst) {
            query = query.transpose(0, 1);
            key = key == query ? query : key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        check(query, key, value);
        int n = query.size(0), l = query.size(1), s = key.size(1), e = embedDim;
        float p = isTraining() ? dropout : 0f;
        boolean self = query == key && key == value;
        if (self && !needWeights && headObservers.isEmpty()) {                   // one projection, attended in place: no splits or transposes
            Tensor qkv = F.linear(query, inProjWeight, inProjBias);               // [N, L, 3E]
            Tensor mask = keyPaddingMask == null && attnMask != null && attnMask.shape().length == 2 ? checked2d(attnMask, l, s)
                    : combinedMask(keyPaddingMask, attnMask, n, l, s);
            Tensor out = outProj.forward(F.packedSelfAttention(qkv, numHeads, mask, p, false, generator));
            return new Output(batchFirst ? out : out.transpose(0, 1), null);
        }
        Tensor q, k, v;
        if (self) {
            Tensor qkv = F.linear(query, inProjWeight, inProjBias);               // [N, L, 3E]
            q = qkv.slice(2, 0, e);
            k = qkv.slice(2, e, 2 * e);
            v = qkv.slice(2, 2 * e, 3 * e);
        } else {
            q = F.linear(query, inProjWeight.slice(0, 0, e), inProjBias == null ? null : inProjBias.slice(0, 0, e));
            k = F.linear(key, inProjWeight.slice(0, e, 2 * e), inProjBias == null ? null : inProjBias.slice(0, e, 2 * e));
            v = F.linear(value, inProjWeight.slice(0, 2 * e, 3 * e), inProjBias == null ? null : inProjBias.slice(0, 2 * e, 3 * e));
        }
        q = heads(q, n, l);                                                      // [N, H, L, hd]
        k = heads(k, n, s);
        v = heads(v, n, s);
        Tensor mask = combinedMask(keyPaddingMask, attnMask, n, l, s);
        Tensor o, weights = null;
        if (needWeights || !headObservers.isEmpty()) {
            Tensor scores = q.matmul(k.transpose(2, 3)).mul((float) (1 / Math.sqrt(headDim)));
            Tensor masked = mask == null ? scores : scores.add(mask);
            weights = masked.softmax(-1);
            if (p > 0f) weights = weights.dropout(p, generator);
            o = weights.matmul(v);
            Heads seen = new Heads(q, k, v, scores, mask, weights, o);
            for (var obs : headObservers) obs.accept(seen);
            if (!needWeights) weights = null;
        } else {
            o = F.scaledDotProductAttention(q, k, v, mask, p, false, generator);
        }
        Tensor out = outProj.forward(o.transpose(1, 2).reshape(n, l, e));       // the heads side by side, projected
        if (!batchFirst) out = out.transpose(0, 1);
        if (weights != null && averageWeights) weights = weights.mean(new int[] {1}, false);
        return new Output(out, weights);
    }

    /** [N, T, E] → [N, heads, T, E/heads]. */
    private Tensor heads(Tensor x, int n, int t) { return x.reshape(n, t, numHeads, headDim).transpose(1, 2); }

    private void check(Tensor query, Tensor key, Tensor value) {
        String layout = batchFirst ? "[N, L, E]" : "[L, N, E]";
        for (Tensor x : List.of(query, key, value)) {
            if (x.shape().length != 3 || x.size(2) != embedDim) {
                throw new IllegalArgumentException("MultiheadAttention(" + embedDim + ", " + numHeads + "): query, key and value must be " + layout
                        + " with E = " + embedDim + ", got " + Arrays.toString(x.shape()));
            }
        }
        if (key.size(0) != query.size(0) || value.size(0) != query.size(0) || !Arrays.equals(key.shape(), value.shape())) {
            throw new IllegalArgumentException("MultiheadAttention: key " + Arrays.toString(key.shape()) + " and value " + Arrays.toString(value.shape())
                    + " must have the same shape and the query's batch " + query.size(0));
        }
    }

    private static Tensor checked2d(Tensor attn, int l, int s) {
        if (attn.size(0) != l || attn.size(1) != s) {
            throw new IllegalArgumentException("MultiheadAttention: attn_mask must be [" + l + ", " + s + "], got " + Arrays.toString(attn.shape()));
        }
        return attn;
    }

    /** The two masks as one additive [N, heads or 1, L, S] tensor, or null. */
    private Tensor combinedMask(Tensor keyPadding, Tensor attn, int n, int l, int s) {
        if (keyPadding == null && attn == null) return null;
        boolean perHead = attn != null && attn.shape().length == 3;
        int h = perHead ? numHeads : 1;
        float[] m = new float[n * h * l * s];
        if (attn != null) {
            int[] as = attn.shape();
            boolean ok = as.length == 2 ? as[0] == l && as[1] == s : as.length == 3 && as[0] == n * numHeads && as[1] == l && as[2] == s;
            if (!ok) {
                throw new IllegalArgumentException("MultiheadAttention: attn_mask must be [" + l + ", " + s + "] or [" + n * numHeads + ", " + l + ", " + s
                        + "], got " + Arrays.toString(as));
            }
            float[] a = attn.toArray();
            for (int b = 0; b < n; b++) {
                for (int hh = 0; hh < h; hh++) System.arraycopy(a, perHead ? (b * numHeads + hh) * l * s : 0, m, (b * h + hh) * l * s, l * s);
            }
        }
        if (keyPadding != null) {
            if (!Arrays.equals(keyPadding.shape(), new int[] {n, s})) {
                throw new IllegalArgumentException("MultiheadAttention: key_padding_mask must be [" + n + ", " + s + "], got " + Arrays.toString(keyPadding.shape()));
            }
            float[] kp = keyPadding.toArray();
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < h * l; i++) for (int j = 0; j < s; j++) m[(b * h * l + i) * s + j] += kp[b * s + j];
            }
        }
        return Tensor.of(m, n, h, l, s);
    }

    /** A 0/1 mask where 1 (true) means "masked", PyTorch's bool convention for this module, as an additive one (−∞ where 1). */
    public static Tensor masked(Tensor trueIsMasked) {
        float[] a = trueIsMasked.toArray();
        for (int i = 0; i < a.length; i++) a[i] = a[i] != 0f ? Float.NEGATIVE_INFINITY : 0f;
        return Tensor.of(a, trueIsMasked.shape());
    }

    @Override
    protected String extraRepr() { return "embed_dim=" + embedDim + ", num_heads=" + numHeads + ", dropout=" + dropout + ", batch_first=" + batchFirst; }
}
