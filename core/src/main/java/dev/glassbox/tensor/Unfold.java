package dev.glassbox.tensor;

import dev.glassbox.kernels.LayerKernels;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A convolution's unfolding (im2col) and its adjoint (col2im) for one image: the columns
 * {@link ConvOps} and {@link ConvTransposeOps} multiply by their weights.
 */
final class Unfold {
    private Unfold() {}

    /** Per thread, a zero-padded copy of one image for {@link #im2colStrided}; contents undefined. */
    private static final ThreadLocal<float[][]> PADDED = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] padded(int n) {
        float[][] s = PADDED.get();
        if (s[0].length < n) s[0] = new float[n];
        return s[0];
    }

    /** Tables kept per thread: a DCGAN step unfolds and folds back four strided geometries in turn. */
    private static final int KEPT = 4;
    private static final ThreadLocal<Object[]> UNFOLDINGS = ThreadLocal.withInitial(() -> new Object[2 * KEPT]);
    private static final ThreadLocal<Object[]> FOLDINGS = ThreadLocal.withInitial(() -> new Object[2 * KEPT]);

    /** The calling thread's table for {@code key}, made by {@code make} when it is not among the last {@link #KEPT}. */
    @SuppressWarnings("unchecked")
    private static <T> T recent(ThreadLocal<Object[]> cache, int[] key, Function<int[], T> make) {
        Object[] c = cache.get();
        for (int i = 0; i < c.length; i += 2) if (c[i] != null && Arrays.equals((int[]) c[i], key)) return (T) c[i + 1];
        T t = make.apply(key);
        System.arraycopy(c, 0, c, 2, c.length - 2);   // the newest first, the oldest dropped
        c[0] = key;
        c[1] = t;
        return t;
    }

    /**
     * Where each value of a strided im2col comes from, for an image zero-padded to rows of
     * {@code wp}: index[(i·kw + j)·Ho·Wo + oy·Wo + ox] = (oy·sh + i)·wp + ox·sw + j.
     */
    private static int[] unfolding(int kh, int kw, int sh, int sw, int ho, int wo, int wp) {
        return recent(UNFOLDINGS, new int[] {kh, kw, sh, sw, ho, wo, wp}, key -> {
            int hw = ho * wo;
            int[] index = new int[kh * kw * hw];
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) index[(i * kw + j) * hw + oy * wo + ox] = (oy * sh + i) * wp + ox * sw + j;
                    }
                }
            }
            return index;
        });
    }

    /**
     * A strided col2im's table, pixel by pixel: each pixel of an image [H, W] receives at most
     * {@code slots} = ⌈kh/sh⌉·⌈kw/sw⌉ column entries (4 for a 4×4 kernel of stride 2), slot
     * (a, b) the entry of kernel row i = (y + ph) mod sh + a·sh and column j likewise, so the slots
     * go in the (i, j) order the row-by-row loop added them in: the same sums, bit for bit.
     * index[r·H·W + y·W + x] is that entry's place in one channel's rows of cols
     * ((i·kw + j)·ld + oy·Wo + ox), 0 where the slot is not {@code valid}.
     */
    private record Folding(int slots, int[] index, boolean[] valid) {
        static Folding of(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int ho, int wo, int ld) {
            return recent(FOLDINGS, new int[] {h, w, kh, kw, sh, sw, ph, pw, ho, wo, ld}, key -> make(h, w, kh, kw, sh, sw, ph, pw, ho, wo, ld));
        }

        private static Folding make(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int ho, int wo, int ld) {
            int ry = Math.ceilDiv(kh, sh), rx = Math.ceilDiv(kw, sw), slots = ry * rx, hw = h * w;
            int[] index = new int[slots * hw];
            boolean[] valid = new boolean[slots * hw];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int e = y * w + x;
                    for (int a = 0; a < ry; a++) {
                        for (int b = 0; b < rx; b++) {
                            int i = (y + ph) % sh + a * sh, j = (x + pw) % sw + b * sw;
                            int oy = (y + ph - i) / sh, ox = (x + pw - j) / sw, at = (a * rx + b) * hw + e;
                            if (i < kh && j < kw && y + ph >= i && x + pw >= j && oy < ho && ox < wo) {
                                index[at] = (i * kw + j) * ld + oy * wo + ox;
                                valid[at] = true;
                            }
                        }
                    }
                }
            }
            return new Folding(slots, index, valid);
        }
    }

    /**
     * cols[(c·kh + i)·kw + j][colOff + oy·Wo + ox] = x[c][oy·s − p + i][ox·s − p + j] (0 outside);
     * rows of cols are {@code ld} long, so the images of a batch sit side by side.
     */
    static void im2col(float[] x, int xOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                               int ho, int wo, float[] cols, int colOff, int ld) {
        if (sw > 1) {
            im2colStrided(x, xOff, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, cols, colOff, ld);
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * ld + colOff;
                    // the output columns whose input column ox·sw − pw + j lies inside the image
                    int lo = validFrom(j, sw, pw), hi = validTo(j, sw, pw, w, wo);
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * sh - ph + i;
                        int dst = row + oy * wo;
                        if (iy < 0 || iy >= h || lo >= hi) {
                            Arrays.fill(cols, dst, dst + wo, 0f);
                            continue;
                        }
                        if (lo > 0) Arrays.fill(cols, dst, dst + lo, 0f);
                        if (hi < wo) Arrays.fill(cols, dst + hi, dst + wo, 0f);
                        int src = xOff + (ch * h + iy) * w - pw + j;
                        System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);   // sw is 1 here
                    }
                }
            }
        }
    }

    /**
     * {@link #im2col} when the columns are strided: the image is copied zero-padded (so no value
     * needs a bounds test), then each row of cols is one gather by a table made once per geometry.
     * Row by row, the strided copies were runs of a few values (7 for the DCGAN's 4×4, stride 2
     * convolution of 14×14 maps), ~1.2 ns a value; this is ~0.45 on AVX-512.
     */
    private static void im2colStrided(float[] x, int xOff, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                                      int ho, int wo, float[] cols, int colOff, int ld) {
        int hp = h + 2 * ph, wp = w + 2 * pw, plane = hp * wp, hw = ho * wo, kk = kh * kw;
        float[] xp = padded(c * plane);
        Arrays.fill(xp, 0, c * plane, 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) System.arraycopy(x, xOff + (ch * h + y) * w, xp, ch * plane + (y + ph) * wp + pw, w);
        }
        int[] index = unfolding(kh, kw, sh, sw, ho, wo, wp);
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < kk; q++) LayerKernels.gather(hw, xp, ch * plane, index, q * hw, cols, (ch * kk + q) * ld + colOff);
        }
    }

    /** The first output column whose input column ox·sw − pw + j is at least 0. */
    private static int validFrom(int j, int sw, int pw) {
        return Math.max(0, Math.ceilDiv(pw - j, sw));
    }

    /** One past the last output column whose input column ox·sw − pw + j is below w. */
    private static int validTo(int j, int sw, int pw, int w, int wo) {
        return Math.min(wo, Math.floorDiv(w - 1 + pw - j, sw) + 1);
    }

    /** The adjoint of im2col: adds each column entry back to the pixel it came from. */
    static void col2im(float[] cols, int colOff, int ld, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
                               int ho, int wo, float[] dx, int dxOff) {
        if (sw > 1) {
            Folding f = Folding.of(h, w, kh, kw, sh, sw, ph, pw, ho, wo, ld);
            int hw = h * w, kk = kh * kw;
            for (int ch = 0; ch < c; ch++) {
                LayerKernels.gatherSum(hw, f.slots, cols, ch * kk * ld + colOff, f.index, f.valid, dx, dxOff + ch * hw);
            }
            return;
        }
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = ((ch * kh + i) * kw + j) * ld + colOff;
                    int lo = validFrom(j, sw, pw), hi = validTo(j, sw, pw, w, wo);
                    for (int oy = 0; oy < ho && lo < hi; oy++) {
                        int iy = oy * sh - ph + i;
                        if (iy < 0 || iy >= h) continue;
                        int dst = dxOff + (ch * h + iy) * w - pw + j, src = row + oy * wo;
                        // sw is 1 here. Runs are short (11 values for W4's second layer): an explicit vector
                        // loop beat C2's own vectorization, whose alignment pre-loop left them scalar
                        VectorKernels.axpy(hi - lo, 1f, cols, src + lo, dx, dst + lo);
                    }
                }
            }
        }
    }
}
