package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.VectorKernels;

import java.util.TreeMap;

/** Transposed convolution on NCHW tensors (the DCGAN generator's layer), built on {@link Unfold}'s im2col and col2im. */
final class ConvTransposeOps {
    private ConvTransposeOps() {}

    /**
     * Transposed convolution, the adjoint of {@link ConvOps#conv2d}'s input gradient: x [N, Cin, H, W],
     * weight [Cin, Cout, kh, kw] (PyTorch's layout), bias [Cout] or null → [N, Cout, Ho, Wo] with
     * Ho = (H − 1)·s − 2p + kh. Each input pixel scatters its weighted kernel into the output:
     * cols = Wᵀ·X, then col2im. Backward: dX = W·Unfold.im2col(G), dW = X·Unfold.im2col(G)ᵀ, db = Σ G.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        return convTranspose2d(x, weight, bias, sh, sw, ph, pw, 0, 0);
    }

    /**
     * As above with PyTorch's {@code output_padding} (oph, opw): the output grows by that many rows
     * and columns at the bottom and right, Ho = (H − 1)·s − 2p + kh + oph (each below its stride),
     * which pick the size when several input sizes map to one output of the forward convolution.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw, int oph, int opw) {
        if (x.shape.length != 4) throw new IllegalArgumentException("conv_transpose2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (weight.shape.length != 4 || weight.shape[0] != x.shape[1]) {
            throw new IllegalArgumentException("conv_transpose2d: weight " + Shapes.str(weight.shape) + " must be [in, out, kh, kw] with in = "
                    + x.shape[1] + " (the input's channels)");
        }
        int n = x.shape[0], cin = x.shape[1], h = x.shape[2], w = x.shape[3];
        int cout = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3];
        if (bias != null && (bias.shape.length != 1 || bias.shape[0] != cout)) {
            throw new IllegalArgumentException("conv_transpose2d: bias " + Shapes.str(bias.shape) + " does not match " + cout + " output channels");
        }
        if (sh <= 0 || sw <= 0 || ph < 0 || pw < 0) throw new IllegalArgumentException("conv_transpose2d: stride must be positive and padding non-negative");
        if (oph < 0 || opw < 0 || oph >= sh || opw >= sw) {
            throw new IllegalArgumentException("conv_transpose2d: output padding (" + oph + ", " + opw + ") must be at least 0 and smaller than the stride ("
                    + sh + ", " + sw + ")");
        }
        int ho = (h - 1) * sh - 2 * ph + kh + oph, wo = (w - 1) * sw - 2 * pw + kw + opw;
        if (ho <= 0 || wo <= 0) throw new IllegalArgumentException("conv_transpose2d: padding " + ph + " leaves no output for input " + Shapes.str(x.shape));
        int hw = h * w, ckk = cout * kh * kw, ohw = ho * wo, xImage = cin * hw, oImage = cout * ohw;
        // The threads split the batch. Each takes a group of images at a time (about 2,048 input
        // positions side by side, as ConvOps does): X of the group as [Cin, G·H·W] and the
        // columns Wᵀ·X [Cout·kh·kw, G·H·W] in its own scratch arrays, then col2im into the
        // images' outputs. A whole batch's columns at once (12.8 MB for the DCGAN's first layer,
        // and as much again for the gradient's) were new arrays every call, and left the cache.
        int group = Math.max(1, Math.min(n, (ConvOps.GROUP_COLUMNS + hw - 1) / hw));
        float[] out = new float[n * oImage];
        Parallel.forRange(n, 1, (s0, s1) -> {
            int gmax = Math.min(group, s1 - s0);
            float[] xt = ConvOps.scratch(0, cin * gmax * hw), cols = ConvOps.scratch(1, ckk * gmax * hw);
            for (int g0 = s0; g0 < s1; g0 += gmax) {
                int gn = Math.min(gmax, s1 - g0), ld = gn * hw;
                gather(x.data, g0, gn, cin, hw, xt);
                Sgemm.sgemm(true, false, ckk, ld, cin, 1f, weight.data, 0, ckk, xt, 0, ld, 0f, cols, 0, ld);
                for (int s = 0; s < gn; s++) {
                    int at = (g0 + s) * oImage;
                    Unfold.col2im(cols, s * hw, ld, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, out, at);
                    if (bias != null) {
                        for (int oc = 0; oc < cout; oc++) VectorKernels.affine(ohw, 1f, bias.data[oc], out, at + oc * ohw, out, at + oc * ohw);
                    }
                }
            }
        });
        int[] outShape = {n, cout, ho, wo};
        return Tensor.result(out, outShape, "conv_transpose2d", g -> {
            boolean needX = x.requiresGrad, needW = weight.requiresGrad, needB = bias != null && bias.requiresGrad;
            float[] dx = needX ? new float[x.data.length] : null;
            // Each chunk of the batch sums its own dW (ChunkSums: the first into the gradient's
            // array, kept from the last step when it can be) and db; the partial sums are then added
            // in the order of the chunks, so a run gives the same bits every time.
            boolean wT = ConvOps.transposedSum(ckk, cin);   // each chunk sums dWᵀ where that packs less (as ConvOps does)
            ChunkSums dws = needW ? new ChunkSums(weight.gradArray(weight.data.length), cin, ckk, wT) : null;
            TreeMap<Integer, float[]> partial = new TreeMap<>();
            Parallel.forRange(n, 1, (s0, s1) -> {
                if (s1 <= s0) return;                       // an empty batch: no chunk sums (ChunkSums gives zeros)
                int gmax = Math.min(group, s1 - s0);
                float[] gcols = ConvOps.scratch(1, ckk * gmax * hw);   // im2col(G) with the same geometry: [Cout·kh·kw, G·H·W]
                float[] xt = needW ? ConvOps.scratch(0, cin * gmax * hw) : null, dxt = needX ? ConvOps.scratch(2, cin * gmax * hw) : null;
                float[] dw = needW ? dws.forChunk(s0) : null, db = needB ? new float[cout] : null;
                for (int g0 = s0; g0 < s1; g0 += gmax) {
                    int gn = Math.min(gmax, s1 - g0), ld = gn * hw;
                    for (int s = 0; s < gn; s++) {
                        Unfold.im2col(g.data, (g0 + s) * oImage, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, gcols, s * hw, ld);
                        if (needB) for (int oc = 0; oc < cout; oc++) db[oc] += VectorKernels.sum(ohw, g.data, (g0 + s) * oImage + oc * ohw);
                    }
                    if (needX) {                            // dX = W·im2col(G) : [Cin, G·H·W]
                        Sgemm.sgemm(false, false, cin, ld, ckk, 1f, weight.data, 0, ckk, gcols, 0, ld, 0f, dxt, 0, ld);
                        for (int s = 0; s < gn; s++) {
                            for (int c = 0; c < cin; c++) System.arraycopy(dxt, c * ld + s * hw, dx, (g0 + s) * xImage + c * hw, hw);
                        }
                    }
                    if (needW) {                            // dW += X·im2col(G)ᵀ : [Cin, Cout·kh·kw]
                        gather(x.data, g0, gn, cin, hw, xt);
                        float beta = g0 == s0 ? 0f : 1f;
                        if (wT) Sgemm.sgemm(false, true, ckk, cin, ld, 1f, gcols, 0, ld, xt, 0, ld, beta, dw, 0, cin);
                        else Sgemm.sgemm(false, true, cin, ckk, ld, 1f, xt, 0, ld, gcols, 0, ld, beta, dw, 0, ckk);
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
                float[] db = new float[cout];
                for (float[] p : partial.values()) for (int oc = 0; oc < cout; oc++) db[oc] += p[oc];
                gb = Tensor.freshGrad(db, bias.shape);
            }
            return new Tensor[] {needX ? Tensor.freshGrad(dx, x.shape) : null, gw, gb};
        }, x, weight, bias);
    }

    /** Images [g0, g0 + gn) of x [N, Cin, H·W] as [Cin, gn·H·W]: each channel's maps side by side. */
    private static void gather(float[] x, int g0, int gn, int cin, int hw, float[] xt) {
        int ld = gn * hw;
        for (int s = 0; s < gn; s++) {
            for (int c = 0; c < cin; c++) System.arraycopy(x, ((g0 + s) * cin + c) * hw, xt, c * ld + s * hw, hw);
        }
    }
}
