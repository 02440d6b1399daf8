package dev.glassbox.models.text;

import dev.glassbox.models.train.Batches;
import dev.glassbox.models.train.TrainingState;

/**
 * Truncated backpropagation through time over a long token stream: the stream is cut into
 * {@code batch} contiguous tracks, and each step takes the next {@code seq} tokens of every
 * track (inputs) and the tokens one further on (targets). A model carries its recurrent state
 * from one step to the next — detached, so gradients stop at the window's start — and so sees
 * context longer than a window while backpropagating through {@code seq} steps only. An epoch
 * is one pass over the tracks; the next starts over at their beginning.
 */
public final class Tracks implements Batches<Window> {
    private final int[] tokens;
    private final int batch, seq, trackLength;
    private int position;

    public Tracks(int[] tokens, int batch, int seq) {
        if (batch < 1 || seq < 1) throw new IllegalArgumentException("batch and window must be positive, got " + batch + " and " + seq);
        this.tokens = tokens;
        this.batch = batch;
        this.seq = seq;
        this.trackLength = tokens.length / batch;
        if (trackLength < seq + 1) {
            throw new IllegalArgumentException(tokens.length + " tokens make tracks of " + trackLength + " for a batch of " + batch
                    + "; windows of " + seq + " need at least " + (seq + 1));
        }
    }

    /** Windows per pass over the tracks. */
    public int windows() { return (trackLength - 1) / seq; }

    @Override public int perEpoch() { return windows(); }

    @Override public void startEpoch() { position = 0; }

    /** The next window of every track; the first of a pass says so. */
    @Override
    public Window next() {
        if (position + seq + 1 > trackLength) position = 0;
        boolean start = position == 0;
        int[] x = new int[batch * seq], y = new int[batch * seq];
        for (int b = 0; b < batch; b++) Windows.copy(tokens, b * trackLength + position, x, y, b, seq);
        position += seq;
        return new Window(x, y, batch, seq, start);
    }

    @Override public void saveState(TrainingState state) { state.putLong("position", position); }

    @Override public void loadState(TrainingState state, int doneInEpoch) { position = (int) state.getLong("position"); }
}
