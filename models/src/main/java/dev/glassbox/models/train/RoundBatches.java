package dev.glassbox.models.train;

/**
 * An epoch's batches of example numbers (a data set's rows, a text's window starts) in rounds of up to {@code k} (the last round of an epoch may be
 * shorter): one step of a data-parallel run whose workers take {@code k} steps of their own
 * between synchronisations. With {@code k} = 1 a round is one batch.
 */
public final class RoundBatches implements Batches<int[][]> {
    private final Batches<int[]> batches;
    private final int k;
    private int doneInEpoch;

    public RoundBatches(Batches<int[]> batches, int k) {
        if (k < 1) throw new IllegalArgumentException("a round needs at least one batch, got " + k);
        this.batches = batches;
        this.k = k;
    }

    /** Batches in a round (at most). */
    public int size() { return k; }

    @Override public int perEpoch() { return (batches.perEpoch() + k - 1) / k; }

    @Override
    public void startEpoch() {
        batches.startEpoch();
        doneInEpoch = 0;
    }

    @Override
    public int[][] next() {
        int n = Math.min(k, batches.perEpoch() - doneInEpoch);
        int[][] round = new int[n][];
        for (int i = 0; i < n; i++) round[i] = batches.next();
        doneInEpoch += n;
        return round;
    }

    @Override
    public void saveState(TrainingState state) { batches.saveState(state); }

    @Override
    public void loadState(TrainingState state, int roundsDone) {
        doneInEpoch = (int) Math.min(batches.perEpoch(), (long) roundsDone * k);
        batches.loadState(state, doneInEpoch);
    }
}
