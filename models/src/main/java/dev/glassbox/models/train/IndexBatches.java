package dev.glassbox.models.train;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.tensor.Generator;

import java.util.Iterator;

/**
 * The batches of a data set as the indices of their examples, reshuffled at every epoch from a
 * seeded generator (or in the data's own order without one): exactly the batches
 * {@link LoaderBatches} gives, for a trainer whose workers hold the data and need only to be
 * told which rows make the step's batch. A checkpoint keeps the generator's state at the
 * epoch's start, so a resumed run draws the same shuffle and skips the batches already done.
 */
public final class IndexBatches implements Batches<int[]> {
    private final DataLoader loader;
    private final Generator shuffle;
    private long[] epochStart;
    private Iterator<int[]> it;

    /** Batches of {@code batch} examples of {@code data}, shuffled by {@code shuffle} (null: in order). */
    public IndexBatches(TensorDataset data, int batch, Generator shuffle) {
        this.loader = new DataLoader(data, batch, shuffle);
        this.shuffle = shuffle;
    }

    @Override public int perEpoch() { return loader.batches(); }

    @Override
    public void startEpoch() {
        epochStart = shuffle == null ? null : shuffle.state();
        it = loader.indices(0);
    }

    @Override
    public int[] next() { return it.next(); }

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
        it = loader.indices(doneInEpoch);
    }
}
