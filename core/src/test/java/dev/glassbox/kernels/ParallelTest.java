package dev.glassbox.kernels;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
                if (s <= bad * 1000 && bad * 1000 < end) throw new IllegalStateException("chunk " + bad);   // the chunk holding unit bad
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

    /**
     * {@link Parallel#both}: each task runs once per call; with two threads some calls run them
     * on two threads at once; inside a parallel body both run on the calling thread; a task's
     * exception reaches the caller and the pool goes on.
     */
    @Test
    void bothRunsEachTaskOnceSideBySideWhenAWorkerIsFree() {
        // 500 calls of ~20 µs tasks, then (only if none ran side by side: a loaded machine, where
        // the worker may be woken late, as on a CI host) up to 300 calls of ~2 ms tasks, long
        // enough for a scheduler to give the worker a core; stops at the first side-by-side call.
        int sideBySide = 0;
        for (int call = 0; call < 800 && (call < 500 || sideBySide == 0); call++) {
            AtomicInteger first = new AtomicInteger(), second = new AtomicInteger();
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            long nanos = call < 500 ? 20_000 : 2_000_000;
            Parallel.both(() -> { first.incrementAndGet(); ran.add(Thread.currentThread()); busy(nanos); },
                    () -> { second.incrementAndGet(); ran.add(Thread.currentThread()); busy(nanos); });
            assertEquals(1, first.get(), "call " + call);
            assertEquals(1, second.get(), "call " + call);
            if (ran.size() == 2) sideBySide++;
        }
        if (Parallel.threads() > 1) assertTrue(sideBySide > 0, "with " + Parallel.threads() + " threads no call ran its tasks side by side");

        Parallel.forRange(4, 1, (s, e) -> {
            Thread self = Thread.currentThread();
            Set<Thread> ran = ConcurrentHashMap.newKeySet();
            Parallel.both(() -> ran.add(Thread.currentThread()), () -> ran.add(Thread.currentThread()));
            assertEquals(Set.of(self), ran, "inside a body both tasks run on the thread that called");
        });

        var e = assertThrows(IllegalStateException.class, () -> Parallel.both(() -> busy(20_000), () -> {
            throw new IllegalStateException("second task");
        }));
        assertEquals("second task", e.getMessage());
        AtomicInteger after = new AtomicInteger();
        Parallel.both(after::incrementAndGet, after::incrementAndGet);
        assertEquals(2, after.get());
    }

    /** Spins for {@code nanos}, so that a worker woken for the second task finds it untaken. */
    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
