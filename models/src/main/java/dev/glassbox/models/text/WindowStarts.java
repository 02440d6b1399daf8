package dev.glassbox.models.text;

import dev.glassbox.models.DataParallel;
import dev.glassbox.tensor.Generator;

import java.io.Serial;

/**
 * A token stream's windows as numbered examples for data-parallel training: example s is the
 * window of {@code seq} tokens starting at s (and the tokens after each); a worker's part keeps
 * its starts' tokens and the {@code seq} + 1 after the last. {@link #draw} picks a batch's starts
 * with the same draws as {@link Windows#random}, so the batches are a single process's.
 */
public final class WindowStarts implements DataParallel.Examples<Window> {
    private final int[] ids;
    private final int seq;

    public WindowStarts(int[] ids, int seq) {
        if (ids.length < seq + 2) throw new IllegalArgumentException("a text of " + ids.length + " tokens has no window of " + seq);
        this.ids = ids;
        this.seq = seq;
    }

    @Override public int size() { return ids.length - seq - 1; }

    @Override
    public DataParallel.Part<Window> part(int first, int count) {
        int[] tokens = new int[count + seq];
        System.arraycopy(ids, first, tokens, 0, Math.min(tokens.length, ids.length - first));
        return new Part(tokens, seq);
    }

    /** The starts of {@code n} random windows of {@code ids}, drawn as {@link Windows#random} draws them. */
    public static int[] draw(int[] ids, int n, int seq, Generator g) {
        int[] starts = new int[n];
        for (int b = 0; b < n; b++) starts[b] = g.nextInt(ids.length - seq - 1);
        return starts;
    }

    private record Part(int[] tokens, int seq) implements DataParallel.Part<Window> {
        @Serial private static final long serialVersionUID = 1L;

        @Override
        public Window batch(int[] rows) {
            int[] x = new int[rows.length * seq], y = new int[rows.length * seq];
            for (int b = 0; b < rows.length; b++) Windows.copy(tokens, rows[b], x, y, b, seq);
            return new Window(x, y, rows.length, seq, false);
        }
    }
}
