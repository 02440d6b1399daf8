package dev.glassbox.tensor;

import dev.glassbox.kernels.PackedA;
import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * 2-D convolution on NCHW tensors (the pooling is {@link PoolOps}): forward and backward side by side.
 * Convolution unfolds the images of a batch into columns side by side (im2col) so that one
 * GEMM computes every output channel at every position of every image:
 * Y[O, N·Ho·Wo] = W[O, C·kh·kw] · cols[C·kh·kw, N·Ho·Wo], then + b. Each filter spans all
 * input channels and their products are summed into one feature map.
 */
final class ConvOps {
    /** About how many output positions one convolution GEMM covers (a group of images side by side). */
    static final int GROUP_COLUMNS = 2048;
    /** Floats of the input-gradient columns (Wᵀ·G) made at a time: 512 KB, a core's L2 here. */
    private static final int DX_FLOATS = 1 << 17;

    /**
     * Per-thread scratch arrays for a convolution's temporaries, which never outlive the call
     * (the unfolded columns, the GEMM's result, G regrouped): allocated per chunk of the batch
     * they came to ~17 MB of freshly zeroed memory for each forward pass of W4's second layer.
     * Slot {@code slot} of the calling thread, at least {@code n} long, contents undefined.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    static float[] scratch(int slot, int n) {
        float[][] s = SCRATCH.get();
        if (s[slot].length < n) s[slot] = new float[n];
        return s[slot];
    }

    private ConvOps() {}

    /** Output size of one spatial dim; an error naming the op when the window does not fit. */
    static int outSize(String op, int in, int k, int stride, int pad) {
        if (k <= 0 || stride <= 0 || pad < 0) {
            throw new IllegalArgumentException(op + ": kernel and stride must be positive and padding non-negative, got kernel "
                    + k + ", stride " + stride + ", padding " + pad);
        }
        int o = (in + 2 * pad - k) / stride + 1;
        if (in + 2 * pad < k) {
            throw new IllegalArgumentException(op + ": kernel " + k + " is larger than the padded input size " + (in + 2 * pad));
        }
        return o;
    }

    /**
     * x [N, C, H, W], weight [O, C, kh, kw], bias [O] or null → [N, O, Ho, Wo].
     * dL/dW = Σₙ G[n]·cols[n]ᵀ, dL/db = Σ over n and positions of G, dL/dx = col2im(Wᵀ·G[n]).
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        return conv2d(x, weight, bias, sh, sw, ph, pw, false);
    }

    /**
     * {@link #conv2d} with {@code relu}: max(0, conv + bias) as one node. The ReLU is applied
     * where the output maps are written and its gradient (G where the output is above 0) where G
     * is regrouped for the backward GEMMs, so the separate ReLU's two full passes, its output
     * and its gradient (two arrays the size of the maps, zeroed by the JVM) are not made.
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw, boolean relu) {
        return conv2d(x, weight, bias, sh, sw, ph, pw, relu, 0, 0);
    }

    /** Largest pooling window (kh·kw) {@link #conv2dReluMaxPool} takes: each window's winner is kept as a byte. */
    static final int FUSED_POOL_MAX = 121;

    /**
     * max_pool2d(relu(conv2d(...)), pool, poolStride) as one node, no pooling padding, windows of
     * up to {@link #FUSED_POOL_MAX} values. The maps are pooled from the GEMM's result while it
     * is in cache, so the full-size maps (and the pooling's indices, its gradient and the ReLU's
     * gradient, all map-sized arrays) are never made: each window keeps the position of its
     * winner as a byte. The values and gradients are those of the three nodes, bit for bit: the
     * ReLU is applied first, then the first maximum of the window wins (a NaN wins), and the
     * gradient reaches the winner when the pooled value is above 0.
     */
    static Tensor conv2dReluMaxPool(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw,
                                    int pool, int poolStride) {
        if (pool <= 0 || poolStride <= 0) {
            throw new IllegalArgumentException("conv2d_relu_max_pool2d: pooling kernel and stride must be positive, got kernel "
                    + pool + ", stride " + poolStride);
        }
        if (pool * pool > FUSED_POOL_MAX) {
            throw new IllegalArgumentException("conv2d_relu_max_pool2d: pooling windows of up to " + FUSED_POOL_MAX
                    + " values, got " + pool + "×" + pool + "; use conv2d, relu and max_pool2d");
        }
        return conv2d(x, weight, bias, sh, sw, ph, pw, true, pool, poolStride);
    }

    /** conv2d, with a ReLU when {@code relu}, and then with max pooling when {@code pk > 0} (relu is then true). */
    private static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw, boolean relu, int pk, int ps) {
        if (x.shape.length != 4) throw new IllegalArgumentException("conv2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (weight.shape.length != 4) {
            throw new IllegalArgumentException("conv2d: weight must be [out, in, kh, kw], got " + Shapes.str(weight.shape));
        }
        int n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
        int o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3];
        if (weight.shape[1] != c) {
            throw new IllegalArgumentException("conv2d: input " + Shapes.str(x.shape) + " has " + c + " channels but weight "
                    + Shapes.str(weight.shape) + " expects " + weight.shape[1]);
        }
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != o)) {
            throw new IllegalArgumentException("conv2d: bias " + Shapes.str(bias.shape) + " does not match " + o + " output channels");
        }
        int ho = outSize("conv2d", h, kh, sh, ph), wo = outSize("conv2d", w, kw, sw, pw);
        int ckk = c * kh * kw, hw = ho * wo, chw = c * h * w;
        boolean pool = pk > 0;
        int pho = pool ? outSize("max_pool2d", ho, pk, ps, 0) : ho, pwo = pool ? outSize("max_pool2d", wo, pk, ps, 0) : wo;
        int ohw = pho * pwo;                                // the size of one output map
        // where each window's values lie in the map, in the order they are compared
        int[] winAt = new int[Math.max(1, pk * pk)];
        for (int i = 0; i < pk; i++) for (int j = 0; j < pk; j++) winAt[i * pk + j] = i * wo + j;
        byte[] win = pool ? new byte[n * o * ohw] : null;
        // The threads split the batch. Each unfolds a group of images side by side into its own
        // buffer (cols [C·kh·kw, G·Ho·Wo], about 2,048 columns: wide enough for an efficient
        // GEMM, small enough to stay in cache) and multiplies the weights by it; the group's
        // result [O, G·Ho·Wo] is copied into the images' output maps with the bias.
        int group = Math.max(1, Math.min(n, (GROUP_COLUMNS + hw - 1) / hw));
        float[] out = new float[n * o * ohw];               // [N, O, Ho·Wo], pooled when pool
        Parallel.forRange(n, 1, (s0, s1) -> {
            int gmax = Math.min(group, s1 - s0);
            float[] cols = scratch(0, ckk * gmax * hw), y = scratch(1, o * gmax * hw);
            for (int g0 = s0; g0 < s1; g0 += gmax) {
                int gn = Math.min(gmax, s1 - g0), ld = gn * hw;
                for (int s = 0; s < gn; s++) Unfold.im2col(x.data, (g0 + s) * chw, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, cols, s * hw, ld);
                Sgemm.sgemm(false, false, o, ld, ckk, 1f, weight.data, 0, ckk, cols, 0, ld, 0f, y, 0, ld);
                for (int s = 0; s < gn; s++) {
                    for (int oc = 0; oc < o; oc++) {
                        float bv = bias == null ? 0f : bias.data[oc];
                        int src = oc * ld + s * hw, dst = ((g0 + s) * o + oc) * ohw;
                        if (pool) {
                            VectorKernels.biasRelu(hw, y, src, bv, y, src);   // in place, vectorized; then pooled
                            maxPoolMap(y, src, wo, pk, ps, pho, pwo, winAt, out, win, dst);
                        }
                        else if (relu) VectorKernels.biasRelu(hw, y, src, bv, out, dst);
                        else VectorKernels.affine(hw, 1f, bv, y, src, out, dst);
                    }
                }
            }
        });
        int[] outShape = {n, o, pho, pwo};
        return Tensor.result(out, outShape, pool ? "conv2d_relu_max_pool2d" : relu ? "conv2d_relu" : "conv2d", g -> {
            boolean needW = weight.requiresGrad, needB = bias != null && bias.requiresGrad, needX = x.requiresGrad;
            float[] dx = needX ? new float[x.data.length] : null;
            // Each chunk of the batch sums its own dW (ChunkSums: the first into the gradient's
            // array, kept from the last step when it can be) and db; the partial sums are then added
            // in the order of the chunks, so a run gives the same bits every time.
            // When C·kh·kw outnumbers the output channels, each chunk sums dWᵀ = cols·Gᵀ: cols is then
            // packed by rows (AVX-512's transposes in registers) and only G by the scalar loop that
            // packs a transposed B, instead of all of cols. Only where the channels fill whole panels
            // of SGEMM's tile (AVX-512's 32 columns: the DCGAN's 128, W4's 64): AVX2's 24 leave a
            // third of the last panel of 128 empty, and there W9 was no faster (docs/benchmarks.md)
            boolean wT = transposedSum(ckk, o);
            ChunkSums dws = needW ? new ChunkSums(weight.gradArray(weight.data.length), o, ckk, wT) : null;
            TreeMap<Integer, float[]> partial = new TreeMap<>();
            // Wᵀ·G for as many images as fit in a core's L2 (512 KB here), then col2im while it is
            // still there: for the whole group at once (1.5 MB for W4's second layer) the GEMM's
            // stores and col2im's reads went to L3; alternating in one process, W4 steps 4–11% shorter
            int dxImages = Math.max(1, DX_FLOATS / (ckk * hw));
            // Wᵀ packed once for every one of those products (the DCGAN's 1,024 × 128 was packed again
            // for each pair of images: a quarter of their time)
            PackedA wt = needX ? Sgemm.packA(true, ckk, o, weight.data, 0, ckk) : null;
            Parallel.forRange(n, 1, (s0, s1) -> {
                if (s1 <= s0) return;                       // an empty batch: no chunk sums (ChunkSums gives zeros)
                int gmax = Math.min(group, s1 - s0);
                float[] gt = scratch(1, o * gmax * hw);     // the group's G as [O, G·Ho·Wo]
                float[] cols = needW ? scratch(0, ckk * gmax * hw) : null, dcols = needX ? scratch(2, ckk * gmax * hw) : null;
                float[] dw = needW ? dws.forChunk(s0) : null, db = needB ? new float[o] : null;
                for (int g0 = s0; g0 < s1; g0 += gmax) {
                    int gn = Math.min(gmax, s1 - g0), ld = gn * hw;
                    for (int s = 0; s < gn; s++) {
                        for (int oc = 0; oc < o; oc++) {
                            int src = ((g0 + s) * o + oc) * ohw;
                            if (pool) unpool(g.data, out, win, src, pho, pwo, ps * wo, ps, winAt, gt, oc * ld + s * hw, hw);
                            else if (relu) VectorKernels.reluMask(hw, g.data, src, out, src, gt, oc * ld + s * hw);
                            else System.arraycopy(g.data, src, gt, oc * ld + s * hw, hw);
                        }
                    }
                    if (needW) {                            // dW += G·colsᵀ (or dWᵀ += cols·Gᵀ)
                        for (int s = 0; s < gn; s++) Unfold.im2col(x.data, (g0 + s) * chw, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, cols, s * hw, ld);
                        float beta = g0 == s0 ? 0f : 1f;
                        if (wT) Sgemm.sgemm(false, true, ckk, o, ld, 1f, cols, 0, ld, gt, 0, ld, beta, dw, 0, o);
                        else Sgemm.sgemm(false, true, o, ckk, ld, 1f, gt, 0, ld, cols, 0, ld, beta, dw, 0, ckk);
                    }
                    if (needB) {
                        for (int oc = 0; oc < o; oc++) db[oc] += VectorKernels.sum(ld, gt, oc * ld);
                    }
                    if (needX) {                            // dx = col2im(Wᵀ·G), a few images at a time
                        for (int i0 = 0; i0 < gn; i0 += dxImages) {
                            int cnt = Math.min(dxImages, gn - i0), cl = cnt * hw;
                            Sgemm.sgemm(wt, false, cl, gt, i0 * hw, ld, 0f, dcols, 0, cl);
                            for (int s = 0; s < cnt; s++) Unfold.col2im(dcols, s * hw, cl, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, dx, (g0 + i0 + s) * chw);
                        }
                    }
                }
                if (needB) {
                    synchronized (partial) {
                        partial.put(s0, db);
                    }
                }
            });
            Tensor gw = needW ? Tensor.freshGrad(dws.sum(), weight.shape) : null, gb = null;
            if (needB) {
                float[] db = new float[o];
                for (float[] p : partial.values()) for (int oc = 0; oc < o; oc++) db[oc] += p[oc];
                gb = Tensor.freshGrad(db, bias.shape);
            }
            return new Tensor[] {needX ? Tensor.freshGrad(dx, x.shape) : null, gw, gb};
        }, x, weight, bias);
    }

    /** Whether a weight gradient [rows, cols] summed by chunks is better summed as its transpose (see conv2d's backward). */
    static boolean transposedSum(int cols, int rows) {
        return cols > rows && rows % Sgemm.NR == 0;
    }

    /**
     * One map of ReLU'd y (+0 and above, or NaN: no −0) max-pooled (no padding) into out from
     * {@code dst}, with each window's winner (its index in the window, row-major) in win: the
     * first maximum of the window wins, and a NaN wins, as {@link #maxPool2d} does.
     */
    private static void maxPoolMap(float[] y, int src, int wo, int pk, int ps, int pho, int pwo, int[] winAt,
                                   float[] out, byte[] win, int dst) {
        if (pk == 2 && ps == 2) {
            for (int py = 0; py < pho; py++) {
                int r0 = src + 2 * py * wo, r1 = r0 + wo, at = dst + py * pwo;
                for (int px = 0; px < pwo; px++) {
                    // On +0 and above the order of the bit patterns, as ints, is the order of the values,
                    // and NaNs, their sign bit cleared, lie above +∞: int max and int selects (cmov), no
                    // jumps (which value wins is data-dependent) and none of Math.max(float)'s NaN and −0
                    // handling (faster than the float form; docs/benchmarks.md). ConvTest checks ties and NaNs.
                    int i = r0 + 2 * px, j = r1 + 2 * px;
                    int b0 = Float.floatToRawIntBits(y[i]) & 0x7fffffff, b1 = Float.floatToRawIntBits(y[i + 1]) & 0x7fffffff;
                    int b2 = Float.floatToRawIntBits(y[j]) & 0x7fffffff, b3 = Float.floatToRawIntBits(y[j + 1]) & 0x7fffffff;
                    int k = b1 > b0 ? 1 : 0, top = Math.max(b0, b1);
                    k = b2 > top ? 2 : k;
                    top = Math.max(top, b2);
                    k = b3 > top ? 3 : k;
                    top = Math.max(top, b3);
                    float best = Float.intBitsToFloat(top);
                    if (top > 0x7f800000) {   // a NaN: the first one wins, whatever its sign and payload
                        k = Float.isNaN(y[i]) ? 0 : Float.isNaN(y[i + 1]) ? 1 : Float.isNaN(y[j]) ? 2 : 3;
                        best = y[k < 2 ? i + k : j + k - 2];
                    }
                    out[at + px] = best;
                    win[at + px] = (byte) k;
                }
            }
            return;
        }
        for (int py = 0; py < pho; py++) {
            for (int px = 0; px < pwo; px++) {
                int base = src + py * ps * wo + px * ps, k = 0;
                float best = y[base];
                for (int q = 1; q < pk * pk && best == best; q++) {
                    float v = y[base + winAt[q]];
                    if (v > best || v != v) {
                        best = v;
                        k = q;
                    }
                }
                out[dst + py * pwo + px] = best;
                win[dst + py * pwo + px] = (byte) k;
            }
        }
    }

    /**
     * The adjoint of the ReLU and {@link #maxPoolMap} for one map: gt[gtOff, gtOff + hw) cleared, then each
     * window's gradient added at its winner where the pooled value is above 0 (the ReLU's slope).
     */
    private static void unpool(float[] g, float[] out, byte[] win, int src, int pho, int pwo, int rowStep, int ps, int[] winAt,
                               float[] gt, int gtOff, int hw) {
        Arrays.fill(gt, gtOff, gtOff + hw, 0f);
        for (int py = 0; py < pho; py++) {
            int row = gtOff + py * rowStep, at = src + py * pwo;
            for (int px = 0; px < pwo; px++) {
                // g where the pooled value is above 0, else +0 (adding +0 changes nothing here), as a
                // bit mask rather than a jump: about half the windows of a ReLU'd map are 0
                int bits = Float.floatToRawIntBits(out[at + px]);
                int keep = bits > 0 && bits < 0x7f800001 ? -1 : 0;   // above +0, not NaN
                gt[row + px * ps + winAt[win[at + px]]] += Float.intBitsToFloat(Float.floatToRawIntBits(g[at + px]) & keep);
            }
        }
    }
}
