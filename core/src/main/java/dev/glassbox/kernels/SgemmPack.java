package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/** {@link Sgemm}'s packing of A into panels of MR rows and of B into panels of NR columns, the layouts its micro-kernel streams. */
final class SgemmPack {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

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
}
