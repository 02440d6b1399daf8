package dev.glassbox.models.train;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.tensor.Generator;

/**
 * Batches of a labelled data set, reshuffled at every epoch from a seeded generator (or in the
 * data's own order without one): the rows {@link IndexBatches} picks, as tensors. A checkpoint
 * keeps the generator's state at the epoch's start, so a resumed run draws the same shuffle and
 * skips the batches already done.
 */
public final class LoaderBatches implements Batches<TensorDataset.Batch> {
    private final TensorDataset data;
    private final IndexBatches indices;

    /** Batches of {@code batch} examples of {@code data}, shuffled by {@code shuffle} (null: in order). */
    public LoaderBatches(TensorDataset data, int batch, Generator shuffle) {
        this.data = data;
        this.indices = new IndexBatches(data, batch, shuffle);
    }

    @Override public int perEpoch() { return indices.perEpoch(); }

    @Override
    public void startEpoch() { indices.startEpoch(); }

    @Override
    public TensorDataset.Batch next() { return data.batch(indices.next()); }

    @Override
    public void saveState(TrainingState state) { indices.saveState(state); }

    @Override
    public void loadState(TrainingState state, int doneInEpoch) { indices.loadState(state, doneInEpoch); }
}
