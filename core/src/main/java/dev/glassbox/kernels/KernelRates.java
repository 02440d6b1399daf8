package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.Locale;

/**
 * How fast one core runs SGEMM's micro-kernel against the FMA peak, both timed here (for
 * {@code bench/probe.sh kernel-peak}). The peak is a loop of FMAs on twelve accumulators held in
 * registers (no loads); the micro-kernel is {@link Sgemm}'s own, over one packed panel of A and
 * one of B that stay in L1, called again and again, so no cache miss slows it. Their ratio, at
 * the moment it is measured, is about the most of the peak that a product built on this
 * micro-kernel can reach. {@link #main} is the probe {@code bench/probe.sh kernel-peak} runs: it
 * lives here, with the kernels it times, because nothing above {@code core} reaches into them.
 */
public final class KernelRates {
    private static final VectorSpecies<Float> F = Simd.F;
    private static float[] sink = new float[F.length()];

    private KernelRates() {}

    /** GFLOPS of {@code iterations} steps of 12 independent FMAs on registers. */
    public static double fmaPeakGflops(int iterations) {
        if (iterations < 1) throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        float[] x = new float[2 * F.length()];
        Arrays.fill(x, 0.5f);
        long t0 = System.nanoTime();
        peak(iterations, x);
        long t = System.nanoTime() - t0;
        return 2.0 * 12 * F.length() * iterations / t;
    }

    private static void peak(int n, float[] x) {
        FloatVector a = FloatVector.fromArray(F, x, 0), b = FloatVector.fromArray(F, x, F.length());
        FloatVector c0 = a, c1 = b, c2 = a, c3 = b, c4 = a, c5 = b, c6 = a, c7 = b, c8 = a, c9 = b, c10 = a, c11 = b;
        for (int i = 0; i < n; i++) {
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).intoArray(sink, 0);
    }

    /** The deepest panels of A and B that fit together in 24 KB, within any core's L1 data cache. */
    public static int maxL1Depth() {
        return 24 * 1024 / 4 / (Sgemm.MR + Sgemm.NR);
    }

    /** GFLOPS of {@code calls} calls of the SGEMM micro-kernel over panels of depth {@code kc} kept in L1. */
    public static double microKernelGflops(int kc, int calls) {
        if (kc < 1 || kc > maxL1Depth()) {
            throw new IllegalArgumentException("kc must keep both panels in L1 (1 to " + maxL1Depth() + "), got " + kc);
        }
        if (calls < 1) throw new IllegalArgumentException("calls must be at least 1, got " + calls);
        float[] ap = new float[kc * Sgemm.MR], bp = new float[kc * Sgemm.NR], tile = new float[Sgemm.MR * Sgemm.NR];
        Arrays.fill(ap, 1e-3f);
        Arrays.fill(bp, 1e-3f);
        long t0 = System.nanoTime();
        for (int q = 0; q < calls; q++) SgemmMicro.micro(kc, ap, 0, bp, 0, tile, 0, Sgemm.NR);
        long t = System.nanoTime() - t0;
        sink[0] += tile[0];
        return 2.0 * Sgemm.MR * Sgemm.NR * kc * calls / t;
    }

    /**
     * On one core, the micro-kernel over panels kept in L1 against the FMA loop, in alternating
     * pairs of about 5 ms each (100 pairs after 2 s of warming up): the quartiles of each and the
     * median of the pairs' ratios.
     */
    public static void main(String[] args) {
        int kc = Math.min(128, maxL1Depth()), pairs = 100;
        long warm = System.nanoTime();
        while (System.nanoTime() - warm < 2_000_000_000L) {
            fmaPeakGflops(100_000);
            microKernelGflops(kc, 1000);
        }
        double[] peak = new double[pairs], micro = new double[pairs], ratio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            peak[i] = fmaPeakGflops(2_500_000);
            micro[i] = microKernelGflops(kc, 15_000);
            ratio[i] = micro[i] / peak[i];
        }
        Arrays.sort(peak);
        Arrays.sort(micro);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "FMA peak, one core: %.1f GFLOPS (quartiles %.1f-%.1f)%n", peak[pairs / 2], peak[pairs / 4], peak[3 * pairs / 4]);
        System.out.printf(Locale.ROOT, "SGEMM micro-kernel %dx%d, kc %d, panels in L1: %.1f GFLOPS (quartiles %.1f-%.1f)%n",
                Sgemm.MR, Sgemm.NR, kc, micro[pairs / 2], micro[pairs / 4], micro[3 * pairs / 4]);
        System.out.printf(Locale.ROOT, "micro-kernel / peak: %.3f (median of %d pairs; quartiles %.3f-%.3f)%n",
                ratio[pairs / 2], pairs, ratio[pairs / 4], ratio[3 * pairs / 4]);
    }
}
