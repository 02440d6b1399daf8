package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/** {@link Sgemm}'s packing of A into panels of MR rows and of B into panels of NR columns, the layouts its micro-kernel streams. */
final class SgemmPack {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /**
     * Whether the transposing packs (A stored by rows, B stored by columns) run as transposes in
     * registers: 16-lane vectors and the 8 × 2-vector tile. A scalar loop spent 0.35–0.5 ns a
     * value on them, a quarter of the time of a batch-128 layer's product; the shuffles 0.16–0.26.
     */
    private static final boolean SHUFFLE = L == 16 && MR == 8 && NR == 2 * L;
    /**
     * Index vectors that interleave two vectors in units of 1, 2, 4 or 8 lanes, from their low
     * (LO) or high (HI) halves: lanes 0–15 of the first, 16–31 of the second (selectFrom with two
     * tables, one vpermt2ps each on AVX-512). Null without {@link #SHUFFLE}.
     */
    private static final FloatVector LO1, HI1, LO2, HI2, LO4, HI4, LO8, HI8;

    static {
        LO1 = interleave(1, false);
        HI1 = interleave(1, true);
        LO2 = interleave(2, false);
        HI2 = interleave(2, true);
        LO4 = interleave(4, false);
        HI4 = interleave(4, true);
        LO8 = interleave(8, false);
        HI8 = interleave(8, true);
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
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                int dst = apOff + p * MR;
                // (a 256-bit vector a panel was tried: that species is not reliably compiled on an
                // AVX-512 machine, docs/benchmarks.md 2026-12-06 night)
                for (int panel = 0; panel < full; panel++, src += MR, dst += kc * MR) {
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
                if (SHUFFLE && cols == NR) {
                    int src = bOff + (jc + jp) * ldb + pc;
                    transposeRows16(kc, b, src, ldb, bp, base);
                    transposeRows16(kc, b, src + L * ldb, ldb, bp, base + L);
                    continue;
                }
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + jp + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
                for (int j = cols; j < NR; j++) {
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
                }
            }
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

    /**
     * Sixteen stored rows of B (from {@code src}, {@code ldb} apart: sixteen columns of op(B)),
     * kc values each, into half of a panel at {@code dst}: bp[dst + p·NR + j] = b[src + j·ldb + p].
     * Sixteen values of k at a time: sixteen loads, four rounds of interleaving (units of 1, 2,
     * 4, 8) and sixteen stores, one column of k each.
     */
    private static void transposeRows16(int kc, float[] b, int src, int ldb, float[] bp, int dst) {
        int p = 0;
        for (; p + L <= kc; p += L) {
            int s = src + p, d = dst + p * NR;
                FloatVector v0 = FloatVector.fromArray(F, b, s), v1 = FloatVector.fromArray(F, b, s + ldb), v2 = FloatVector.fromArray(F, b, s + 2 * ldb), v3 = FloatVector.fromArray(F, b, s + 3 * ldb);
                FloatVector v4 = FloatVector.fromArray(F, b, s + 4 * ldb), v5 = FloatVector.fromArray(F, b, s + 5 * ldb), v6 = FloatVector.fromArray(F, b, s + 6 * ldb), v7 = FloatVector.fromArray(F, b, s + 7 * ldb);
                FloatVector v8 = FloatVector.fromArray(F, b, s + 8 * ldb), v9 = FloatVector.fromArray(F, b, s + 9 * ldb), v10 = FloatVector.fromArray(F, b, s + 10 * ldb), v11 = FloatVector.fromArray(F, b, s + 11 * ldb);
                FloatVector v12 = FloatVector.fromArray(F, b, s + 12 * ldb), v13 = FloatVector.fromArray(F, b, s + 13 * ldb), v14 = FloatVector.fromArray(F, b, s + 14 * ldb), v15 = FloatVector.fromArray(F, b, s + 15 * ldb);
                FloatVector a0 = LO1.selectFrom(v0, v1), a1 = HI1.selectFrom(v0, v1), a2 = LO1.selectFrom(v2, v3), a3 = HI1.selectFrom(v2, v3);
                FloatVector a4 = LO1.selectFrom(v4, v5), a5 = HI1.selectFrom(v4, v5), a6 = LO1.selectFrom(v6, v7), a7 = HI1.selectFrom(v6, v7);
                FloatVector a8 = LO1.selectFrom(v8, v9), a9 = HI1.selectFrom(v8, v9), a10 = LO1.selectFrom(v10, v11), a11 = HI1.selectFrom(v10, v11);
                FloatVector a12 = LO1.selectFrom(v12, v13), a13 = HI1.selectFrom(v12, v13), a14 = LO1.selectFrom(v14, v15), a15 = HI1.selectFrom(v14, v15);
                FloatVector b0 = LO2.selectFrom(a0, a2), b1 = HI2.selectFrom(a0, a2), b2 = LO2.selectFrom(a1, a3), b3 = HI2.selectFrom(a1, a3);
                FloatVector b4 = LO2.selectFrom(a4, a6), b5 = HI2.selectFrom(a4, a6), b6 = LO2.selectFrom(a5, a7), b7 = HI2.selectFrom(a5, a7);
                FloatVector b8 = LO2.selectFrom(a8, a10), b9 = HI2.selectFrom(a8, a10), b10 = LO2.selectFrom(a9, a11), b11 = HI2.selectFrom(a9, a11);
                FloatVector b12 = LO2.selectFrom(a12, a14), b13 = HI2.selectFrom(a12, a14), b14 = LO2.selectFrom(a13, a15), b15 = HI2.selectFrom(a13, a15);
                FloatVector c0 = LO4.selectFrom(b0, b4), c1 = HI4.selectFrom(b0, b4), c2 = LO4.selectFrom(b1, b5), c3 = HI4.selectFrom(b1, b5);
                FloatVector c4 = LO4.selectFrom(b2, b6), c5 = HI4.selectFrom(b2, b6), c6 = LO4.selectFrom(b3, b7), c7 = HI4.selectFrom(b3, b7);
                FloatVector c8 = LO4.selectFrom(b8, b12), c9 = HI4.selectFrom(b8, b12), c10 = LO4.selectFrom(b9, b13), c11 = HI4.selectFrom(b9, b13);
                FloatVector c12 = LO4.selectFrom(b10, b14), c13 = HI4.selectFrom(b10, b14), c14 = LO4.selectFrom(b11, b15), c15 = HI4.selectFrom(b11, b15);
                LO8.selectFrom(c0, c8).intoArray(bp, d); HI8.selectFrom(c0, c8).intoArray(bp, d + NR);
                LO8.selectFrom(c1, c9).intoArray(bp, d + 2 * NR); HI8.selectFrom(c1, c9).intoArray(bp, d + 3 * NR);
                LO8.selectFrom(c2, c10).intoArray(bp, d + 4 * NR); HI8.selectFrom(c2, c10).intoArray(bp, d + 5 * NR);
                LO8.selectFrom(c3, c11).intoArray(bp, d + 6 * NR); HI8.selectFrom(c3, c11).intoArray(bp, d + 7 * NR);
                LO8.selectFrom(c4, c12).intoArray(bp, d + 8 * NR); HI8.selectFrom(c4, c12).intoArray(bp, d + 9 * NR);
                LO8.selectFrom(c5, c13).intoArray(bp, d + 10 * NR); HI8.selectFrom(c5, c13).intoArray(bp, d + 11 * NR);
                LO8.selectFrom(c6, c14).intoArray(bp, d + 12 * NR); HI8.selectFrom(c6, c14).intoArray(bp, d + 13 * NR);
                LO8.selectFrom(c7, c15).intoArray(bp, d + 14 * NR); HI8.selectFrom(c7, c15).intoArray(bp, d + 15 * NR);
        }
        for (; p < kc; p++) {
            for (int j = 0; j < L; j++) bp[dst + p * NR + j] = b[src + j * ldb + p];
        }
    }
}
