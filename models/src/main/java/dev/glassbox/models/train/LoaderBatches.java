package dev.glassbox.models.train;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.tensor.Generator;

import java.util.Iterator;

/**
 * Batches of a labelled data set, reshuffled at every epoch from a seeded generator (or in the
 * data's own order without one). A checkpoint keeps the generator's state at the epoch's start,
 * so a resumed run draws the same shuffle and skips the batches already done.
 */
public final class LoaderBatches implements Batches<TensorDataset.Batch> {
    private final DataLoader loader;
    private final Generator shuffle;
    private long[] epochStart;
    private Iterator<TensorDataset.Batch> it;

    /** Batches of {@code batch} examples of {@code data}, shuffled by {@code shuffle} (null: in order). */
    public LoaderBatches(TensorDataset data, int batch, Generator shuffle) {
        this.loader = new DataLoader(data, batch, shuffle);
        this.shuffle = shuffle;
    }

    @Override public int perEpoch() { return loader.batches(); }

    @Override
    public void startEpoch() {
        epochStart = shuffle == null ? null : shuffle.state();
        it = loader.iterator();
    }

    @Override
    public TensorDataset.Batch next() { return it.next(); }

    /** The shuffle generator as the current (or last) epoch began: drawing that epoch's order again puts it where it is now. */
    @Override
    public void saveState(TrainingState state) {
        if (epochStart != null) state.putGenerator("shuffle_at_epoch_start", new Generator(0).setState(epochStart));
    }

    @Override
    public void loadState(TrainingState state, int doneInEpoch) {
        if (shuffle != null && state.has("shuffle_at_epoch_start")) {
            state.restoreGenerator("shuffle_at_epoch_start", shuffle);
            epochStart = shuffle.state();
        }
        it = loader.iterator(doneInEpoch);
    }
}
