package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.Sgemm;

import java.util.Arrays;

/**
 * 2-D convolution and pooling on NCHW tensors: forward and backward side by side.
 * Convolution unfolds the images of a batch into columns side by side (im2col) so that one
 * GEMM computes every output channel at every position of every image:
 * Y[O, N·Ho·Wo] = W[O, C·kh·kw] · cols[C·kh·kw, N·Ho·Wo], then + b. Each filter spans all
 * input channels and their products are summed into one feature map.
 */
final class ConvOps {
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
     * cols[(c·kh + i)·kw + j][colOff + oy·Wo + ox] = x[c][oy·s − p + i][ox·s − p + j] (0 outside);
     * rows of cols are {@code ld} long, so the images of a batch sit side by side.
     */
    private static void im2col(float[] x, int xOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                               int ho, int wo, float[] cols, int colOff, int ld) {
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * ld + colOff;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * sh - ph + i;
                        int dst = row + oy * wo;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, dst, dst + wo, 0f);
                            continue;
                        }
                        int src = xOff + (ch * h + iy) * w;
                        for (int ox = 0; ox < wo; ox++) {
                            int ix = ox * sw - pw + j;
                            cols[dst + ox] = ix >= 0 && ix < w ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of im2col: adds each column entry back to the pixel it came from. */
    private static void col2im(float[] cols, int colOff, int ld, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                               int ho, int wo, float[] dx, int dxOff) {
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * ld + colOff;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * sh - ph + i;
                        if (iy < 0 || iy >= h) continue;
                        int dst = dxOff + (ch * h + iy) * w;
                        for (int ox = 0; ox < wo; ox++) {
                            int ix = ox * sw - pw + j;
                            if (ix >= 0 && ix < w) dx[dst + ix] += cols[row + oy * wo + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * x [N, C, H, W], weight [O, C, kh, kw], bias [O] or null → [N, O, Ho, Wo].
     * dL/dW = Σₙ G[n]·cols[n]ᵀ, dL/db = Σ over n and positions of G, dL/dx = col2im(Wᵀ·G[n]).
     */
    static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
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
        int ckk = c * kh * kw, hw = ho * wo, nhw = n * hw;
        // the whole batch unfolded side by side: cols [C·kh·kw, N·Ho·Wo], so one GEMM does it all
        float[] cols = new float[ckk * nhw];
        Parallel.forRange(n, 1, (s0, s1) -> {
            for (int s = s0; s < s1; s++) im2col(x.data, s * c * h * w, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, cols, s * hw, nhw);
        });
        float[] y = new float[o * nhw];                     // [O, N·Ho·Wo]
        Sgemm.sgemm(false, false, o, nhw, ckk, 1f, weight.data, 0, ckk, cols, 0, nhw, 0f, y, 0, nhw);
        float[] out = new float[n * o * hw];                // [N, O, Ho·Wo]
        for (int s = 0; s < n; s++) {
            for (int oc = 0; oc < o; oc++) {
                int dst = (s * o + oc) * hw, src = oc * nhw + s * hw;
                float bv = bias == null ? 0f : bias.data[oc];
                for (int k2 = 0; k2 < hw; k2++) out[dst + k2] = y[src + k2] + bv;
            }
        }
        int[] outShape = {n, o, ho, wo};
        return Tensor.result(out, outShape, "conv2d", g -> {
            Tensor gx = null, gw = null, gb = null;
            float[] gt = new float[o * nhw];                // G as [O, N·Ho·Wo], like y
            for (int s = 0; s < n; s++) {
                for (int oc = 0; oc < o; oc++) System.arraycopy(g.data, (s * o + oc) * hw, gt, oc * nhw + s * hw, hw);
            }
            if (weight.requiresGrad) {                      // dW = G·colsᵀ
                float[] dw = new float[weight.data.length];
                Sgemm.sgemm(false, true, o, ckk, nhw, 1f, gt, 0, nhw, cols, 0, nhw, 0f, dw, 0, ckk);
                gw = new Tensor(dw, weight.shape);
            }
            if (bias != null && bias.requiresGrad) {
                float[] db = new float[o];
                for (int oc = 0; oc < o; oc++) db[oc] = dev.glassbox.kernels.VectorKernels.sum(nhw, gt, oc * nhw);
                gb = new Tensor(db, bias.shape);
            }
            if (x.requiresGrad) {                           // dx = col2im(Wᵀ·G)
                float[] dcols = new float[ckk * nhw];
                Sgemm.sgemm(true, false, ckk, nhw, o, 1f, weight.data, 0, ckk, gt, 0, nhw, 0f, dcols, 0, nhw);
                float[] dx = new float[x.data.length];
                Parallel.forRange(n, 1, (s0, s1) -> {
                    for (int s = s0; s < s1; s++) col2im(dcols, s * hw, nhw, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, dx, s * c * h * w);
                });
                gx = new Tensor(dx, x.shape);
            }
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }

    /**
     * Transposed convolution, the adjoint of {@link #conv2d}'s input gradient: x [N, Cin, H, W],
     * weight [Cin, Cout, kh, kw] (PyTorch's layout), bias [Cout] or null → [N, Cout, Ho, Wo] with
     * Ho = (H − 1)·s − 2p + kh. Each input pixel scatters its weighted kernel into the output:
     * cols = Wᵀ·X, then col2im. Backward: dX = W·im2col(G), dW = X·im2col(G)ᵀ, db = Σ G.
     */
    static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
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
        int ho = (h - 1) * sh - 2 * ph + kh, wo = (w - 1) * sw - 2 * pw + kw;
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
            for (int s = s0; s < s1; s++) col2im(cols, s * hw, nhw, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, out, s * cout * ohw);
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
            float[] gcols = new float[ckk * nhw];           // im2col(G) with the same geometry: [Cout·kh·kw, N·H·W]
            Parallel.forRange(n, 1, (s0, s1) -> {
                for (int s = s0; s < s1; s++) im2col(g.data, s * cout * ohw, cout, ho, wo, kh, kw, sh, sw, ph, pw, h, w, gcols, s * hw, nhw);
            });
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad) {                           // dX = W·im2col(G) : [Cin, N·H·W]
                float[] dxt = new float[cin * nhw];
                Sgemm.sgemm(false, false, cin, nhw, ckk, 1f, weight.data, 0, ckk, gcols, 0, nhw, 0f, dxt, 0, nhw);
                float[] dx = new float[x.data.length];
                for (int s = 0; s < n; s++) {
                    for (int c = 0; c < cin; c++) System.arraycopy(dxt, c * nhw + s * hw, dx, (s * cin + c) * hw, hw);
                }
                gx = new Tensor(dx, x.shape);
            }
            if (weight.requiresGrad) {                      // dW = X·im2col(G)ᵀ : [Cin, Cout·kh·kw]
                float[] dw = new float[weight.data.length];
                Sgemm.sgemm(false, true, cin, ckk, nhw, 1f, xt, 0, nhw, gcols, 0, nhw, 0f, dw, 0, ckk);
                gw = new Tensor(dw, weight.shape);
            }
            if (bias != null && bias.requiresGrad) {
                float[] db = new float[cout];
                for (int s = 0; s < n; s++) {
                    for (int oc = 0; oc < cout; oc++) db[oc] += dev.glassbox.kernels.VectorKernels.sum(ohw, g.data, (s * cout + oc) * ohw);
                }
                gb = new Tensor(db, bias.shape);
            }
            return new Tensor[] {gx, gw, gb};
        }, x, weight, bias);
    }

    /** Max over each kh×kw window (padding counts as −∞); dL/dx goes to each window's first maximum. */
    static Tensor maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (x.shape.length != 4) throw new IllegalArgumentException("max_pool2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (ph * 2 > kh || pw * 2 > kw) throw new IllegalArgumentException("max_pool2d: padding must be at most half the kernel size");
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
        int ho = outSize("max_pool2d", h, kh, sh, ph), wo = outSize("max_pool2d", w, kw, sw, pw);
        float[] out = new float[planes * ho * wo];
        int[] arg = new int[out.length];
        Parallel.forRange(planes, 1, (p0, p1) -> {
            for (int pl = p0; pl < p1; pl++) maxPoolPlane(x.data, pl, h, w, kh, kw, sh, sw, ph, pw, ho, wo, out, arg);
        });
        int[] outShape = {x.shape[0], x.shape[1], ho, wo};
        int per = ho * wo;
        return Tensor.result(out, outShape, "max_pool2d", g -> {
            float[] dx = new float[x.data.length];
            // each plane's maxima lie in that plane, so planes can be scattered in parallel
            Parallel.forRange(planes, 1, (p0, p1) -> {
                for (int i = p0 * per; i < p1 * per; i++) dx[arg[i]] += g.data[i];
            });
            return new Tensor[] {new Tensor(dx, x.shape)};
        }, x);
    }

    /** One plane of max pooling; arg keeps the flat position of each window's first maximum. */
    private static void maxPoolPlane(float[] x, int pl, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                     int ho, int wo, float[] out, int[] arg) {
        int base = pl * h * w;
        for (int oy = 0; oy < ho; oy++) {
            for (int ox = 0; ox < wo; ox++) {
                float best = Float.NEGATIVE_INFINITY;
                int bi = -1;
                boolean nan = false;
                for (int i = 0; i < kh && !nan; i++) {
                    int iy = oy * sh - ph + i;
                    if (iy < 0 || iy >= h) continue;
                    for (int j = 0; j < kw; j++) {
                        int ix = ox * sw - pw + j;
                        if (ix < 0 || ix >= w) continue;
                        float v = x[base + iy * w + ix];
                        if (bi < 0 || v > best || v != v) {
                            best = v;
                            bi = base + iy * w + ix;
                            if (v != v) {
                                nan = true;   // NaN wins, as in PyTorch
                                break;
                            }
                        }
                    }
                }
                int at = (pl * ho + oy) * wo + ox;
                out[at] = best;
                arg[at] = bi;
            }
        }
    }

    /** Mean over each kh×kw window, padding counted as zeros (PyTorch's count_include_pad); dL/dx = g/(kh·kw) spread over the window. */
    static Tensor avgPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (x.shape.length != 4) throw new IllegalArgumentException("avg_pool2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (ph * 2 > kh || pw * 2 > kw) throw new IllegalArgumentException("avg_pool2d: padding must be at most half the kernel size");
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
        int ho = outSize("avg_pool2d", h, kh, sh, ph), wo = outSize("avg_pool2d", w, kw, sw, pw);
        float inv = 1f / (kh * kw);
        float[] out = new float[planes * ho * wo];
        for (int pl = 0; pl < planes; pl++) {
            for (int oy = 0; oy < ho; oy++) {
                for (int ox = 0; ox < wo; ox++) {
                    float s = 0f;
                    for (int i = 0; i < kh; i++) {
                        int iy = oy * sh - ph + i;
                        if (iy < 0 || iy >= h) continue;
                        for (int j = 0; j < kw; j++) {
                            int ix = ox * sw - pw + j;
                            if (ix >= 0 && ix < w) s += x.data[(pl * h + iy) * w + ix];
                        }
                    }
                    out[(pl * ho + oy) * wo + ox] = s * inv;
                }
            }
        }
        int[] outShape = {x.shape[0], x.shape[1], ho, wo};
        return Tensor.result(out, outShape, "avg_pool2d", g -> {
            float[] dx = new float[x.data.length];
            for (int pl = 0; pl < planes; pl++) {
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++) {
                        float v = g.data[(pl * ho + oy) * wo + ox] * inv;
                        for (int i = 0; i < kh; i++) {
                            int iy = oy * sh - ph + i;
                            if (iy < 0 || iy >= h) continue;
                            for (int j = 0; j < kw; j++) {
                                int ix = ox * sw - pw + j;
                                if (ix >= 0 && ix < w) dx[(pl * h + iy) * w + ix] += v;
                            }
                        }
                    }
                }
            }
            return new Tensor[] {new Tensor(dx, x.shape)};
        }, x);
    }
}
