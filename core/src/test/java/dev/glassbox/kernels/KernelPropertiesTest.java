package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The kernels' properties are checked by value, and a bad one is named with what it may be. */
class KernelPropertiesTest {
    private static String with(String key, String value) {
        String old = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return KernelProperties.problem();
        } finally {
            if (old == null) System.clearProperty(key);
            else System.setProperty(key, old);
        }
    }

    @Test
    void goodValuesPassAndBadOnesAreNamed() {
        assertNull(with("glassbox.simd.bits", "256"));
        assertNull(with("glassbox.sgemm.tile", "3x3"));
        assertEquals("-Dglassbox.simd.bits is 256 or 512, got '128'", with("glassbox.simd.bits", "128"));
        assertEquals("-Dglassbox.sgemm.tile is 8x2 or 3x3, got '9x9'", with("glassbox.sgemm.tile", "9x9"));
        assertNull(with("glassbox.sgemm.kc", "128"));
        assertNull(with("glassbox.sgemm.mc", "96"));
        assertEquals("-Dglassbox.sgemm.kc is a multiple of 8 from 8 to 4096, got '100'", with("glassbox.sgemm.kc", "100"));
        assertEquals("-Dglassbox.sgemm.mc is a multiple of 24 from 24 to 4096, got '126'", with("glassbox.sgemm.mc", "126"));
        for (String name : KernelProperties.SWITCHES) {
            assertNull(with(name, "false"));
            assertNull(with(name, "TRUE"));
            assertEquals("-D" + name + " is true or false, got 'off'", with(name, "off"));
        }
    }
}
