package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;

/** Max and average pooling on NCHW tensors, forward and backward side by side (convolution's own fused pooling is in {@link ConvOps}). */
final class PoolOps {
    private PoolOps() {}

    /** Max over each kh×kw window (padding counts as −∞); dL/dx goes to each window's first maximum. */
    static Tensor maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (x.shape.length != 4) throw new IllegalArgumentException("max_pool2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (ph * 2 > kh || pw * 2 > kw) throw new IllegalArgumentException("max_pool2d: padding must be at most half the kernel size");
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
        int ho = ConvOps.outSize("max_pool2d", h, kh, sh, ph), wo = ConvOps.outSize("max_pool2d", w, kw, sw, pw);
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
        if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) {
            maxPool2x2(x, base, w, pl, ho, wo, out, arg);
            return;
        }
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

    /**
     * The common case, 2×2 windows at stride 2 without padding, with no bounds tests: the same
     * result as the general loop (the first maximum in row-major order; a NaN wins; ConvTest
     * checks ties and NaNs).
     */
    private static void maxPool2x2(float[] x, int base, int w, int pl, int ho, int wo, float[] out, int[] arg) {
        for (int oy = 0; oy < ho; oy++) {
            int r0 = base + 2 * oy * w, r1 = r0 + w, at = (pl * ho + oy) * wo;
            for (int ox = 0; ox < wo; ox++) {
                // Which of four values wins is data-dependent, so jumps mispredict: the running
                // maximum is Math.max (maxss) and the index an int select (cmov), and the output is
                // read back at the index, which keeps the first of equal values (−0 before +0 too).
                // Twice as fast as compare-and-jump; a NaN (Math.max passes it on) takes the rule's path.
                int i = r0 + 2 * ox, j = r1 + 2 * ox;
                float best = x[i], v = x[i + 1];
                int bi = v > best ? i + 1 : i;
                best = Math.max(best, v);
                v = x[j];
                bi = v > best ? j : bi;
                best = Math.max(best, v);
                v = x[j + 1];
                bi = v > best ? j + 1 : bi;
                best = Math.max(best, v);
                if (best != best) bi = Float.isNaN(x[i]) ? i : Float.isNaN(x[i + 1]) ? i + 1 : Float.isNaN(x[j]) ? j : j + 1;   // the first NaN
                out[at + ox] = x[bi];
                arg[at + ox] = bi;
            }
        }
    }

    /** Mean over each kh×kw window, padding counted as zeros (PyTorch's count_include_pad); dL/dx = g/(kh·kw) spread over the window. */
    static Tensor avgPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        if (x.shape.length != 4) throw new IllegalArgumentException("avg_pool2d: input must be [N, C, H, W], got " + Shapes.str(x.shape));
        if (ph * 2 > kh || pw * 2 > kw) throw new IllegalArgumentException("avg_pool2d: padding must be at most half the kernel size");
        int planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
        int ho = ConvOps.outSize("avg_pool2d", h, kh, sh, ph), wo = ConvOps.outSize("avg_pool2d", w, kw, sw, pw);
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
