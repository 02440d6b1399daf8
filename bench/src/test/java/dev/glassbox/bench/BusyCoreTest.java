package dev.glassbox.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The busy core's spinner: running on the last CPU while open, gone after. */
class BusyCoreTest {
    @Test
    void spinsOnTheLastCpuUntilClosed() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "one CPU: --busy-core refuses, nothing to test here");
        BusyCore busy = BusyCore.start();
        try {
            assertEquals(Runtime.getRuntime().availableProcessors() - 1, busy.cpu);
            Thread.sleep(100);
            assertTrue(busy.spinning(), "the spinner runs while open");
        } finally {
            busy.close();
        }
        assertFalse(busy.spinning(), "closed, the spinner is gone");
    }
}
