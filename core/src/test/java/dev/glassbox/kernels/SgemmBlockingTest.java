package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SGEMM's block sizes as chosen from the caches: the values the kernels were tuned at on each CPU of this kind, the bounds, the overrides. */
class SgemmBlockingTest {
    @Test
    void depthOfASliceOfKFromL1() {
        assertEquals(256, SgemmBlocking.depthFor(32 << 10, 3, 24), "Zen 3, AVX2's 3 x 24 tile");
        assertEquals(256, SgemmBlocking.depthFor(48 << 10, 8, 32), "Xeon or Zen 5, AVX-512's 8 x 32 tile");
        assertEquals(384, SgemmBlocking.depthFor(48 << 10, 3, 24), "a 48 KB L1 running AVX2's tile");
        assertEquals(160, SgemmBlocking.depthFor(32 << 10, 8, 32), "a 32 KB L1 running AVX-512's tile");
        assertEquals(64, SgemmBlocking.depthFor(8 << 10, 8, 32), "a tiny L1 still gets the smallest depth");
        assertEquals(512, SgemmBlocking.depthFor(1 << 20, 3, 24), "a huge one no more than the largest");
        assertEquals(256, SgemmBlocking.depthFor(0, 8, 32), "an L1 the OS did not tell: the tuned depth, not a 32 KB guess's 160");
        for (int l1 : new int[] {16 << 10, 32 << 10, 48 << 10, 64 << 10}) {
            for (int[] tile : new int[][] {{3, 24}, {8, 32}, {3, 48}}) {
                int kc = SgemmBlocking.depthFor(l1, tile[0], tile[1]);
                assertEquals(0, kc % 8, "a multiple of 8");
                assertTrue(kc == 64 || kc * tile[1] * 4 <= l1 - 2 * 4096, "B's micro-panel leaves two ways of L1 to A and C: " + kc + " deep for " + l1);
            }
        }
    }

    @Test
    void rowsOfABlockFromL2() {
        assertEquals(126, SgemmBlocking.rowsFor(512 << 10, 256, 3), "Zen 3: a quarter of 512 KB");
        assertEquals(128, SgemmBlocking.rowsFor(2 << 20, 256, 8), "Xeon: the cap");
        assertEquals(63, SgemmBlocking.rowsFor(256 << 10, 256, 3), "a 256 KB L2 halves the block");
        assertEquals(8, SgemmBlocking.rowsFor(4 << 10, 512, 8), "never fewer rows than the tile");
        assertTrue(Sgemm.MC % Sgemm.MR == 0 && Sgemm.MC <= SgemmBlocking.MC_MAX || System.getProperty("glassbox.sgemm.mc") != null,
                "this JVM's block is whole panels: " + Sgemm.blocking());
        assertTrue(Sgemm.KC % 8 == 0, Sgemm.blocking());
    }

    @Test
    void rowBlocksThatTheThreadsTakeInTurnComeInAMultipleOfTheirNumber() {
        assertEquals(Sgemm.rowBlock(784), Sgemm.rowBlock(784, 1), "one part: the plain blocks");
        for (int rows = 1; rows <= 3000; rows += 7) {
            for (int parts = 1; parts <= 4; parts++) {
                int block = Sgemm.rowBlock(rows, parts), blocks = (rows + block - 1) / block;
                assertEquals(0, block % Sgemm.MR, "whole panels: " + rows + " rows, " + parts + " parts");
                assertTrue(block <= Math.max(Sgemm.MC, Sgemm.MR), "no block above MC: " + block + " for " + rows + " rows");
                int wanted = ((rows + Sgemm.MC - 1) / Sgemm.MC + parts - 1) / parts * parts;
                // rounding a block up to whole panels may leave fewer blocks than asked, never more
                assertTrue(blocks <= wanted, rows + " rows in " + parts + " parts: " + blocks + " blocks of " + block + ", asked for " + wanted);
            }
        }
        // W8's weight gradient (784 rows) at the blocking this JVM chose from its caches: 7 blocks of at most MC
        // rows would leave one thread of two a block more (the test run with small blocks forces MC)
        if (System.getProperty("glassbox.sgemm.mc") == null) {
            int block = Sgemm.rowBlock(784, 2);
            assertEquals(0, (784 + block - 1) / block % 2, "784 rows on two threads: " + block + " a block, " + Sgemm.blocking());
        }
    }

    @Test
    void thisJvmRunsTheBlocksChosenFromItsCachesUnlessForced() {
        if (System.getProperty("glassbox.sgemm.kc") == null) {
            assertEquals(SgemmBlocking.depthFor(SgemmBlocking.knownL1(), Sgemm.MR, Sgemm.NR), Sgemm.KC, Sgemm.blocking());
        } else {
            assertEquals(Integer.parseInt(System.getProperty("glassbox.sgemm.kc")), Sgemm.KC, Sgemm.blocking());
        }
        if (System.getProperty("glassbox.sgemm.mc") == null) {
            assertEquals(SgemmBlocking.rowsFor(CpuInfo.L2, Sgemm.KC, Sgemm.MR), Sgemm.MC, Sgemm.blocking());
        } else {
            assertEquals(Integer.parseInt(System.getProperty("glassbox.sgemm.mc")), Sgemm.MC, Sgemm.blocking());
        }
        assertEquals(Sgemm.MR + "x" + Sgemm.NR + " tile, kc " + Sgemm.KC + ", mc " + Sgemm.MC, Sgemm.blocking());
    }

    @Test
    void anOverrideIsTakenWhenValidAndRefusedWithItsRangeWhenNot() {
        String name = "glassbox.test.blocking";
        try {
            System.setProperty(name, "96");
            assertEquals(96, SgemmBlocking.forced(name, 256, 8));
            System.clearProperty(name);
            assertEquals(256, SgemmBlocking.forced(name, 256, 8));
            for (String bad : new String[] {"100", "0", "-8", "8192", "deep"}) {
                System.setProperty(name, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SgemmBlocking.forced(name, 256, 8));
                assertEquals("-D" + name + " is a multiple of 8 from 8 to 4096, got '" + bad + "'", e.getMessage());
            }
        } finally {
            System.clearProperty(name);
        }
    }
}
