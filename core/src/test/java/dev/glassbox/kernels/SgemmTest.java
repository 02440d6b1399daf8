package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The fast SGEMM against its scalar twin: sizes around the vector width and the block sizes, all transposes, offsets. */
class SgemmTest {
    /**
     * Around the vector widths (8, 16), the tiles' rows (3, 8) and columns (24 and 48 with AVX2's
     * 3 × 3 vectors; 32 and 48 with AVX-512's 8 × 2 and 3 × 3), and past them.
     */
    private static final int[] SIZES = {1, 2, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 47, 49, 65, 97};

    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        Random r = new Random(1);
        for (int m : SIZES) {
            for (int n : SIZES) {
                int k = SIZES[r.nextInt(SIZES.length)];
                out.add(Arguments.of(m, n, k, r.nextBoolean(), r.nextBoolean()));
            }
        }
        // past the small-problem cut-off, past MC=126 (equal row blocks: 129 → 66 + 63, 257 → 87 + 87 + 83) and KC=256,
        // ragged edges, and threaded (the column split for few rows: 129 × 520)
        out.add(Arguments.of(130, 70, 300, false, false));
        out.add(Arguments.of(130, 70, 300, true, false));
        out.add(Arguments.of(130, 70, 300, false, true));
        out.add(Arguments.of(130, 70, 300, true, true));
        out.add(Arguments.of(255, 257, 129, false, false));
        out.add(Arguments.of(129, 520, 300, true, false));
        out.add(Arguments.of(257, 70, 40, true, true));
        out.add(Arguments.of(64, 1023, 100, false, true));
        out.add(Arguments.of(1023, 40, 100, true, false));
        // many rows, few columns: B packed whole, each row block of A packed by the thread that runs it, over every
        // slice of k (3 slices, 5 row blocks, 256 + 45 columns; two blocks of columns)
        out.add(Arguments.of(600, 301, 530, false, true));
        out.add(Arguments.of(517, 270, 300, true, true));
        out.add(Arguments.of(600, 500, 530, false, false));
        out.add(Arguments.of(784, 400, 128, true, false));   // W8's weight gradient: row blocks an even number, B's panels taken in turn
        // many rows, many columns (three blocks of columns or more): A and B packed whole
        out.add(Arguments.of(520, 800, 300, true, false));
        out.add(Arguments.of(530, 1100, 70, false, true));
        out.add(Arguments.of(32, 1024, 256, false, true));    // an LSTM step, forward and backward
        out.add(Arguments.of(32, 256, 1024, false, false));
        out.add(Arguments.of(9, 600, 530, true, true));
        // few rows and one to four panels of columns a thread (W2's second layer), both ways of packing A
        out.add(Arguments.of(128, 128, 256, false, true));
        out.add(Arguments.of(97, 150, 300, true, false));
        // panels that do not come out even among two threads, the last split by rows: 400 columns are 17 panels on AVX2
        // and 13 on AVX-512, 256 are 11 on AVX2 (W2's first layer); 100 rows split at a whole panel of rows, ending in part of one
        out.add(Arguments.of(128, 400, 300, false, true));
        out.add(Arguments.of(100, 256, 200, true, false));
        out.add(Arguments.of(100, 400, 90, false, false));
        // a small C over a long k, split along k between the threads (weight gradients over a batch's tokens)
        out.add(Arguments.of(53, 128, 2048, true, false));
        out.add(Arguments.of(128, 128, 1100, false, true));
        out.add(Arguments.of(9, 40, 3001, true, true));
        // a last panel of B no wider than a vector (the one-vector tiles), over two slices of k so the tiles add to C:
        // 56 and 536 columns end in 8 on AVX2 (3 × 24 wide), 48 and 528 in 16 on AVX-512 (8 × 32); 128 is W6's width
        out.add(Arguments.of(130, 56, 300, false, false));
        out.add(Arguments.of(131, 56, 300, true, true));
        out.add(Arguments.of(130, 48, 300, false, true));
        out.add(Arguments.of(600, 128, 530, true, false));
        out.add(Arguments.of(129, 536, 300, false, false));
        out.add(Arguments.of(129, 528, 300, true, true));
        // around this JVM's own blocking (chosen from the caches, or -Dglassbox.sgemm.kc/mc): one row and one
        // value of k either side of a block's edge, and past two blocks, few rows and many
        int kc = Sgemm.KC, mc = Sgemm.MC;
        out.add(Arguments.of(mc + 1, 70, kc + 1, false, false));
        out.add(Arguments.of(mc - 1, 300, kc - 1, true, true));
        out.add(Arguments.of(2 * mc + 5, 90, 2 * kc + 9, false, true));
        out.add(Arguments.of(2 * mc + 5, 530, 2 * kc + 9, true, false));
        out.add(Arguments.of(600, 200, kc + 8, false, false));
        return out.stream();
    }

    /** The register tile is the one asked for (-Dglassbox.sgemm.tile), else the one the vector width picks: 8 × 2 vectors on AVX-512. */
    @org.junit.jupiter.api.Test
    void theTileIsTheOneAskedForOrTheMachines() {
        String asked = System.getProperty("glassbox.sgemm.tile");
        boolean wide = asked != null ? asked.equals("8x2") : Simd.lanes() >= 16;
        assertEquals(wide ? 8 : 3, Sgemm.MR);
        assertEquals((wide ? 2 : 3) * Simd.lanes(), Sgemm.NR);
    }

    /** Random operands with offsets and padded leading dimensions, C in two copies: one for the kernel under test, one for the twin. */
    private record Case(int m, int n, int k, boolean tA, boolean tB, float[] a, float[] b, float[] c0, float[] c1) {
        static final int A_OFF = 3, B_OFF = 5, C_OFF = 2;

        static Case of(int m, int n, int k, boolean tA, boolean tB) {
            Random r = new Random(m * 31L + n * 7L + k);
            float[] a = rand(r, A_OFF + (tA ? k : m) * ((tA ? m : k) + 1)), b = rand(r, B_OFF + (tB ? n : k) * ((tB ? k : n) + 2));
            float[] c0 = rand(r, C_OFF + m * (n + 3));
            return new Case(m, n, k, tA, tB, a, b, c0, c0.clone());
        }

        int lda() { return (tA ? m : k) + 1; }
        int ldb() { return (tB ? k : n) + 2; }
        int ldc() { return n + 3; }

        /** The scalar twin into c1, then c0 (the fast kernel's result) against it. */
        void checkAgainstTwin(String what) {
            SgemmScalar.sgemm(tA, tB, m, n, k, 0.75f, a, A_OFF, lda(), b, B_OFF, ldb(), 0.5f, c1, C_OFF, ldc());
            for (int i = 0; i < c0.length; i++) {
                float tol = 1e-4f * (k + 1);
                if (Math.abs(c0[i] - c1[i]) > tol) fail("C[" + i + "]: " + what + " " + c0[i] + ", scalar " + c1[i]);
            }
        }
    }

    @ParameterizedTest(name = "m={0} n={1} k={2} tA={3} tB={4}")
    @MethodSource("shapes")
    void matchesScalarTwin(int m, int n, int k, boolean tA, boolean tB) {
        Case t = Case.of(m, n, k, tA, tB);
        Sgemm.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, t.c0, Case.C_OFF, t.ldc());
        t.checkAgainstTwin("fast");
    }

    /**
     * Small products with few columns (SgemmSmall): every transpose, one and two vectors of
     * columns and a row of results either side of each, rows around its blocks of four, and
     * the products of W3's network (a batch of 32 through 25-3-3-10, forward and backward).
     */
    static Stream<Arguments> smallShapes() {
        int l = Simd.lanes();
        int[][] mnk = {{2, 1, 1}, {3, l - 1, 3}, {4, l, 25}, {5, l + 1, 7}, {7, 2 * l - 1, 2}, {8, 2 * l, 16}, {9, 2 * l + 1, 5},
                {6, 4 * l, 33}, {2, 4 * l, 256}, {13, 3 * l + 5, 60}, {32, 3, 25}, {32, 10, 3}, {32, 3, 3}, {3, 25, 32}, {10, 3, 32}};
        List<Arguments> out = new ArrayList<>();
        for (int[] s : mnk) {
            for (int t = 0; t < 4; t++) out.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "small m={0} n={1} k={2} tA={3} tB={4}")
    @MethodSource("smallShapes")
    void smallProductsMatchTwinAndDirectLoops(int m, int n, int k, boolean tA, boolean tB) {
        assertTrue(SgemmSmall.takes(m, n, k), "the shape is one for the small kernel");
        Case t = Case.of(m, n, k, tA, tB);
        float[] direct = t.c0.clone();
        Sgemm.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, t.c0, Case.C_OFF, t.ldc());
        t.checkAgainstTwin("small");
        SgemmScalar.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, direct, Case.C_OFF, t.ldc());
        boolean was = SgemmSmall.enabled;
        float[] viaDirect = Case.of(m, n, k, tA, tB).c0;
        try {
            SgemmSmall.enabled = false;
            Sgemm.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, viaDirect, Case.C_OFF, t.ldc());
        } finally {
            SgemmSmall.enabled = was;
        }
        for (int i = 0; i < direct.length; i++) {
            assertEquals(direct[i], viaDirect[i], 1e-4f * (k + 1), "the direct loops against the twin at " + i);
        }
        // C's padding between rows (ldc = n + 3) and before the offset is left alone
        float[] before = Case.of(m, n, k, tA, tB).c0;
        for (int i = 0; i < m; i++) {
            for (int j = n; j < t.ldc() && Case.C_OFF + i * t.ldc() + j < before.length; j++) {
                assertEquals(before[Case.C_OFF + i * t.ldc() + j], t.c0[Case.C_OFF + i * t.ldc() + j], "C[" + i + "][" + j + "] past the row");
            }
        }
        assertEquals(before[0], t.c0[0]);
        assertEquals(before[1], t.c0[1]);
    }

    @ParameterizedTest(name = "packed m={0} n={1} k={2} tA={3} tB={4}")
    @MethodSource("shapes")
    void packedBMatchesScalarTwin(int m, int n, int k, boolean tA, boolean tB) {
        Case t = Case.of(m, n, k, tA, tB);
        Sgemm.PackedB packed = Sgemm.pack(tB, k, n, t.b, Case.B_OFF, t.ldb());
        t.b[Case.B_OFF] += 100f;   // a snapshot: later changes to B are not seen
        Sgemm.sgemm(tA, m, 0.75f, t.a, Case.A_OFF, t.lda(), packed, 0.5f, t.c0, Case.C_OFF, t.ldc());
        t.b[Case.B_OFF] -= 100f;
        t.checkAgainstTwin("packed");
    }

    @ParameterizedTest(name = "packed A m={0} n={1} k={2} tA={3} tB={4}")
    @MethodSource("shapes")
    void packedAMatchesScalarTwin(int m, int n, int k, boolean tA, boolean tB) {
        Case t = Case.of(m, n, k, tA, tB);
        PackedA packed = Sgemm.packA(tA, m, k, t.a, Case.A_OFF, t.lda());
        t.a[Case.A_OFF] += 100f;   // a snapshot: later changes to A are not seen
        float[] nan = t.c0.clone();
        for (int i = 0; i < m; i++) java.util.Arrays.fill(nan, Case.C_OFF + i * t.ldc(), Case.C_OFF + i * t.ldc() + n, Float.NaN);
        Sgemm.sgemm(packed, tB, n, t.b, Case.B_OFF, t.ldb(), 0.5f, t.c0, Case.C_OFF, t.ldc());
        Sgemm.sgemm(packed, tB, n, t.b, Case.B_OFF, t.ldb(), 0f, nan, Case.C_OFF, t.ldc());   // used twice; beta 0 reads no C
        t.a[Case.A_OFF] -= 100f;
        float[] twin = t.c1.clone(), twin0 = t.c1.clone();
        SgemmScalar.sgemm(tA, tB, m, n, k, 1f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, twin, Case.C_OFF, t.ldc());
        SgemmScalar.sgemm(tA, tB, m, n, k, 1f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0f, twin0, Case.C_OFF, t.ldc());
        for (int i = 0; i < twin.length; i++) {
            float tol = 1e-4f * (k + 1);
            if (!(Math.abs(t.c0[i] - twin[i]) <= tol)) fail("C[" + i + "]: packed A " + t.c0[i] + ", scalar " + twin[i]);
            if (!(Math.abs(nan[i] - twin0[i]) <= tol)) fail("beta 0 C[" + i + "]: packed A " + nan[i] + ", scalar " + twin0[i]);
        }
    }

    /**
     * A stored k × m (transposed) packed into panels, checked value by value: every block height around the
     * tile's rows and a vector's width, every depth up to past a vector's worth of rows, A ending
     * exactly where the block's last row does (no vector may read past it), and the space after
     * the block left as it was (the vectors that carry a panel's next rows must stay in it).
     */
    @Test
    void transposedAPacksEveryValueIntoItsPanelAndNothingBeyond() {
        int mr = Sgemm.MR, lanes = Simd.lanes();
        Random r = new Random(7);
        for (int mc = 1; mc <= 2 * mr + lanes + 2; mc++) {
            for (int kc = 1; kc <= lanes + 6; kc++) {
                int lda = mc + 2, aOff = 1, ic = 2, pc = 1, apOff = 5;
                float[] a = new float[aOff + (pc + kc - 1) * lda + ic + mc];   // the block's last value is A's last
                for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
                int panels = (mc + mr - 1) / mr, size = panels * kc * mr;
                float[] ap = new float[apOff + size + 2 * lanes];
                java.util.Arrays.fill(ap, Float.NaN);
                SgemmPack.packA(true, mc, kc, 0.5f, a, aOff, lda, ic, pc, ap, apOff);
                for (int panel = 0; panel < panels; panel++) {
                    for (int p = 0; p < kc; p++) {
                        for (int i = 0; i < mr; i++) {
                            int row = panel * mr + i;
                            float want = row < mc ? 0.5f * a[aOff + (pc + p) * lda + ic + row] : 0f;
                            float got = ap[apOff + (panel * kc + p) * mr + i];
                            if (Float.compare(want, got) != 0) {
                                fail("mc " + mc + " kc " + kc + ": panel " + panel + " k " + p + " row " + i + " is " + got + ", want " + want);
                            }
                        }
                    }
                }
                for (int i = 0; i < apOff; i++) assertTrue(Float.isNaN(ap[i]), "mc " + mc + " kc " + kc + ": written before the block at " + i);
                for (int i = apOff + size; i < ap.length; i++) {
                    assertTrue(Float.isNaN(ap[i]), "mc " + mc + " kc " + kc + ": written past the block at " + (i - apOff - size));
                }
            }
        }
    }

    /** With beta 0, C is written, not read: NaN in C (outside the scalar path's reach too) must not leak into any element. */
    @ParameterizedTest(name = "beta 0 m={0} n={1} k={2} tA={3} tB={4}")
    @MethodSource("shapes")
    void betaZeroOverwritesEveryPath(int m, int n, int k, boolean tA, boolean tB) {
        Case t = Case.of(m, n, k, tA, tB);
        float[] nan = t.c0.clone(), twin = t.c0.clone();
        for (int i = 0; i < m; i++) java.util.Arrays.fill(nan, Case.C_OFF + i * t.ldc(), Case.C_OFF + i * t.ldc() + n, Float.NaN);
        float[] packed = nan.clone();
        Sgemm.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0f, nan, Case.C_OFF, t.ldc());
        Sgemm.sgemm(tA, m, 0.75f, t.a, Case.A_OFF, t.lda(), Sgemm.pack(tB, k, n, t.b, Case.B_OFF, t.ldb()), 0f, packed, Case.C_OFF, t.ldc());
        SgemmScalar.sgemm(tA, tB, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0f, twin, Case.C_OFF, t.ldc());
        for (int i = 0; i < twin.length; i++) {
            float tol = 1e-4f * (k + 1);
            if (!(Math.abs(nan[i] - twin[i]) <= tol)) fail("C[" + i + "]: " + nan[i] + ", scalar " + twin[i]);
            if (!(Math.abs(packed[i] - twin[i]) <= tol)) fail("packed C[" + i + "]: " + packed[i] + ", scalar " + twin[i]);
        }
    }

    /**
     * Alpha 1 and A stored by rows: with AVX2's 3-row tile the micro-kernel reads A where it is
     * ({@link Sgemm#rowsOfA}) on every path (small, few rows, many rows, a packed B) — the same
     * bits as packing it, and the twin's values; with the 8-row tile A is always packed.
     */
    @ParameterizedTest(name = "A by rows m={0} n={1} k={2} tB={4}")
    @MethodSource("shapes")
    void aReadWhereItIsMatchesPackedAndTwin(int m, int n, int k, boolean tA, boolean tB) {
        Case t = Case.of(m, n, k, false, tB);
        boolean before = Sgemm.rowsOfA;
        assertEquals(!Sgemm.WIDE_TILE, before, "A is read by rows exactly with the 3-row tile (unless -Dglassbox.sgemm.rowsOfA=false)");
        float[][] out = new float[4][];
        try {
            for (int pass = 0; pass < 2; pass++) {
                Sgemm.rowsOfA = pass == 0 && before;
                float[] c = t.c0.clone(), cp = t.c0.clone();
                Sgemm.sgemm(false, tB, m, n, k, 1f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, c, Case.C_OFF, t.ldc());
                Sgemm.sgemm(false, m, 1f, t.a, Case.A_OFF, t.lda(), Sgemm.pack(tB, k, n, t.b, Case.B_OFF, t.ldb()), 0.5f, cp, Case.C_OFF, t.ldc());
                out[2 * pass] = c;
                out[2 * pass + 1] = cp;
            }
        } finally {
            Sgemm.rowsOfA = before;
        }
        float[] twin = t.c1.clone();
        SgemmScalar.sgemm(false, tB, m, n, k, 1f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, twin, Case.C_OFF, t.ldc());
        for (int i = 0; i < twin.length; i++) {
            if (Float.floatToRawIntBits(out[0][i]) != Float.floatToRawIntBits(out[2][i])) fail("C[" + i + "]: by rows " + out[0][i] + ", packed " + out[2][i]);
            if (Float.floatToRawIntBits(out[1][i]) != Float.floatToRawIntBits(out[3][i])) fail("packed B C[" + i + "]: by rows " + out[1][i] + ", packed " + out[3][i]);
            if (!(Math.abs(out[0][i] - twin[i]) <= 1e-4f * (k + 1))) fail("C[" + i + "]: " + out[0][i] + ", scalar " + twin[i]);
        }
    }

    /** Few rows and an A too long to keep packed whole (m·k above 2²³ floats): the columns split per thread instead. */
    @Test
    void fewRowsWithALongAMatchTwin() {
        Case t = Case.of(500, 130, 16_800, false, true);
        Sgemm.sgemm(false, true, 500, 130, 16_800, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, t.c0, Case.C_OFF, t.ldc());
        t.checkAgainstTwin("long A");
    }

    /**
     * Few rows, A stored by rows: each thread packs its own copy of A at its first chunk of a
     * product. Products of one shape in a row, with A changed in place between them (as a layer's
     * input buffer is reused), and one of another shape between: each must pack its own A, never
     * reuse the copy of the product before.
     */
    @Test
    void fewRowsOwnCopiesOfAFollowEachProduct() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {2}) {
                Parallel.setThreads(threads);
                int m = 128, n = 40 * Sgemm.NR, k = 300;
                assertTrue(SgemmFewRows.ownCopy(false, m, k), "this shape takes each thread's own copy of A");
                Case t = Case.of(m, n, k, false, true);
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < t.a.length; i++) t.a[i] = (float) Math.sin(i * 0.37 + round);
                    float[] fresh = t.c0.clone();
                    System.arraycopy(fresh, 0, t.c1, 0, fresh.length);
                    Sgemm.sgemm(false, true, m, n, k, 0.75f, t.a, Case.A_OFF, t.lda(), t.b, Case.B_OFF, t.ldb(), 0.5f, t.c0, Case.C_OFF, t.ldc());
                    t.checkAgainstTwin(threads + " threads, round " + round);
                    System.arraycopy(fresh, 0, t.c0, 0, fresh.length);
                    Case other = Case.of(96, 30 * Sgemm.NR, 200, false, false);
                    Sgemm.sgemm(false, false, 96, other.n(), 200, 0.75f, other.a, Case.A_OFF, other.lda(), other.b, Case.B_OFF, other.ldb(), 0.5f,
                            other.c0, Case.C_OFF, other.ldc());
                    other.checkAgainstTwin(threads + " threads, between rounds");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void betaZeroIgnoresNanInC() {
        float[] a = {1, 2, 3, 4}, b = {1, 0, 0, 1};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Sgemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertEquals(List.of(1f, 2f, 3f, 4f), List.of(c[0], c[1], c[2], c[3]));
    }

    @Test
    void singleAndMultiThreadedAgree() {
        Random r = new Random(5);
        int m = 300, n = 200, k = 150;
        float[] a = rand(r, m * k), b = rand(r, k * n), c1 = new float[m * n], c2 = new float[m * n];
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c1, 0, n);
            Parallel.setThreads(2);
            Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c2, 0, n);
        } finally {
            Parallel.setThreads(before);
        }
        for (int i = 0; i < c1.length; i++) assertEquals(c1[i], c2[i], 0f, "element " + i);
    }

    static float[] rand(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
