package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuInfoTest {
    @Test
    void sizesReadAsSysfsAndGetconfWriteThem() {
        assertEquals(48 << 10, CpuInfo.parseSize("48K"));
        assertEquals(2 << 20, CpuInfo.parseSize("2M"));
        assertEquals(1048576, CpuInfo.parseSize("1048576"));
        assertEquals(0, CpuInfo.parseSize("undefined"));
        assertEquals(0, CpuInfo.parseSize(""));
    }

    @Test
    void theCachesHaveSizes() {
        assertTrue(CpuInfo.L1D >= 8 << 10 && CpuInfo.L2 > CpuInfo.L1D, "L1d " + CpuInfo.L1D + ", L2 " + CpuInfo.L2 + " (" + CpuInfo.SOURCE + ")");
        assertTrue(java.util.List.of("sysfs", "getconf", "default").contains(CpuInfo.SOURCE));
    }
}
