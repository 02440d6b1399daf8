package dev.glassbox.kernels;

import static dev.glassbox.kernels.Sgemm.MR;
import static dev.glassbox.kernels.Sgemm.NR;

/**
 * {@link Sgemm}'s parallel products with few rows (under 512: a batch, a convolution's output
 * channels) and a panel of columns or more a thread: all of op(A) is packed, every slice of k,
 * and the threads take chunks of columns in turn, each packing only its own columns of B (a last
 * panel left over when they do not come out even is split by rows: {@link #forParts}). (One
 * blocked product per thread would pack all of A on each thread, and with one part per thread
 * the faster waits for the slower; the figures are in docs/benchmarks.md.) Below four panels a
 * thread these products went to the blocked loops, the threads splitting the rows against one
 * shared packed B: W2's second layer (128 × 128 × 256) ran there on two threads no faster than
 * on one.
 */
final class SgemmFewRows {
    private SgemmFewRows() {}

    /**
     * The most floats of packed A (4 MB) that each thread packs for itself when A is stored by
     * rows ({@link #ownCopy}).
     */
    static final int OWN_MAX = 1 << 20;
    /** The calling thread's buffer for all of a packed A that the threads share. */
    private static final ThreadLocal<float[][]> SHARED_A = ThreadLocal.withInitial(() -> new float[][] {new float[0]});
    /** Each thread's own packed A ({@link #ownCopy}) and the product it was packed for. */
    private static final ThreadLocal<Object[]> OWN_A = ThreadLocal.withInitial(() -> new Object[] {null, new float[0]});

    /**
     * Whether each thread packs all of op(A) for itself, at its first chunk, instead of the
     * threads packing it together first: A stored by rows, packed by transposes in registers
     * (0.15 ns a value), up to {@link #OWN_MAX}. Packing it together cost a wait for both threads
     * and, worse, each thread's writes went to lines of the shared buffer that the other core had
     * read in the last product: W2's first layer (128 × 256 × 784) spent 40 of its 250 µs packing
     * 100,000 values. A stored by columns (a weight gradient's dY) is dealt out by a slower
     * scalar loop, and packing it twice cost more than sharing it (docs/benchmarks.md, 2026-12-07).
     */
    static boolean ownCopy(boolean transA, int mPad, int k) {
        return !transA && (long) mPad * k <= OWN_MAX;
    }

    static void fewRows(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float[] c, int cOff, int ldc, boolean overwrite) {
        int mPad = (m + MR - 1) / MR * MR, block = Sgemm.rowBlock(m);
        boolean reads = Sgemm.readsA(transA, alpha);   // then A is not packed
        boolean own = !reads && ownCopy(transA, mPad, k);
        int ks = Sgemm.kSlice(k), slices = (k + ks - 1) / ks, blocks = (m + block - 1) / block;
        float[] shared = null;
        if (!reads && !own) {
            float[][] holder = SHARED_A.get();
            if (holder[0].length < mPad * k) holder[0] = new float[mPad * k];
            float[] ap = shared = holder[0];
            Parallel.forRange(slices * blocks, 1, (u0, u1) -> packA(u0, u1, blocks, block, ks, transA, m, k, alpha, a, aOff, lda, ap, mPad));
        }
        Object product = new Object();   // tells a thread's first chunk of this product from its later ones
        float[] sharedA = shared;
        forParts(m, n, (j0, j1, i0, i1) -> {
            float[][] buf = Sgemm.BUFFERS.get();
            float[] ap = sharedA;
            if (own) {
                Object[] mine = OWN_A.get();
                if (((float[]) mine[1]).length < mPad * k) mine[1] = new float[mPad * k];
                ap = (float[]) mine[1];
                if (mine[0] != product) {
                    packA(0, slices * blocks, blocks, block, ks, transA, m, k, alpha, a, aOff, lda, ap, mPad);
                    mine[0] = product;
                }
            }
            columns(j0, j1, i0, i1, reads, a, aOff, lda, ap, mPad, k, transB, b, bOff, ldb, c, cOff, ldc, overwrite, buf);
        });
    }

    /** A part of C: columns [j0, j1) (j0 a multiple of NR), rows [i0, i1) (i0 a multiple of MR). */
    @FunctionalInterface
    interface Part {
        void run(int j0, int j1, int i0, int i1);
    }

    /**
     * C's m × n shared among the threads: panels of NR columns taken in turn ({@link Parallel#forRange}'s
     * shrinking chunks), and when the panels do not come out even among the threads, the last one
     * split by rows among them (each packs that panel of B for itself), so no thread runs a whole
     * panel while the others wait for it. W2's first layer (128 × 256 × 784) is 11 panels on AVX2:
     * 9.5% faster so, alternating in one JVM; W8's 400 and 784 columns (17 and 33 panels) 0.7–1.8%;
     * AVX-512's 8 × 32 tile level (0–0.8%).
     */
    static void forParts(int m, int n, Part body) {
        int panels = (n + NR - 1) / NR, t = Parallel.threads();
        int rowsPer = ((m + t - 1) / t + MR - 1) / MR * MR;
        boolean split = t > 1 && panels > t && panels % t != 0 && rowsPer >= 2 * MR && !Parallel.insideBody();
        int whole = split ? panels - 1 : panels, parts = split ? (m + rowsPer - 1) / rowsPer : 0;
        Parallel.forRange(whole + parts, 1, (u0, u1) -> {
            if (u0 < whole) body.run(u0 * NR, Math.min(n, Math.min(u1, whole) * NR), 0, m);
            for (int u = Math.max(u0, whole); u < u1; u++) {
                int r = u - whole;
                body.run(whole * NR, n, r * rowsPer, Math.min(m, (r + 1) * rowsPer));
            }
        });
    }

    /**
     * Columns [j0, j1) of C (j0 a multiple of NR), rows [i0, i1) (i0 a multiple of MR), against
     * op(A): packed in {@code ap} (slice pc at pc·mPad, as {@link #packA} and {@link PackedA} lay it
     * out), or with {@code reads} read where it is stored; each slice of op(B)'s columns packed into
     * {@code buf[1]}.
     */
    static void columns(int j0, int j1, int i0, int i1, boolean reads, float[] a, int aOff, int lda, float[] ap, int mPad, int k,
                        boolean transB, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean overwrite, float[][] buf) {
        int block = Sgemm.rowBlock(i1 - i0), ks = Sgemm.kSlice(k);
        for (int jc = j0; jc < j1; jc += Sgemm.NC) {
            int nc = Math.min(Sgemm.NC, j1 - jc);
            for (int pc = 0; pc < k; pc += ks) {
                int kc = Math.min(ks, k - pc);
                SgemmPack.packB(transB, kc, 0, nc, b, bOff, ldb, pc, jc, buf[1], 0);
                for (int ic = i0; ic < i1; ic += block) {
                    int mc = Math.min(block, i1 - ic), cIdx = cOff + ic * ldc + jc;
                    boolean add = !overwrite || pc > 0;
                    if (reads) {
                        Sgemm.blockRows(mc, nc, kc, a, aOff, lda, ic, pc, buf[1], 0, buf, c, cIdx, ldc, add);
                    } else {
                        SgemmMicro.macro(mc, nc, kc, ap, pc * mPad + (ic / MR) * kc * MR, buf[1], 0, buf[2], c, cIdx, ldc, add);
                    }
                }
            }
        }
    }

    /** Units [u0, u1) of packing A: unit u is row block u % blocks of slice u / blocks; slice pc at pc·mPad, its block ic at (ic / MR)·kc·MR. */
    private static void packA(int u0, int u1, int blocks, int block, int ks, boolean transA, int m, int k, float alpha,
                              float[] a, int aOff, int lda, float[] ap, int mPad) {
        for (int u = u0; u < u1; u++) {
            int pc = (u / blocks) * ks, ic = (u % blocks) * block, kc = Math.min(ks, k - pc);
            SgemmPack.packA(transA, Math.min(block, m - ic), kc, alpha, a, aOff, lda, ic, pc, ap, pc * mPad + (ic / MR) * kc * MR);
        }
    }
}
