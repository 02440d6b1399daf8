package dev.glassbox.kernels;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/**
 * {@link Sgemm}'s products with many rows (from 512, operands up to {@link Sgemm#WHOLE_MAX}
 * floats): B packed whole and shared by the threads, and A either packed block by block where it
 * is used ({@link #rowsPacked}: few columns) or all of it first ({@link #wholePacked}).
 */
final class SgemmTall {
    private SgemmTall() {}

    /** Columns of C per block in {@link #wholePacked}. */
    private static final int NB = 11 * NR;   // 264 with AVX2: a whole number of panels
    /** The calling thread's buffers for a whole packed A and B, which the other threads read. */
    private static final ThreadLocal<float[][]> WHOLE = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    /**
     * Large products: all of op(A) and op(B) packed first (the threads share the work), then the
     * threads take blocks of C of up to MC×NB in turn and run every slice of k on one block
     * before the next, so the block (about 130 KB) stays in the core's L2 across the slices. The
     * BLIS order (each slice of k over all of C) brought every tile of C back from L3, or from
     * memory once C outgrew it, at the end of each micro-kernel, where Java has no prefetch to
     * hide it; it also met twice per slice. Alternating in one process against that order: 1024³
     * 3–10% faster on two threads, 2048³ 10%, 512³ 3%.
     */
    static void wholePacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean overwrite) {
        int mPad = (m + MR - 1) / MR * MR, nPad = (n + NR - 1) / NR * NR, block = Sgemm.rowBlock(m);
        boolean reads = Sgemm.readsA(transA, alpha);
        float[][] whole = WHOLE.get();
        if (!reads && whole[0].length < mPad * k) whole[0] = new float[mPad * k];
        if (whole[1].length < k * nPad) whole[1] = new float[k * nPad];
        float[] ap = whole[0], bp = whole[1];
        // A: slice pc at pc·mPad, its row block ic at (ic / MR)·kc·MR; B: slice pc at pc·nPad, as pack() lays it out
        int ks = Sgemm.kSlice(k), slices = (k + ks - 1) / ks, blocks = (m + block - 1) / block, cols = (n + NB - 1) / NB;
        int aUnits = reads ? 0 : slices * blocks;   // A read where it is is not packed
        Parallel.forRange(aUnits + slices * cols, 1, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                if (u < aUnits) {
                    int pc = (u / blocks) * ks, ic = (u % blocks) * block, kc = Math.min(ks, k - pc);
                    SgemmPack.packA(transA, Math.min(block, m - ic), kc, alpha, a, aOff, lda, ic, pc, ap, pc * mPad + (ic / MR) * kc * MR);
                } else {
                    int v = u - aUnits, pc = (v / cols) * ks, j0 = (v % cols) * NB, kc = Math.min(ks, k - pc);
                    SgemmPack.packB(transB, kc, j0, Math.min(n, j0 + NB), b, bOff, ldb, pc, 0, bp, pc * nPad);
                }
            }
        });
        Parallel.forRange(blocks * cols, 1, (u0, u1) -> {
            float[][] buf = Sgemm.BUFFERS.get();
            float[] tile = buf[2];
            for (int u = u0; u < u1; u++) {
                int ic = (u / cols) * block, j0 = (u % cols) * NB, mc = Math.min(block, m - ic), nc = Math.min(NB, n - j0);
                for (int pc = 0; pc < k; pc += ks) {
                    int kc = Math.min(ks, k - pc);
                    if (reads) {
                        Sgemm.blockRows(mc, nc, kc, a, aOff, lda, ic, pc, bp, pc * nPad + (j0 / NR) * kc * NR, buf, c, cOff + ic * ldc + j0, ldc,
                                !overwrite || pc > 0);
                        continue;
                    }
                    SgemmMicro.macro(mc, nc, kc, ap, pc * mPad + (ic / MR) * kc * MR, bp, pc * nPad + (j0 / NR) * kc * NR, tile,
                            c, cOff + ic * ldc + j0, ldc, !overwrite || pc > 0);
                }
            }
        });
    }

    /** Widest C (in blocks of NB columns) that {@link #rowsPacked} takes; wider goes to {@link #wholePacked} ({@code -Dglassbox.sgemm.rowsPackedCols}). */
    static volatile int rowsPackedCols = Integer.getInteger("glassbox.sgemm.rowsPackedCols", 2);

    /** Whether C of {@code n} columns is narrow enough for {@link #rowsPacked}. */
    static boolean fewColumnBlocks(int n) {
        return (n + NB - 1) / NB <= rowsPackedCols;
    }
    /** Each thread's packed block of A, every slice of k, in {@link #rowsPacked}. */
    private static final ThreadLocal<float[][]> ROW_BLOCK_A = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /**
     * Many rows, few columns (a layer over 2,048 tokens: C of 2048×128 to 2048×512): B packed
     * whole and shared, then each thread takes a block of rows at a time, packs that block of A
     * (every slice of k) into its own buffer and runs it against all of B. A is read once and
     * its packed block is used while it is in the core's L2; {@link #wholePacked} wrote all of
     * packed A out (4 MB for W6's 2048×512 gradients) in a pass of its own and read it back, with
     * one more wait for the threads between the two.
     */
    static void rowsPacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc, boolean overwrite) {
        int nPad = (n + NR - 1) / NR * NR, block = Sgemm.rowBlock(m, Parallel.threads());
        float[][] whole = WHOLE.get();
        if (whole[1].length < k * nPad) whole[1] = new float[k * nPad];
        float[] bp = whole[1];
        int ks = Sgemm.kSlice(k), slices = (k + ks - 1) / ks, blocks = (m + block - 1) / block, panels = nPad / NR;
        // B packed panel by panel, taken in turn: in blocks of NB columns, W8's 400 were 264 and 136
        Parallel.forRange(slices * panels, 1, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                int pc = (u / panels) * ks, j0 = (u % panels) * NR, kc = Math.min(ks, k - pc);
                SgemmPack.packB(transB, kc, j0, Math.min(n, j0 + NR), b, bOff, ldb, pc, 0, bp, pc * nPad);
            }
        });
        boolean reads = Sgemm.readsA(transA, alpha);
        Parallel.forRange(blocks, 1, (u0, u1) -> {
            float[][] buf = Sgemm.BUFFERS.get();
            float[] tile = buf[2];
            float[][] own = ROW_BLOCK_A.get();
            if (!reads && own[0].length < block * k) own[0] = new float[block * k];
            float[] ap = own[0];
            for (int u = u0; u < u1; u++) {
                int ic = u * block, mc = Math.min(block, m - ic), mcPad = (mc + MR - 1) / MR * MR;
                if (!reads) for (int pc = 0; pc < k; pc += ks) SgemmPack.packA(transA, mc, Math.min(ks, k - pc), alpha, a, aOff, lda, ic, pc, ap, pc * mcPad);
                for (int j0 = 0; j0 < n; j0 += NB) {
                    int nc = Math.min(NB, n - j0);
                    for (int pc = 0; pc < k; pc += ks) {
                        int kc = Math.min(ks, k - pc);
                        if (reads) {
                            Sgemm.blockRows(mc, nc, kc, a, aOff, lda, ic, pc, bp, pc * nPad + (j0 / NR) * kc * NR, buf, c, cOff + ic * ldc + j0,
                                    ldc, !overwrite || pc > 0);
                            continue;
                        }
                        SgemmMicro.macro(mc, nc, kc, ap, pc * mcPad, bp, pc * nPad + (j0 / NR) * kc * NR, tile, c, cOff + ic * ldc + j0, ldc,
                                !overwrite || pc > 0);
                    }
                }
            }
        });
    }
}
