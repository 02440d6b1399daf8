package dev.glassbox.models.train;

/**
 * Truncated backpropagation through time over a long token stream: the stream is cut into
 * {@code batch} contiguous tracks, and each step takes the next {@code seq} tokens of every
 * track (inputs) and the tokens one further on (targets). A model carries its recurrent state
 * from one step to the next — detached, so gradients stop at the window's start — and so sees
 * context longer than a window while backpropagating through {@code seq} steps only.
 */
public final class TruncatedBptt {
    private final int[] tokens;
    private final int batch, seq, trackLength;
    private int position;

    public TruncatedBptt(int[] tokens, int batch, int seq) {
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

    /** True at the start of a pass, when a model should begin from a zero state. */
    public boolean atStart() { return position == 0; }

    /**
     * Fills {@code x} and {@code y} ([batch × seq] row-major) with the next window of every track
     * and moves on; after the last window of a pass the next call starts the pass again.
     */
    public void next(int[] x, int[] y) {
        if (position + seq + 1 > trackLength) position = 0;
        for (int b = 0; b < batch; b++) {
            int start = b * trackLength + position;
            System.arraycopy(tokens, start, x, b * seq, seq);
            System.arraycopy(tokens, start + 1, y, b * seq, seq);
        }
        position += seq;
        if (position + seq + 1 > trackLength) position = 0;
    }
}
