package dev.glassbox.kernels;

/** {@link Sgemm}'s block sizes, chosen at start-up from the caches {@link CpuInfo} reads, or forced by a system property. */
final class SgemmBlocking {
    private SgemmBlocking() {}

    /**
     * The depth of a slice of k for an L1 data cache of {@code l1} bytes and an mr × nr tile, after
     * BLIS's analytical model (Low, Igual, Smith and Quintana-Ortí, 2016): the micro-panel of B
     * (kc × nr) stays in L1 while the micro-panels of A (mr × kc) stream past it. x86's L1 is
     * indexed within a 4 KB page, so it has l1 / 4 KB ways; one way is left to the lines of C, A
     * takes its share of the rest by its width (at least one way) and B what remains. A Zen 3
     * with AVX2's 3 × 24 tile: 8 ways, A 1, B 6, kc 256; a 48 KB L1 with AVX-512's 8 × 32: 12 ways,
     * A 3, B 8, kc 256 — the depth both were tuned at; a 32 KB L1 with AVX-512 gets 160. A multiple
     * of 8 from 64 to 512; an unknown L1 ({@code l1} 0) gets the tuned {@link #TUNED_KC}.
     */
    static int depthFor(int l1, int mr, int nr) {
        if (l1 <= 0) return TUNED_KC;
        int ways = Math.max(3, l1 / 4096);
        int aWays = Math.max(1, ((ways - 1) * mr + mr + nr - 1) / (mr + nr));
        int bWays = Math.max(1, ways - 1 - aWays);
        return Math.clamp(bWays * 4096L / (4L * nr) / 8 * 8, 64, 512);
    }

    /** The depth both tiles were tuned at, taken when the L1's size is unknown ({@link #depthFor} of 0). */
    static final int TUNED_KC = 256;

    /** The L1 size to choose the depth from: {@link CpuInfo#L1D} when the OS said it, 0 (unknown: {@link #TUNED_KC}) when it is CpuInfo's default. */
    static int knownL1() {
        return "default".equals(CpuInfo.SOURCE) ? 0 : CpuInfo.L1D;
    }

    /**
     * The most rows of a block of A whatever the L2: the size the kernels were tuned at (larger
     * blocks were not measured; they would leave two threads fewer blocks to share — 1024 rows
     * are 8 blocks of 128).
     */
    static final int MC_MAX = 128;

    /**
     * The most rows of a packed block of A (kc deep) for an L2 of {@code l2} bytes: the block takes
     * at most a quarter of L2 (the rest holds the block of C and the slice of B going by), and no
     * more than {@link #MC_MAX} rows; a multiple of mr. A Zen 3's 512 KB at kc 256 allows 128 rows;
     * 1 and 2 MB allow more, so the cap decides there.
     */
    static int rowsFor(int l2, int kc, int mr) {
        long rows = Math.min(MC_MAX, l2 / 4L / (4L * kc));
        return (int) Math.max(mr, rows / mr * mr);
    }

    /** A block size from {@code property} when set (a multiple of {@code unit}, {@link KernelProperties#blockProblem}), else {@code chosen}. */
    static int forced(String property, int chosen, int unit) {
        String problem = KernelProperties.blockProblem(property, unit);
        if (problem != null) throw new IllegalArgumentException(problem);
        String asked = System.getProperty(property);
        return asked == null ? chosen : Integer.parseInt(asked.trim());
    }
}
