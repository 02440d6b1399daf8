package dev.glassbox.models.train;

import java.util.List;

/** The same batches in the same order every epoch (a whole small data set as one batch, or a fixed list). */
public final class FixedBatches<B> implements Batches<B> {
    private final List<B> batches;
    private int at;

    public FixedBatches(List<B> batches) {
        if (batches.isEmpty()) throw new IllegalArgumentException("no batches to train on");
        this.batches = List.copyOf(batches);
    }

    /** One batch, the whole epoch. */
    public static <B> FixedBatches<B> of(B batch) { return new FixedBatches<>(List.of(batch)); }

    /** One batch of the numbers of all {@code n} examples, the whole epoch: a data-parallel run that takes every example each step. */
    public static FixedBatches<int[]> everyExample(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return of(all);
    }

    @Override public int perEpoch() { return batches.size(); }

    @Override public void startEpoch() { at = 0; }

    @Override public B next() { return batches.get(at++ % batches.size()); }

    @Override public void loadState(TrainingState state, int doneInEpoch) { at = doneInEpoch; }
}
