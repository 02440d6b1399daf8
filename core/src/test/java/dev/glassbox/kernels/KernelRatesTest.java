package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rates behind bench/probe.sh kernel-peak: finite and positive; a kc that would leave L1, or no work, refused by name. */
class KernelRatesTest {
    @Test
    void ratesArePositiveAndFinite() {
        double peak = KernelRates.fmaPeakGflops(10_000), micro = KernelRates.microKernelGflops(64, 50);
        assertTrue(peak > 0 && Double.isFinite(peak), "peak " + peak);
        assertTrue(micro > 0 && Double.isFinite(micro), "micro-kernel " + micro);
    }

    @Test
    void aDepthWhosePanelsLeaveL1IsRefused() {
        int max = KernelRates.maxL1Depth();
        assertEquals(24 * 1024 / 4 / (Sgemm.MR + Sgemm.NR), max);
        KernelRates.microKernelGflops(max, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelRates.microKernelGflops(max + 1, 1));
        assertEquals("kc must keep both panels in L1 (1 to " + max + "), got " + (max + 1), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelRates.microKernelGflops(0, 1));
        assertEquals("calls must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> KernelRates.microKernelGflops(8, 0)).getMessage());
        assertEquals("iterations must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> KernelRates.fmaPeakGflops(0)).getMessage());
    }
}
