package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A weight gradient summed over a batch that the threads take in chunks ({@link Parallel#forRange}),
 * with the same bits on every run: the chunk that starts at sample 0 sums into the gradient's own
 * array, each later chunk into a partial array of its own, and the partials are then added to it
 * in the order of their chunks. A chunk's first product overwrites its array (no zeroing).
 * Partial arrays come from a pool and go back to it after the sum: new ones for every chunk and
 * call were ~6.6 MB of freshly zeroed memory in each backward pass of one of the DCGAN's
 * 128 × 64 × 4 × 4 layers.
 *
 * <p>With {@code transposed}, each chunk sums the gradient's transpose (a product whose wide
 * operand is then packed as A, by rows, instead of as B by columns, a scalar transposing loop:
 * see the convolutions' weight gradients); the partials, every chunk's, are added in that layout
 * and the sum is transposed into the total once.
 */
final class ChunkSums {
    /** The most floats the pool keeps (16 MB); partials beyond it are left to the collector. */
    private static final long POOL_MAX = 1L << 22;
    private static final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<float[]>> FREE = new ConcurrentHashMap<>();
    private static final AtomicLong POOLED = new AtomicLong();

    private final float[] total;
    private final int rows, cols;
    private final boolean transposed;
    private final TreeMap<Integer, float[]> parts = new TreeMap<>();
    /** Whether the first chunk took the total itself (not transposed). */
    private volatile boolean firstTaken;

    /** Sums into {@code total}, whose values on entry do not matter. */
    ChunkSums(float[] total) {
        this(total, 1, total.length, false);
    }

    /** Sums into {@code total} (rows × cols, values on entry immaterial); with {@code transposed} the chunks sum its transpose, cols × rows. */
    ChunkSums(float[] total, int rows, int cols, boolean transposed) {
        if ((long) rows * cols != total.length) throw new IllegalArgumentException("ChunkSums: " + rows + " × " + cols + " is not " + total.length);
        this.total = total;
        this.rows = rows;
        this.cols = cols;
        this.transposed = transposed;
    }

    /**
     * The array the chunk starting at sample {@code s0} sums into: the total itself for the first
     * chunk (unless transposed), else a partial (stale values: the chunk's first product must
     * overwrite it). Callable from any thread.
     */
    float[] forChunk(int s0) {
        if (s0 == 0 && !transposed) {
            firstTaken = true;
            return total;
        }
        float[] p = take(total.length);
        synchronized (parts) {
            if (parts.put(s0, p) != null) throw new IllegalStateException("ChunkSums: two chunks start at " + s0);
        }
        return p;
    }

    /**
     * Adds the partials to the total in the order of their chunks (the threads split the values),
     * returns them to the pool, and returns the total: zeros when no chunk ran (an empty batch).
     */
    float[] sum() {
        float[][] ps;
        synchronized (parts) {
            ps = parts.values().toArray(float[][]::new);
            parts.clear();
        }
        if (ps.length == 0 && !firstTaken) {
            Arrays.fill(total, 0f);
        } else if (!transposed && ps.length > 0) {
            Parallel.forRange(total.length, 1 << 13, (i0, i1) -> {
                for (float[] p : ps) VectorKernels.axpy(i1 - i0, 1f, p, i0, total, i0);
            });
        } else if (transposed) {
            float[] acc = ps[0];                       // the first chunk's, then the others added to it in order
            Parallel.forRange(total.length, 1 << 13, (i0, i1) -> {
                for (int p = 1; p < ps.length; p++) VectorKernels.axpy(i1 - i0, 1f, ps[p], i0, acc, i0);
            });
            Parallel.forRange(rows, 16, (r0, r1) -> transpose(acc, r0, r1));
        }
        for (float[] p : ps) give(p);
        return total;
    }

    /** Rows [r0, r1) of the total from the transposed sum {@code t} (cols × rows), in tiles of 16 × 64. */
    private void transpose(float[] t, int r0, int r1) {
        for (int i0 = r0; i0 < r1; i0 += 16) {
            int i1 = Math.min(r1, i0 + 16);
            for (int j0 = 0; j0 < cols; j0 += 64) {
                int j1 = Math.min(cols, j0 + 64);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0, at = i * cols + j0; j < j1; j++, at++) total[at] = t[j * rows + i];
                }
            }
        }
    }

    private static float[] take(int n) {
        ConcurrentLinkedQueue<float[]> q = FREE.get(n);
        float[] a = q == null ? null : q.poll();
        if (a == null) return new float[n];
        POOLED.addAndGet(-n);
        return a;
    }

    private static void give(float[] a) {
        if (POOLED.addAndGet(a.length) > POOL_MAX) {
            POOLED.addAndGet(-a.length);
            return;
        }
        FREE.computeIfAbsent(a.length, k -> new ConcurrentLinkedQueue<>()).offer(a);
    }
}
