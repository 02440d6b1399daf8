package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParallelTest {
    /** Every index is run once, whatever the size and grain, across many calls in a row (a worker may start a call late). */
    @Test
    void everyIndexRunsExactlyOnce() {
        for (int call = 0; call < 2000; call++) {
            int n = 1 + call % 97 * 13, grain = 1 + call % 7;
            AtomicIntegerArray hits = new AtomicIntegerArray(n);
            Parallel.forRange(n, grain, (s, e) -> {
                assertEquals(0, s % grain, "chunks start on the grain");
                for (int i = s; i < e; i++) hits.incrementAndGet(i);
            });
            for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "call " + call + ", n " + n + ", index " + i);
        }
    }

    /** A chunk that throws: the exception reaches the caller, no call hangs on the chunks given up, and the pool works after. */
    @Test
    void aFailingChunkReachesTheCallerAndThePoolGoesOn() {
        for (int round = 0; round < 200; round++) {
            int bad = round % 6;
            var e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(6000, 1000, (s, end) -> {
                if (s / 1000 == bad) throw new IllegalStateException("chunk " + bad);
            }));
            assertEquals("chunk " + bad, e.getMessage());
            long[] sum = new long[1];
            Parallel.forRange(1000, 10, (s, end) -> {
                long local = 0;
                for (int i = s; i < end; i++) local += i;
                synchronized (sum) {
                    sum[0] += local;
                }
            });
            assertEquals(999L * 1000 / 2, sum[0]);
        }
    }
}
