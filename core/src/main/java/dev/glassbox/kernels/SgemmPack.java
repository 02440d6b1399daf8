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
     * Whether A stored by rows is packed by transposes in registers ({@link #transposeRows8}):
     * 16-lane vectors and the 8 × 2-vector tile. A scalar loop spent 0.35–0.5 ns a value on it,
     * the transposes 0.16. (B stored by columns, a layer's weight in the forward pass, stays a
     * scalar loop: its 16-row transposes gained only 1.27× on a weight streaming from L3, and
     * their large method slowed the first seconds of a run; docs/benchmarks.md.)
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
}
