package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.VectorKernels;

/** Transposed convolution on NCHW tensors (the DCGAN generator's layer), built on {@link ConvOps}' im2col and col2im. */
final class ConvTransposeOps {
    private ConvTransposeOps() {}

    /**
     * Transposed convolution, the adjoint of {@link ConvOps#conv2d}'s input gradient: x [N, Cin, H, W],
     * weight [Cin, Cout, kh, kw] (PyTorch's layout), bias [Cout] or null → [N, Cout, Ho, Wo] with
     * Ho = (H − 1)·s − 2p + kh. Each input pixel scatters its weighted kernel into the output:
     * cols = Wᵀ·X, then col2im. Backward: dX = W·ConvOps.im2col(G), dW = X·ConvOps.im2col(G)ᵀ, db = Σ G.
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
        int hw = h * w, nhw = n * hw, ckk = cout * kh * kw, ohw = ho * wo;
        float[] xt = new float[cin * nhw];                  // X as [Cin, N·H·W]
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < cin; c++) System.arraycopy(x.data, (s * cin + c) * hw, xt, c * nhw + s * hw, hw);
        }
        float[] cols = new float[ckk * nhw];                // Wᵀ·X : [Cout·kh·kw, N·H·W]
        Sgemm.sgemm(true, false, ckk, nhw, cin, 1f, weight.data, 0, ckk, xt, 0, nhw, 0f, cols, 0, nhw);
        float[] out = new float[n * cout * ohw];
        Parallel.forRange(n, 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) ConvOps.col2im(cols, s * hw, nhw, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, out, s * cout * ohw);
        });
        if (bias != null) {
            for (int s = 0; s < n; s++) {
                for (int oc = 0; oc < cout; oc++) {
                    int at = (s * cout + oc) * ohw;
                    for (int k2 = 0; k2 < ohw; k2++) out[at + k2] += bias.data[oc];
                }
            }
        }
        int[] outShape = {n, cout, ho, wo};
        return Tensor.result(out, outShape, "conv_transpose2d", g -> {
            float[] gcols = new float[ckk * nhw];           // ConvOps.im2col(G) with the same geometry: [Cout·kh·kw, N·H·W]
            Parallel.forRange(n, 1, (s0, s1) -> {
                for (int s = s0; s < s1; s++) ConvOps.im2col(g.data, s * cout * ohw, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, gcols, s * hw, nhw);
            });
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad) {                           // dX = W·ConvOps.im2col(G) : [Cin, N·H·W]
                float[] dxt = new float[cin * nhw];
                Sgemm.sgemm(false, false, cin, nhw, ckk, 1f, weight.data, 0, ckk, gcols, 0, nhw, 0f, dxt, 0, nhw);
                float[] dx = new float[x.data.length];
                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < cin; c++) System.arraycopy(dxt, c * nhw + s * hw, dx, (s * cin + c) * hw, hw);
                }
                gx = Tensor.freshGrad(dx, x.shape);
            }
            if (weight.requiresGrad) {                      // dW = X·ConvOps.im2col(G)ᵀ : [Cin, Cout·kh·kw]
                float[] dw = new float[weight.data.length];
                Sgemm.sgemm(false, true, cin, ckk, nhw, 1f, xt, 0, nhw, gcols, 0, nhw, 0f, dw, 0, ckk);
                gw = Tensor.freshGrad(dw, weight.shape);
            }
            if (bias != null && bias.requiresGrad) {
                float[] db = new float[cout];
                for (int s = 0; s < n; s++) {
                    for (int oc = 0; oc < cout; oc++) db[oc] += VectorKernels.sum(ohw, g.data, (s * cout + oc) * ohw);
                }
                gb = Tensor.freshGrad(db, bias.shape);
            }
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }
}
