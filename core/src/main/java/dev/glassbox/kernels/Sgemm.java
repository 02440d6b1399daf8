package dev.glassbox.kernels;

import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision general matrix multiply, {@code C = alpha·op(A)·op(B) + beta·C}, row-major.
 *
 * <p>The layout follows BLIS (Van Zee and van de Geijn, 2015): C is computed in blocks of
 * {@code MC×NC} over slices of {@code KC} of the shared dimension; the slice of B is packed
 * into panels of {@link #NR} columns (the micro-kernel's width), the slice of A into panels of
 * {@link #MR} rows, so the micro-kernel streams contiguous memory. The micro-kernel keeps an
 * {@code MR × NR} tile of C in vector registers: 8 rows × 2 vectors (16 registers) of AVX-512's
 * 32, or 3 rows × 3 vectors (9) of AVX2's 16, leaving room for the loads of B and the
 * broadcasts of A.
 *
 * <p>Large problems run on the shared executor. From 512 rows, up to 2048² operands
 * ({@link SgemmTall}): with few columns, B is packed whole and each thread packs the block of
 * rows of A it runs; with more, the threads pack all of A and B first, then take blocks of C in
 * turn and finish each block over every slice of k, so it stays in L2 (the calling thread keeps
 * the packed copies, up to 32 MB, for its next product). Few rows and a panel of columns or more
 * a thread (a batch, a convolution's channels): the threads take chunks of columns against all of
 * A packed ({@link SgemmFewRows}). A small C over a long
 * k (a weight gradient over a batch's tokens): the threads split k ({@link #kSplit}). Larger still: one
 * shared slice of B at a time, the threads splitting the rows of C. Small and one-row problems
 * take the direct loops of {@link SgemmDirect}; the packing is {@link SgemmPack}.
 *
 * <p>Row-major: {@code op(A)} is m×k, {@code op(B)} is k×n; with {@code transA}, A is stored
 * k×m (leading dimension {@code lda}); with {@code transB}, B is stored n×k. When
 * {@code beta == 0}, C is overwritten and need not hold finite numbers.
 */
public final class Sgemm {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();
    /**
     * The register tile, chosen from the vector registers the machine has
     * ({@code -Dglassbox.sgemm.tile=8x2|3x3} forces one): with AVX-512's 32 registers, 8 rows ×
     * 2 vectors (16 accumulators, 2 loads of B, 1 broadcast); with AVX2's 16, 3 rows × 3 vectors
     * (9 + 3 + 3: a larger tile spills).
     */
    static final boolean WIDE_TILE = switch (System.getProperty("glassbox.sgemm.tile", L >= 16 ? "8x2" : "3x3")) {
        case "8x2" -> true;
        case "3x3" -> false;
        default -> throw new IllegalArgumentException("glassbox.sgemm.tile is 8x2 or 3x3, got " + System.getProperty("glassbox.sgemm.tile"));
    };
    /** Rows of the register tile. */
    public static final int MR = WIDE_TILE ? 8 : 3;
    /** Vectors in a row of the register tile. */
    static final int NV = WIDE_TILE ? 2 : 3;
    /** Columns of the register tile. */
    public static final int NR = NV * L;
    /** The deepest slice of k: {@link SgemmBlocking#depthFor} this L1 and tile (256 on both CPUs of this kind), or {@code -Dglassbox.sgemm.kc}. */
    static final int KC = SgemmBlocking.forced("glassbox.sgemm.kc", SgemmBlocking.depthFor(SgemmBlocking.knownL1(), MR, NR), KernelProperties.KC_UNIT);
    /** The most rows in a packed block of A, a multiple of MR: {@link SgemmBlocking#rowsFor} this L2 (126 / 128 here), or {@code -Dglassbox.sgemm.mc}. */
    static final int MC = SgemmBlocking.forced("glassbox.sgemm.mc", SgemmBlocking.rowsFor(CpuInfo.L2, KC, MR), KernelProperties.MC_UNIT);
    static final int NC = 128 * NR;   // 3072 with AVX2
    /** Below this many rows of C, a parallel GEMM with enough columns takes {@link SgemmFewRows}; at or above it, {@link SgemmTall} ({@code -Dglassbox.sgemm.splitOnceRows}). */
    private static final int SPLIT_ONCE_M = Integer.getInteger("glassbox.sgemm.splitOnceRows", 512);
    /** Below this many multiply-adds, the direct loop wins. */
    private static final long SMALL = 40L * 40 * 40;
    /** Below this many multiply-adds, one thread wins. */
    private static final long PARALLEL_MIN = 150L * 150 * 150;
    /** Each thread's packed A, packed B and scratch tile. */
    static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[][] {new float[MC * KC], new float[KC * NC], new float[MR * NR],
            new float[MR * KC]});
    /**
     * Whether A stored by rows (not transposed, alpha 1) is read where it is by the micro-kernel
     * instead of packed ({@link SgemmMicro#macroRows}): AVX2's 3-row tile, whose packing is a
     * scalar loop ({@code -Dglassbox.sgemm.rowsOfA=false} packs it; AVX-512's 8-row panels are
     * packed by transposes in registers).
     */
    static boolean rowsOfA = !WIDE_TILE && !"false".equalsIgnoreCase(System.getProperty("glassbox.sgemm.rowsOfA"));

    /** Whether op(A) is read where it is stored ({@link #rowsOfA}). */
    static boolean readsA(boolean transA, float alpha) {
        return rowsOfA && !transA && alpha == 1f;
    }

    /**
     * Rows [ic, ic + mc) of A stored by rows (alpha 1), over k from pc, times one packed panel of
     * B (at bpBase) into C from cIdx (row ic): whole panels of MR rows read where they are, a last
     * partial one packed into {@code buf[3]}.
     */
    static void blockRows(int mc, int nc, int kc, float[] a, int aOff, int lda, int ic, int pc, float[] bp, int bpBase, float[][] buf,
                          float[] c, int cIdx, int ldc, boolean add) {
        int full = mc / MR * MR;
        if (full > 0) SgemmMicro.macroRows(full, nc, kc, a, aOff + ic * lda + pc, lda, bp, bpBase, buf[2], c, cIdx, ldc, add);
        if (full < mc) {
            SgemmPack.packA(false, mc - full, kc, 1f, a, aOff, lda, ic + full, pc, buf[3]);
            SgemmMicro.macro(mc - full, nc, kc, buf[3], 0, bp, bpBase, buf[2], c, cIdx + full * ldc, ldc, add);
        }
    }

    /** The blocking this JVM runs with, for reports: "3x24 tile, kc 256, mc 126". */
    public static String blocking() {
        return MR + "x" + NR + " tile, kc " + KC + ", mc " + MC;
    }

    private Sgemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) return;
        if (!Simd.ENABLED) {
            SgemmScalar.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        // One row of C (a single token or sample through a layer) reads B once as it is: packing
        // B would copy it whole for one use.
        if (k <= 0 || alpha == 0f || work < SMALL || m == 1) {
            SgemmDirect.scaleC(m, n, beta, c, cOff, ldc);
            if (k <= 0 || alpha == 0f) return;
            if (SgemmSmall.takes(m, n, k)) {
                SgemmSmall.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            } else {
                SgemmDirect.direct(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            }
            return;
        }
        // With beta 0 the first slice of k stores its tiles of C instead of adding them to C, so C
        // is neither cleared beforehand nor read (a k of 64, as in a convolution's input
        // gradient, spent more time on C than on the FMAs).
        boolean overwrite = beta == 0f;
        if (!overwrite) SgemmDirect.scaleC(m, n, beta, c, cOff, ldc);
        boolean fits = (long) m * k + (long) k * n <= WHOLE_MAX;
        if (work >= PARALLEL_MIN && m >= SPLIT_ONCE_M && fits && SgemmTall.fewColumnBlocks(n)) {
            SgemmTall.rowsPacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
        } else if (work >= PARALLEL_MIN && m >= SPLIT_ONCE_M && fits) {
            SgemmTall.wholePacked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
        } else if (work < PARALLEL_MIN || Parallel.threads() == 1 || Parallel.insideBody()) {   // inside a body: this thread alone
            blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, overwrite);
        } else if (m < SPLIT_ONCE_M && n < 4 * NR * Parallel.threads() && k >= K_SPLIT_MIN && (long) m * n <= K_SPLIT_MAX_C) {
            kSplit(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
        } else if (m < SPLIT_ONCE_M && n >= NR * Parallel.threads() && (long) m * k <= WHOLE_MAX) {
            SgemmFewRows.fewRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, overwrite);
        } else if (m < SPLIT_ONCE_M && n >= 4 * NR * Parallel.threads()) {
            // an A too long to keep packed whole: each thread runs the blocked loop on its share of the columns
            int t = Parallel.threads(), per = ((n + t - 1) / t + NR - 1) / NR * NR;
            Parallel.forRange(n, per, (j0, j1) -> blocked(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda,
                    b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + j0, ldc, false, overwrite));
        } else {
            blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true, overwrite);
        }
    }

    /** The shared dimension from which a product with a small C is split along it ({@link #kSplit}). */
    private static final int K_SPLIT_MIN = 1024;
    /** The largest C (floats) that {@link #kSplit} gives each thread a copy of. */
    private static final long K_SPLIT_MAX_C = 1L << 18;
    /** Each thread's C for its part of the shared dimension in {@link #kSplit}. */
    private static final ThreadLocal<float[][]> PARTIAL_C = ThreadLocal.withInitial(() -> new float[0][]);

    /**
     * A small C over a long shared dimension (a weight gradient: out × in over the batch's 2,048
     * tokens): each thread takes a part of k and runs the single-threaded loops on it, into C
     * itself (the first part) or a copy of its own, then the copies are added to C in the order
     * of the parts (the same bits whichever thread ran a part). Splitting the rows instead gave
     * each thread a few panels of A per slice of k and met twice a slice: on W6's 128×128×2048
     * and 53×128×2048 weight gradients it waited about half the time.
     */
    private static void kSplit(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean overwrite) {
        int parts = Parallel.threads(), per = ((k + parts - 1) / parts + 7) / 8 * 8;
        float[][] partial = new float[parts][];
        Parallel.forRange(parts, 1, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int k0 = p * per, kp = Math.min(k, k0 + per) - k0;
                if (kp <= 0) continue;
                int ao = aOff + (transA ? k0 * lda : k0), bo = bOff + (transB ? k0 : k0 * ldb);
                if (p == 0) {
                    blocked(transA, transB, m, n, kp, alpha, a, ao, lda, b, bo, ldb, c, cOff, ldc, false, overwrite);
                } else {
                    float[][] holder = PARTIAL_C.get();   // one buffer a part: a thread may run several
                    if (holder.length < parts) {
                        holder = java.util.Arrays.copyOf(holder, parts);
                        PARTIAL_C.set(holder);
                    }
                    if (holder[p] == null || holder[p].length < m * n) holder[p] = new float[m * n];
                    blocked(transA, transB, m, n, kp, alpha, a, ao, lda, b, bo, ldb, holder[p], 0, n, false, true);
                    partial[p] = holder[p];
                }
            }
        });
        for (int p = 1; p < parts; p++) {
            if (partial[p] == null) continue;
            for (int i = 0; i < m; i++) VectorKernels.axpy(n, 1f, partial[p], i * n, c, cOff + i * ldc);
        }
    }

    /** Largest m·k + k·n (floats) that {@link SgemmTall} packs whole (2048² operands, 32 MB), and largest m·k for {@link SgemmFewRows}. */
    static final long WHOLE_MAX = 1L << 23;

    /**
     * The blocked loops. With {@code parallel}, the threads share one packed panel of B (each
     * packs a part of it) and split the rows of C between them, each packing its own blocks of
     * A: the shared operand is packed once and read from the shared L3, as BLIS does.
     */
    private static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float[] c, int cOff, int ldc, boolean parallel, boolean overwrite) {
        float[] bp = BUFFERS.get()[1];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0, ks = kSlice(k); pc < k; pc += ks) {
                int kc = Math.min(ks, k - pc), jcf = jc, pcf = pc;
                if (parallel) {
                    Parallel.forRange(nc, NR, (j0, j1) -> SgemmPack.packB(transB, kc, j0, j1, b, bOff, ldb, pcf, jcf, bp, 0));
                    Parallel.forRange(m, MR, (i0, i1) -> rows(transA, i0, i1, nc, kc, alpha, a, aOff, lda, pcf, jcf, bp, c, cOff, ldc,
                            !overwrite || pcf > 0));
                } else {
                    SgemmPack.packB(transB, kc, 0, nc, b, bOff, ldb, pc, jc, bp, 0);
                    rows(transA, 0, m, nc, kc, alpha, a, aOff, lda, pc, jc, bp, c, cOff, ldc, !overwrite || pc > 0);
                }
            }
        }
    }

    /**
     * The length of each slice of k: as few slices as KC allows, of equal length (a multiple of
     * 8). KC and the rest left W2's 784 inputs as 3 × 256 + 16, and the last slice's micro-kernels
     * loaded and stored their tile of C for 16 steps of k; W4's 288 and 1600 were alike.
     */
    static int kSlice(int k) {
        int slices = (k + KC - 1) / KC;
        return Math.min(KC, ((k + slices - 1) / slices + 7) / 8 * 8);
    }

    /**
     * Rows per packed block of A: as few blocks as MC allows, of equal size (a multiple of MR),
     * so that no small last block uses each panel of B for only a micro-kernel or two.
     */
    static int rowBlock(int rows) {
        return rowBlock(rows, 1);
    }

    /**
     * {@link #rowBlock(int)} for blocks that the threads take in turn: their number rounded up to
     * a multiple of {@code parts}, so no thread is left with one block more than the others (when
     * rounding the block up to whole panels allows). W8's weight gradient of 784 rows was 7 blocks
     * of 114 on AVX2, 4 for one thread and 3 for the other, and two threads ran it only 1.60× as
     * fast as one; as 8 blocks of 99 (with B's panels packed one by one), 4–8% faster.
     */
    static int rowBlock(int rows, int parts) {
        int blocks = (rows + MC - 1) / MC;
        blocks = (blocks + parts - 1) / parts * parts;
        return ((rows + blocks - 1) / blocks + MR - 1) / MR * MR;
    }

    /** Rows [i0, i1) of C for one packed panel of B: blocks of A (equal, up to MC rows) packed, then the micro-kernels. */
    private static void rows(boolean transA, int i0, int i1, int nc, int kc, float alpha, float[] a, int aOff, int lda,
                             int pc, int jc, float[] bp, float[] c, int cOff, int ldc, boolean add) {
        float[][] buf = BUFFERS.get();
        int block = rowBlock(i1 - i0);
        boolean reads = readsA(transA, alpha);
        for (int ic = i0; ic < i1; ic += block) {
            int mc = Math.min(block, i1 - ic);
            if (reads) {
                blockRows(mc, nc, kc, a, aOff, lda, ic, pc, bp, 0, buf, c, cOff + ic * ldc + jc, ldc, add);
                continue;
            }
            SgemmPack.packA(transA, mc, kc, alpha, a, aOff, lda, ic, pc, buf[0]);
            SgemmMicro.macro(mc, nc, kc, buf[0], 0, bp, 0, buf[2], c, cOff + ic * ldc + jc, ldc, add);
        }
    }

    /**
     * op(B) packed once into the micro-kernel's panels, for many products with the same B: a
     * recurrent layer multiplies the same W_hh at every time step, and packing it each time
     * cost about as much as a third of the product itself (m is only the batch). A snapshot:
     * later changes to the source array are not seen.
     */
    public static final class PackedB {
        final int k, n;
        /** Panels (SIMD), or op(B) as a plain row-major k×n copy (scalar fallback). */
        final float[] data;

        private PackedB(int k, int n, float[] data) {
            this.k = k;
            this.n = n;
            this.data = data;
        }

        /** Rows of op(B): the shared dimension. */
        public int k() {
            return k;
        }

        /** Columns of op(B). */
        public int n() {
            return n;
        }
    }

    /** Packs op(B) (k×n; stored n×k with {@code transB}) for {@link #sgemm(boolean, int, float, float[], int, int, PackedB, float, float[], int, int)}. */
    public static PackedB pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k < 0 || n < 0) throw new IllegalArgumentException("sgemm pack: negative size " + k + "×" + n);
        if (!Simd.ENABLED) {
            float[] copy = new float[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) copy[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
            return new PackedB(k, n, copy);
        }
        int nPad = (n + NR - 1) / NR * NR;
        float[] data = new float[k * nPad];
        for (int pc = 0, ks = kSlice(k); pc < k; pc += ks) {
            SgemmPack.packB(transB, Math.min(ks, k - pc), 0, n, b, bOff, ldb, pc, 0, data, pc * nPad);
        }
        return new PackedB(k, n, data);
    }

    /** Packs op(A) (m×k; stored k×m with {@code transA}) for {@link #sgemm(PackedA, boolean, int, float[], int, int, float, float[], int, int)}. */
    public static PackedA packA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return PackedA.pack(transA, m, k, a, aOff, lda);
    }

    /** C = A·op(B) + beta·C with A packed by {@link #packA}; op(B) is A.k()×n. The threads split the columns. */
    public static void sgemm(PackedA a, boolean transB, int n, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        PackedA.sgemm(a, transB, n, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** C = alpha·op(A)·B + beta·C with B packed by {@link #pack}; op(A) is m×B.k(). The threads split the columns. */
    public static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b,
                             float beta, float[] c, int cOff, int ldc) {
        int n = b.n, k = b.k;
        if (m <= 0 || n <= 0) return;
        if (!Simd.ENABLED) {
            SgemmScalar.sgemm(transA, false, m, n, k, alpha, a, aOff, lda, b.data, 0, n, beta, c, cOff, ldc);
            return;
        }
        if (k <= 0 || alpha == 0f) {
            SgemmDirect.scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        boolean overwrite = beta == 0f;
        if (!overwrite) SgemmDirect.scaleC(m, n, beta, c, cOff, ldc);
        if ((long) m * n * k < PARALLEL_MIN || Parallel.threads() == 1) {
            packedColumns(transA, m, alpha, a, aOff, lda, b, 0, n, c, cOff, ldc, overwrite);
        } else {
            // One block of columns per thread, the same block at every call (the caller takes the
            // first): a recurrent layer calls this at every step, and each core's L2 keeps its half
            // of the packed B between steps instead of fetching it from L3.
            int t = Parallel.threads(), per = ((n + t - 1) / t + NR - 1) / NR * NR;
            Parallel.forRange(n, per, (j0, j1) -> packedColumns(transA, m, alpha, a, aOff, lda, b, j0, j1, c, cOff, ldc, overwrite));
        }
    }

    /** Columns [j0, j1) (j0 a multiple of NR) of C for a packed B: blocks of A packed per slice of k. */
    private static void packedColumns(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedB b,
                                      int j0, int j1, float[] c, int cOff, int ldc, boolean overwrite) {
        float[][] buf = BUFFERS.get();
        int nPad = (b.n + NR - 1) / NR * NR;
        for (int pc = 0, ks = kSlice(b.k); pc < b.k; pc += ks) {
            int kc = Math.min(ks, b.k - pc);
            int bpOff = pc * nPad + (j0 / NR) * kc * NR;
            int block = rowBlock(m);
            for (int ic = 0; ic < m; ic += block) {
                int mc = Math.min(block, m - ic);
                if (readsA(transA, alpha)) {
                    blockRows(mc, j1 - j0, kc, a, aOff, lda, ic, pc, b.data, bpOff, buf, c, cOff + ic * ldc + j0, ldc, !overwrite || pc > 0);
                    continue;
                }
                SgemmPack.packA(transA, mc, kc, alpha, a, aOff, lda, ic, pc, buf[0]);
                SgemmMicro.macro(mc, j1 - j0, kc, buf[0], 0, b.data, bpOff, buf[2], c, cOff + ic * ldc + j0, ldc, !overwrite || pc > 0);
            }
        }
    }
}
