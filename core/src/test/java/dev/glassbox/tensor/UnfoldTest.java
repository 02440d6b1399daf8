package dev.glassbox.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** im2col and col2im against their definitions, value by value, over strides, paddings and kernels around every edge. */
class UnfoldTest {
    /** {c, h, w, kh, kw, sh, sw, ph, pw}: the DCGAN's layers, odd sizes, a kernel below its stride, padding up to the kernel. */
    private static final int[][] GEOMETRIES = {
        {64, 14, 14, 4, 4, 2, 2, 1, 1}, {1, 28, 28, 4, 4, 2, 2, 1, 1}, {3, 11, 9, 3, 3, 2, 2, 0, 0}, {2, 10, 13, 5, 5, 3, 3, 2, 2},
        {4, 9, 9, 1, 1, 2, 2, 0, 0}, {2, 8, 7, 3, 3, 2, 2, 1, 1}, {3, 12, 12, 5, 5, 1, 1, 2, 2}, {2, 7, 9, 3, 2, 1, 2, 1, 0},
        {2, 9, 8, 2, 3, 2, 1, 0, 1}, {1, 5, 5, 3, 3, 2, 2, 3, 3}, {1, 31, 33, 4, 4, 4, 4, 1, 1}, {2, 6, 6, 6, 6, 1, 3, 0, 2},
    };

    private static int out(int in, int k, int s, int p) { return (in + 2 * p - k) / s + 1; }

    /** One entry of the columns: its index in cols and the pixel of the image it reads, −1 in the padding. */
    private interface Tap { void at(int col, int pixel); }

    /** Every entry of geometry g's columns (rows of {@code ld} from {@code colOff}), in the order (c, i, j, oy, ox). */
    private static void forEachTap(int[] g, int ld, int colOff, Tap tap) {
        int c = g[0], h = g[1], w = g[2], kh = g[3], kw = g[4], sh = g[5], sw = g[6], ph = g[7], pw = g[8];
        int ho = out(h, kh, sh, ph), wo = out(w, kw, sw, pw);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    for (int oy = 0; oy < ho; oy++) {
                        for (int ox = 0; ox < wo; ox++) {
                            int iy = oy * sh - ph + i, ix = ox * sw - pw + j;
                            boolean in = iy >= 0 && iy < h && ix >= 0 && ix < w;
                            tap.at(((ch * kh + i) * kw + j) * ld + colOff + oy * wo + ox, in ? (ch * h + iy) * w + ix : -1);
                        }
                    }
                }
            }
        }
    }

    @Test
    void im2colIsItsDefinition() {
        Random r = new Random(1);
        for (int[] g : GEOMETRIES) {
            int c = g[0], h = g[1], w = g[2], kh = g[3], kw = g[4], sh = g[5], sw = g[6], ph = g[7], pw = g[8];
            int ho = out(h, kh, sh, ph), wo = out(w, kw, sw, pw), hw = ho * wo, ld = 2 * hw + 3, xOff = 5, colOff = hw + 1;
            float[] x = new float[xOff + c * h * w];
            for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() - 0.5f;
            float[] want = new float[c * kh * kw * ld], got = new float[want.length];
            Arrays.fill(want, 7f);
            Arrays.fill(got, 7f);
            forEachTap(g, ld, colOff, (col, pixel) -> want[col] = pixel < 0 ? 0f : x[xOff + pixel]);
            Unfold.im2col(x, xOff, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, got, colOff, ld);
            assertArrayEquals(want, got, Arrays.toString(g));   // the rest of each row (another image's) untouched
        }
    }

    @Test
    void col2imIsTheAdjointOfIm2col() {
        Random r = new Random(2);
        for (int[] g : GEOMETRIES) {
            int c = g[0], h = g[1], w = g[2], kh = g[3], kw = g[4], sh = g[5], sw = g[6], ph = g[7], pw = g[8];
            int ho = out(h, kh, sh, ph), wo = out(w, kw, sw, pw), hw = ho * wo, ld = 2 * hw + 3, dxOff = 3, colOff = hw + 1;
            float[] cols = new float[c * kh * kw * ld];
            for (int i = 0; i < cols.length; i++) cols[i] = r.nextFloat() - 0.5f;
            float[] want = new float[dxOff + c * h * w + 2], got = new float[want.length];
            forEachTap(g, ld, colOff, (col, pixel) -> {
                if (pixel >= 0) want[dxOff + pixel] += cols[col];
            });
            Unfold.col2im(cols, colOff, ld, c, h, w, kh, kw, sh, sw, ph, pw, ho, wo, got, dxOff);
            assertArrayEquals(want, got, Arrays.toString(g));
        }
    }

    @Test
    void aGeometryChangeOnTheSameThreadTakesItsOwnTable() {
        // gather tables are kept per thread for the last four geometries: go round six that differ only in the padded
        // width, more than are kept, twice, and fold each back as well
        float[] x = new float[2 * 10 * 12];
        for (int i = 0; i < x.length; i++) x[i] = i;
        for (int round = 0; round < 2; round++) {
            for (int w : new int[] {12, 10, 11, 7, 9, 8}) {
                int ho = out(10, 3, 2, 1), wo = out(w, 3, 2, 1), ld = ho * wo;
                float[] cols = new float[2 * 9 * ld];
                Unfold.im2col(x, 0, 2, 10, w, 3, 3, 2, 2, 1, 1, ho, wo, cols, 0, ld);
                // row (ch 1, i 1, j 1), output (1, 1): x[1][1·2 − 1 + 1][1·2 − 1 + 1] = x[1][2][2]
                assertArrayEquals(new float[] {x[(10 + 2) * w + 2]}, new float[] {cols[(9 + 4) * ld + wo + 1]}, "w " + w);
                float[] dx = new float[2 * 10 * w];
                Unfold.col2im(cols, 0, ld, 2, 10, w, 3, 3, 2, 2, 1, 1, ho, wo, dx, 0);
                // x[1][2][2] is reached by (i, j) = (1, 1) at output (1, 1) only: the others need an odd offset
                assertArrayEquals(new float[] {x[(10 + 2) * w + 2]}, new float[] {dx[(10 + 2) * w + 2]}, "folded back, w " + w);
            }
        }
    }

    @Test
    void aTableIndexOutsideTheImageThrows() {
        // the gather checks its indices as a plain loop would: a wrong geometry cannot read another array's memory
        float[] x = new float[4 * 4];
        float[] cols = new float[9 * 100];
        assertThrows(IndexOutOfBoundsException.class, () -> Unfold.im2col(x, 8, 1, 4, 4, 3, 3, 2, 2, 1, 1, 2, 2, cols, 0, 4));
    }
}
