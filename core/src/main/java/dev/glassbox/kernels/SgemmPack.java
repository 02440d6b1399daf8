package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/** {@link Sgemm}'s packing of A into panels of MR rows and of B into panels of NR columns, the layouts its micro-kernel streams. */
final class SgemmPack {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /**
     * Whether A stored by rows is packed by transposes in registers ({@link #transposeRows8}):
     * 16-lane vectors and the 8 × 2-vector tile. A scalar loop spent 0.35–0.5 ns a value on it,
     * the transposes 0.16. (B stored by columns, a layer's weight in the forward pass, stays a
     * scalar loop with 16 lanes: its 16-row transposes gained only 1.27× on a weight streaming
     * from L3, and their large method slowed the first seconds of a run; docs/benchmarks.md. With
     * AVX2's 8 lanes it is packed by 8 × 8 transposes: {@link #T8}.)
     * {@code -Dglassbox.sgemm.registerTransposes=false} keeps the scalar loop.
     */
    private static final boolean SHUFFLE = L == 16 && MR == 8 && NR == 2 * L
            && !"false".equalsIgnoreCase(System.getProperty("glassbox.sgemm.registerTransposes"));
    /**
     * Index vectors that interleave two vectors in units of 1, 2 or 4 lanes, from their low
     * (LO) or high (HI) halves: lanes 0–15 of the first, 16–31 of the second (selectFrom with two
     * tables, one vpermt2ps each on AVX-512). Null without {@link #SHUFFLE}.
     */
    private static final FloatVector LO1, HI1, LO2, HI2, LO4, HI4;

    static {
        LO1 = interleave(1, false);
        HI1 = interleave(1, true);
        LO2 = interleave(2, false);
        HI2 = interleave(2, true);
        LO4 = interleave(4, false);
        HI4 = interleave(4, true);
    }

    private static FloatVector interleave(int unit, boolean high) {
        if (!SHUFFLE) return null;
        float[] index = new float[L];
        int k = 0;
        for (int u = high ? L / 2 / unit : 0; k < L; u++) {
            for (int table = 0; table < 2; table++) {
                for (int e = 0; e < unit; e++) index[k++] = table * L + u * unit + e;
            }
        }
        return FloatVector.fromArray(F, index, 0);
    }

    /**
     * Whether B stored by columns (a layer's weight in the forward pass, a convolution's columns in
     * its weight gradient) is packed by 8 × 8 transposes in registers: AVX2's 8 lanes, three rounds
     * of single-vector lane rotations and blends (vpermps, vblendps; AVX2 has no two-vector
     * permute). W2 on AVX2's paths 5% faster, its cold start 8–11% slower (the method runs
     * interpreted until C2 has it; docs/benchmarks.md).
     * {@code -Dglassbox.sgemm.registerTransposes=false} keeps the scalar loop.
     */
    private static final boolean T8 = L == 8 && !"false".equalsIgnoreCase(System.getProperty("glassbox.sgemm.registerTransposes"));
    /** Rotations by d = 1, 2, 4 lanes (lane l takes lane l − d: DOWN; l + d: UP) and the lanes with bit d set. */
    private static final VectorShuffle<Float> DOWN1, DOWN2, DOWN4, UP1, UP2, UP4;
    private static final VectorMask<Float> M1, M2, M4;

    static {
        DOWN1 = rotation(-1);
        DOWN2 = rotation(-2);
        DOWN4 = rotation(-4);
        UP1 = rotation(1);
        UP2 = rotation(2);
        UP4 = rotation(4);
        M1 = lanesWithBit(1);
        M2 = lanesWithBit(2);
        M4 = lanesWithBit(4);
    }

    private static VectorShuffle<Float> rotation(int d) {
        if (!T8) return null;
        int[] index = new int[L];
        for (int l = 0; l < L; l++) index[l] = Math.floorMod(l + d, L);
        return VectorShuffle.fromArray(F, index, 0);
    }

    private static VectorMask<Float> lanesWithBit(int d) {
        if (!T8) return null;
        boolean[] set = new boolean[L];
        for (int l = 0; l < L; l++) set[l] = (l & d) != 0;
        return VectorMask.fromArray(F, set, 0);
    }

    private SgemmPack() {}

    /**
     * Packs alpha·op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows: ap[(panel·kc + p)·MR + i].
     * Scaling here keeps alpha out of the micro-kernel, whose registers are all taken.
     */
    static void packA(boolean transA, int mc, int kc, float alpha, float[] a, int aOff, int lda, int ic, int pc, float[] ap) {
        packA(transA, mc, kc, alpha, a, aOff, lda, ic, pc, ap, 0);
    }

    /** {@link #packA(boolean, int, int, float, float[], int, int, int, int, float[])} into ap from apOff. */
    static void packA(boolean transA, int mc, int kc, float alpha, float[] a, int aOff, int lda, int ic, int pc,
                              float[] ap, int apOff) {
        int panels = (mc + MR - 1) / MR;
        if (!transA) {
            for (int r0 = 0; r0 < mc; r0 += MR) {
                int rows = Math.min(MR, mc - r0);
                int base = apOff + (r0 / MR) * kc * MR;
                if (SHUFFLE && rows == MR) {
                    transposeRows8(kc, alpha, a, aOff + (ic + r0) * lda + pc, lda, ap, base);
                    continue;
                }
                for (int i = 0; i < rows; i++) {
                    int src = aOff + (ic + r0 + i) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + i] = alpha * a[src + p];
                }
                for (int i = rows; i < MR; i++) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + i] = 0f;
                }
            }
        } else {
            // stored k×m: walk each stored row once, dealing its values out to the panels, a
            // panel's MR values side by side (a loop down each panel's column instead ran at
            // 1.2–1.7 ns a value and was a fifth of every weight-gradient product)
            int full = mc / MR;
            // A whole vector a panel: its MR values and L − MR more, which land in the panel's
            // next rows of k and are written over when those rows come (p rises). Only a row
            // whose vector would reach past its panel's end (the last one or two of kc) takes
            // the scalar loop. MR values one at a time took a third of a TN product's time on
            // AVX2 (W6's weight gradients; docs/benchmarks.md). (A 256-bit vector a panel was
            // tried on AVX-512: that species is not reliably compiled there, 2026-12-06 night.)
            int vectorRows = kc - (L + MR - 1) / MR + 1;
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                int dst = apOff + p * MR;
                int panel = 0;
                if (p < vectorRows && full > 0 && src + (full - 1) * MR + L <= a.length) {
                    for (; panel < full; panel++, src += MR, dst += kc * MR) {
                        FloatVector.fromArray(F, a, src).mul(alpha).intoArray(ap, dst);
                    }
                }
                for (; panel < full; panel++, src += MR, dst += kc * MR) {
                    for (int i = 0; i < MR; i++) ap[dst + i] = alpha * a[src + i];
                }
                if (full < panels) {
                    int rows = mc - full * MR;
                    for (int i = 0; i < rows; i++) ap[dst + i] = alpha * a[src + i];
                    for (int i = rows; i < MR; i++) ap[dst + i] = 0f;
                }
            }
        }
    }

    /**
     * Packs columns [j0, j1) (multiples of NR, or the end) of op(B)[pc:pc+kc, jc:jc+nc] into panels
     * of NR columns: bp[(panel·kc + p)·NR + j]. Each stored row is read once, front to back.
     */
    static void packB(boolean transB, int kc, int j0, int j1, float[] b, int bOff, int ldb, int pc, int jc, float[] bp, int bpOff) {
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (pc + p) * ldb + jc;
                for (int jp = j0; jp < j1; jp += NR) {
                    int cols = Math.min(NR, j1 - jp);
                    int dst = bpOff + (jp / NR) * kc * NR + p * NR;
                    if (cols == NR) {
                        for (int v = 0; v < NR; v += L) FloatVector.fromArray(F, b, src + jp + v).intoArray(bp, dst + v);
                    } else {
                        for (int j = 0; j < cols; j++) bp[dst + j] = b[src + jp + j];
                        for (int j = cols; j < NR; j++) bp[dst + j] = 0f;
                    }
                }
            }
        } else {
            for (int jp = j0; jp < j1; jp += NR) {
                int cols = Math.min(NR, j1 - jp);
                int base = bpOff + (jp / NR) * kc * NR;
                int j = 0;
                if (T8) {
                    for (; j + 8 <= cols; j += 8) transposeCols8(kc, b, bOff + (jc + jp + j) * ldb + pc, ldb, bp, base + j);
                }
                for (; j < cols; j++) {
                    int src = bOff + (jc + jp + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
                for (int jz = cols; jz < NR; jz++) {
                    for (int p = 0; p < kc; p++) bp[base + p * NR + jz] = 0f;
                }
            }
        }
    }

    /**
     * Eight stored rows of B (columns of op(B), from {@code src}, {@code ldb} apart), kc values
     * each, into eight columns of a panel at {@code dst}: bp[dst + p·NR + i] = b[src + i·ldb + p].
     * Eight values of k at a time: eight loads, three rounds that swap the row's and the lane's
     * bit d (d = 1, 2, 4: lane l of the row pair's first takes the second's lane l − d where
     * bit d of l is set, the second takes the first's lane l + d where it is clear), eight stores.
     */
    private static void transposeCols8(int kc, float[] b, int src, int ldb, float[] bp, int dst) {
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int s = src + p, d = dst + p * NR;
            FloatVector r0 = FloatVector.fromArray(F, b, s), r1 = FloatVector.fromArray(F, b, s + ldb);
            FloatVector r2 = FloatVector.fromArray(F, b, s + 2 * ldb), r3 = FloatVector.fromArray(F, b, s + 3 * ldb);
            FloatVector r4 = FloatVector.fromArray(F, b, s + 4 * ldb), r5 = FloatVector.fromArray(F, b, s + 5 * ldb);
            FloatVector r6 = FloatVector.fromArray(F, b, s + 6 * ldb), r7 = FloatVector.fromArray(F, b, s + 7 * ldb);
            FloatVector t0 = r0.blend(r1.rearrange(DOWN1), M1), t1 = r0.rearrange(UP1).blend(r1, M1);
            FloatVector t2 = r2.blend(r3.rearrange(DOWN1), M1), t3 = r2.rearrange(UP1).blend(r3, M1);
            FloatVector t4 = r4.blend(r5.rearrange(DOWN1), M1), t5 = r4.rearrange(UP1).blend(r5, M1);
            FloatVector t6 = r6.blend(r7.rearrange(DOWN1), M1), t7 = r6.rearrange(UP1).blend(r7, M1);
            FloatVector u0 = t0.blend(t2.rearrange(DOWN2), M2), u2 = t0.rearrange(UP2).blend(t2, M2);
            FloatVector u1 = t1.blend(t3.rearrange(DOWN2), M2), u3 = t1.rearrange(UP2).blend(t3, M2);
            FloatVector u4 = t4.blend(t6.rearrange(DOWN2), M2), u6 = t4.rearrange(UP2).blend(t6, M2);
            FloatVector u5 = t5.blend(t7.rearrange(DOWN2), M2), u7 = t5.rearrange(UP2).blend(t7, M2);
            u0.blend(u4.rearrange(DOWN4), M4).intoArray(bp, d);
            u1.blend(u5.rearrange(DOWN4), M4).intoArray(bp, d + NR);
            u2.blend(u6.rearrange(DOWN4), M4).intoArray(bp, d + 2 * NR);
            u3.blend(u7.rearrange(DOWN4), M4).intoArray(bp, d + 3 * NR);
            u0.rearrange(UP4).blend(u4, M4).intoArray(bp, d + 4 * NR);
            u1.rearrange(UP4).blend(u5, M4).intoArray(bp, d + 5 * NR);
            u2.rearrange(UP4).blend(u6, M4).intoArray(bp, d + 6 * NR);
            u3.rearrange(UP4).blend(u7, M4).intoArray(bp, d + 7 * NR);
        }
        for (; p < kc; p++) {
            for (int i = 0; i < 8; i++) bp[dst + p * NR + i] = b[src + i * ldb + p];
        }
    }

    /**
     * Eight rows of A (from {@code src}, {@code lda} apart), kc values each, times alpha, into one
     * panel at {@code dst}: ap[dst + p·8 + i] = alpha·a[src + i·lda + p]. Sixteen values of k at a
     * time: eight loads, three rounds of interleaving (units of 1, 2, 4) and eight stores of two
     * columns each.
     */
    private static void transposeRows8(int kc, float alpha, float[] a, int src, int lda, float[] ap, int dst) {
        int p = 0;
        for (; p + L <= kc; p += L) {
            int s = src + p, d = dst + p * 8;
            FloatVector v0 = FloatVector.fromArray(F, a, s).mul(alpha), v1 = FloatVector.fromArray(F, a, s + lda).mul(alpha);
            FloatVector v2 = FloatVector.fromArray(F, a, s + 2 * lda).mul(alpha), v3 = FloatVector.fromArray(F, a, s + 3 * lda).mul(alpha);
            FloatVector v4 = FloatVector.fromArray(F, a, s + 4 * lda).mul(alpha), v5 = FloatVector.fromArray(F, a, s + 5 * lda).mul(alpha);
            FloatVector v6 = FloatVector.fromArray(F, a, s + 6 * lda).mul(alpha), v7 = FloatVector.fromArray(F, a, s + 7 * lda).mul(alpha);
            FloatVector a0 = LO1.selectFrom(v0, v1), a1 = HI1.selectFrom(v0, v1), a2 = LO1.selectFrom(v2, v3), a3 = HI1.selectFrom(v2, v3);
            FloatVector a4 = LO1.selectFrom(v4, v5), a5 = HI1.selectFrom(v4, v5), a6 = LO1.selectFrom(v6, v7), a7 = HI1.selectFrom(v6, v7);
            FloatVector b0 = LO2.selectFrom(a0, a2), b1 = HI2.selectFrom(a0, a2), b2 = LO2.selectFrom(a1, a3), b3 = HI2.selectFrom(a1, a3);
            FloatVector b4 = LO2.selectFrom(a4, a6), b5 = HI2.selectFrom(a4, a6), b6 = LO2.selectFrom(a5, a7), b7 = HI2.selectFrom(a5, a7);
            LO4.selectFrom(b0, b4).intoArray(ap, d); HI4.selectFrom(b0, b4).intoArray(ap, d + L);
            LO4.selectFrom(b1, b5).intoArray(ap, d + 2 * L); HI4.selectFrom(b1, b5).intoArray(ap, d + 3 * L);
            LO4.selectFrom(b2, b6).intoArray(ap, d + 4 * L); HI4.selectFrom(b2, b6).intoArray(ap, d + 5 * L);
            LO4.selectFrom(b3, b7).intoArray(ap, d + 6 * L); HI4.selectFrom(b3, b7).intoArray(ap, d + 7 * L);
        }
        for (; p < kc; p++) {
            for (int i = 0; i < 8; i++) ap[dst + p * 8 + i] = alpha * a[src + i * lda + p];
        }
    }
}
