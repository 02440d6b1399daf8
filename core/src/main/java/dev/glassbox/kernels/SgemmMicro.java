package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;
import static dev.glassbox.kernels.Sgemm.WIDE_TILE;

/**
 * {@link Sgemm}'s kernels over packed panels: the macro-kernel (a packed block of A times a
 * packed panel of B, tile by tile) and the micro-kernels (one panel of A, MR rows, times one of
 * B, NR columns, into a register tile of C, chosen from the vector registers the machine has:
 * {@link Sgemm#WIDE_TILE}).
 */
final class SgemmMicro {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private SgemmMicro() {}

    /**
     * One packed block of A times one packed panel of B into C[0:mc, 0:nc] (at cIdx): the
     * micro-kernel over every tile, edge tiles through a scratch tile. Its own method, called
     * once per block, so the JIT compiles it fully early (a loop in a method called a few times
     * per GEMM ran in the profiling tier for the whole of a short benchmark). With {@code add},
     * the product is added to C; without, it replaces C. A last panel of B no wider than a vector
     * (W6's 128 columns are five panels of 24 and one of 8 on AVX2) takes {@link #narrow}.
     */
    static void macro(int mc, int nc, int kc, float[] ap, int apBase, float[] bp, int bpBase, float[] tile, float[] c, int cIdx, int ldc,
                              boolean add) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bpOff = bpBase + (jr / NR) * kc * NR;
            if (nr <= L) {
                narrow(mc, nr, kc, ap, apBase, bp, bpOff, tile, c, cIdx + jr, ldc, add);
                continue;
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int apOff = apBase + (ir / MR) * kc * MR;
                int ci = cIdx + ir * ldc + jr;
                // One call site: C2 inlines micro here, and with two copies of it in one method it
                // boxed the vectors (an allocation per FMA) and a W4 step ran 40% slower.
                boolean full = mr == MR && nr == NR;
                // The micro-kernel only stores: straight into C when the tile is whole and replaces
                // C, else into the scratch tile, which is then added to (or stored in) C here. A
                // choice between adding and storing inside the micro-kernel boxed its vectors
                // (C2 merged the accumulators of the two branches), several times slower.
                boolean direct = full && !add;
                micro(kc, ap, apOff, bp, bpOff, direct ? c : tile, direct ? ci : 0, direct ? ldc : NR);
                if (!direct) tileToC(mr, nr, tile, c, ci, ldc, add);
            }
        }
    }

    /**
     * The scratch tile (mr × nr of MR × NR) into C at ci: added to it, or stored. A whole tile
     * that replaces C never comes here: the micro-kernel stores it straight into C.
     */
    private static void tileToC(int mr, int nr, float[] tile, float[] c, int ci, int ldc, boolean add) {
        if (mr == MR && nr == NR) {
            for (int i = 0; i < MR; i++) {
                int row = ci + i * ldc;
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(F, c, row + v).add(FloatVector.fromArray(F, tile, i * NR + v)).intoArray(c, row + v);
                }
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) c[ci + i * ldc + j] = add ? c[ci + i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
        }
    }

    /** The one-vector tile (mr rows of one vector, nr columns used) into C at ci: added to it, or stored. */
    private static void narrowTileToC(int mr, int nr, float[] tile, float[] c, int ci, int ldc, boolean add) {
        for (int i = 0; i < mr; i++) {
            int row = ci + i * ldc;
            if (nr == L) {
                FloatVector t = FloatVector.fromArray(F, tile, i * L);
                (add ? t.add(FloatVector.fromArray(F, c, row)) : t).intoArray(c, row);
            } else {
                for (int j = 0; j < nr; j++) c[row + j] = add ? c[row + j] + tile[i * L + j] : tile[i * L + j];
            }
        }
    }

    /**
     * As {@link #macro}, with A read where it is stored instead of packed: rows of {@code lda}
     * floats, row-major and not transposed, alpha 1 (AVX2's 3-row tile only), {@code mc} a
     * multiple of MR. Packing A by rows into 3-row panels is a scalar loop on AVX2 (no
     * transposes in registers there), and a product over 128 values of k used each packed value
     * only 128 times: W6's packing of A was 7% of its CPU under AVX2. The micro-kernel's three
     * broadcasts come from three rows instead of one panel; each panel of A is read as three
     * short streams that stay in L1 while the panels of B go by. Its own method with one
     * micro-kernel call site, as {@link #macro}.
     */
    static void macroRows(int mc, int nc, int kc, float[] a, int aBase, int lda, float[] bp, int bpBase, float[] tile, float[] c, int cIdx,
                          int ldc, boolean add) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bpOff = bpBase + (jr / NR) * kc * NR;
            if (nr <= L) {
                narrowRows(mc, nr, kc, a, aBase, lda, bp, bpOff, tile, c, cIdx + jr, ldc, add);
                continue;
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int ci = cIdx + ir * ldc + jr;
                boolean full = nr == NR, direct = full && !add;
                micro3x3Rows(kc, a, aBase + ir * lda, lda, bp, bpOff, direct ? c : tile, direct ? ci : 0, direct ? ldc : NR);
                if (!direct) tileToC(MR, nr, tile, c, ci, ldc, add);
            }
        }
    }

    /** {@link #narrow} for {@link #macroRows}: six rows of A at a time (a last odd three run twice, the copy dropped). */
    private static void narrowRows(int mc, int nr, int kc, float[] a, int aBase, int lda, float[] bp, int bpOff, float[] tile, float[] c,
                                   int cIdx, int ldc, boolean add) {
        for (int ir = 0; ir < mc; ir += 2 * MR) {
            int mr = Math.min(2 * MR, mc - ir);
            int a0 = aBase + ir * lda, a1 = mr > MR ? a0 + MR * lda : a0;
            int ci = cIdx + ir * ldc;
            boolean direct = mr == 2 * MR && nr == L && !add;
            micro6x1Rows(kc, a, a0, a1, lda, bp, bpOff, direct ? c : tile, direct ? ci : 0, direct ? ldc : L);
            if (!direct) narrowTileToC(mr, nr, tile, c, ci, ldc, add);
        }
    }

    /** {@link #micro6x1} with A's rows read where they are: rows 0–2 from a0, 3–5 from a1, {@code lda} apart. */
    private static void micro6x1Rows(int kc, float[] a, int a0, int a1, int lda, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        int end = a0 + kc, d = a1 - a0, l2 = 2 * lda;
        for (int p = a0, b = bi; p < end; p++, b += NR) {
            FloatVector bv = FloatVector.fromArray(F, bp, b);
            c0 = FloatVector.broadcast(F, a[p]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, a[p + lda]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, a[p + l2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, a[p + d]).fma(bv, c3);
            c4 = FloatVector.broadcast(F, a[p + d + lda]).fma(bv, c4);
            c5 = FloatVector.broadcast(F, a[p + d + l2]).fma(bv, c5);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc);
        c5.intoArray(c, ci + 5 * ldc);
    }

    /**
     * {@link #micro3x3} with A's three rows read where they are, {@code lda} apart from {@code ai}.
     * A twin, not one kernel with strides as arguments: a step of k that is not a constant makes
     * the loop uncounted for C2 (no hoisted range checks), and handing the nine accumulators to
     * a shared store method risks boxing them wherever it is not inlined.
     */
    private static void micro3x3Rows(int kc, float[] a, int ai, int lda, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z;
        int end = ai + kc, l2 = 2 * lda;
        for (int p = ai, b = bi; p < end; p++, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, b + 2 * L);
            FloatVector av = FloatVector.broadcast(F, a[p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(F, a[p + lda]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(F, a[p + l2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
    }

    /**
     * A panel of B with at most one vector's columns, against every panel of A: a tile of one
     * vector, so no FMAs go to the panel's zero columns (the full tile would spend two thirds of
     * its work on them with 8 columns on AVX2, half with 16 on AVX-512). The tile is one panel of
     * A (8 rows, 8 accumulators) on AVX-512, two (6 rows, 6 accumulators) on AVX2; a last odd
     * panel of A is run as both and its copy dropped. Its own method, so the macro-kernel's
     * micro-kernel stays its only vector loop.
     */
    private static void narrow(int mc, int nr, int kc, float[] ap, int apBase, float[] bp, int bpOff, float[] tile, float[] c, int cIdx,
                               int ldc, boolean add) {
        int rows = WIDE_TILE ? MR : 2 * MR;
        for (int ir = 0; ir < mc; ir += rows) {
            int mr = Math.min(rows, mc - ir);
            int a0 = apBase + (ir / MR) * kc * MR, a1 = mr > MR ? a0 + kc * MR : a0;
            int ci = cIdx + ir * ldc;
            boolean direct = mr == rows && nr == L && !add;
            if (WIDE_TILE) micro8x1(kc, ap, a0, bp, bpOff, direct ? c : tile, direct ? ci : 0, direct ? ldc : L);
            else micro6x1(kc, ap, a0, a1, bp, bpOff, direct ? c : tile, direct ? ci : 0, direct ? ldc : L);
            if (!direct) narrowTileToC(mr, nr, tile, c, ci, ldc, add);
        }
    }

    /** AVX2's one-vector tile: rows 0–2 from the panel of A at a0, 3–5 from the one at a1 (6 accumulators, 1 load of B, 6 broadcasts). */
    private static void micro6x1(int kc, float[] ap, int a0, int a1, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        int end = a0 + kc * MR;
        for (int a = a0, e = a1, b = bi; a < end; a += MR, e += MR, b += NR) {
            FloatVector bv = FloatVector.fromArray(F, bp, b);
            c0 = FloatVector.broadcast(F, ap[a]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, ap[a + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, ap[a + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, ap[e]).fma(bv, c3);
            c4 = FloatVector.broadcast(F, ap[e + 1]).fma(bv, c4);
            c5 = FloatVector.broadcast(F, ap[e + 2]).fma(bv, c5);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + ldc);
        c2.intoArray(c, ci + 2 * ldc);
        c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc);
        c5.intoArray(c, ci + 5 * ldc);
    }

    /** AVX-512's one-vector tile: one panel of A, 8 rows (8 accumulators, 1 load of B, 8 broadcasts). */
    private static void micro8x1(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        int end = ai + kc * 8;
        for (int a = ai, b = bi; a < end; a += 8, b += NR) {
            FloatVector bv = FloatVector.fromArray(F, bp, b);
            c0 = FloatVector.broadcast(F, ap[a]).fma(bv, c0);
            c1 = FloatVector.broadcast(F, ap[a + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(F, ap[a + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(F, ap[a + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(F, ap[a + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(F, ap[a + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(F, ap[a + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(F, ap[a + 7]).fma(bv, c7);
        }
        c0.intoArray(c, ci); c1.intoArray(c, ci + ldc); c2.intoArray(c, ci + 2 * ldc); c3.intoArray(c, ci + 3 * ldc);
        c4.intoArray(c, ci + 4 * ldc); c5.intoArray(c, ci + 5 * ldc); c6.intoArray(c, ci + 6 * ldc); c7.intoArray(c, ci + 7 * ldc);
    }

    /**
     * C[0:MR, 0:NR] = Apanel · Bpanel over kc (alpha is already in Apanel). The 3×3-vector tile
     * is 9 accumulators; C2 loads all of an iteration's broadcasts of A and the vectors of B at
     * the top of the loop, so 9 + 3 + 3 = 15 of the 16 AVX2 registers are live, and nothing
     * spills. A tile of 8 accumulators is exactly the FMA latency (4 cycles) times the two FMA
     * pipes, so any stall leaves a pipe idle; tiles of 10 or 12 accumulators (6×16, 5×16, 4×24)
     * make C2 spill an accumulator to the stack, as does unrolling k by two (docs/architecture.md,
     * "Kernel facts learned here", has the measurements).
     * The panels' indices step by themselves (b stays NR/MR·a plus a constant, so the JIT
     * hoists both range checks): a loop over p with a = ai + p·MR, b = bi + p·NR spent five
     * integer instructions per step on the addresses, and ran 10–15% slower.
     */
    static void micro(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        if (WIDE_TILE) micro8x2(kc, ap, ai, bp, bi, c, ci, ldc);
        else micro3x3(kc, ap, ai, bp, bi, c, ci, ldc);
    }

    /** The AVX2 tile: 3 rows × 3 vectors (above). */
    private static void micro3x3(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c02 = z, c10 = z, c11 = z, c12 = z, c20 = z, c21 = z, c22 = z;
        int end = ai + kc * MR;
        for (int a = ai, b = bi; a < end; a += MR, b += NR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, b + 2 * L);
            FloatVector av = FloatVector.broadcast(F, ap[a]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(F, ap[a + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(F, ap[a + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c02.intoArray(c, ci + 2 * L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c12.intoArray(c, ci + ldc + 2 * L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c22.intoArray(c, ci + 2 * ldc + 2 * L);
    }

    /**
     * The AVX-512 tile: 8 rows × 2 vectors, 16 accumulators + 2 loads of B + 1 broadcast of the
     * 32 registers. A probe on the Xeon ran it at 168–178 GFLOPS a core on L1 panels against
     * 112–125 for 3 × 3 vectors there (../shared/NOTES.md).
     */
    private static void micro8x2(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        int end = ai + kc * 8;
        for (int a = ai, b = bi; a < end; a += 8, b += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(F, bp, b);
            FloatVector b1 = FloatVector.fromArray(F, bp, b + L);
            FloatVector av = FloatVector.broadcast(F, ap[a]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[a + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[a + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[a + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[a + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[a + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[a + 6]);
            c60 = av.fma(b0, c60); c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[a + 7]);
            c70 = av.fma(b0, c70); c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, ci); c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc); c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc); c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc); c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc); c71.intoArray(c, ci + 7 * ldc + L);
    }
}
