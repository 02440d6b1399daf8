package dev.glassbox.data;

import dev.glassbox.tensor.Generator;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Batches over a dataset, reshuffled at every pass from a seeded generator (so a run is
 * repeatable), the last batch possibly smaller. Iterate once per epoch.
 */
public final class DataLoader implements Iterable<TensorDataset.Batch> {
    private final TensorDataset data;
    private final int batchSize;
    private final Generator shuffle;

    /** Shuffled batches; pass a null generator for the data's own order. */
    public DataLoader(TensorDataset data, int batchSize, Generator shuffle) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (data.size() == 0) throw new IllegalArgumentException("the dataset is empty");
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
    }

    /** Batches per pass. */
    public int batches() { return (data.size() + batchSize - 1) / batchSize; }

    @Override
    public Iterator<TensorDataset.Batch> iterator() { return iterator(0); }

    /**
     * One pass that begins at batch {@code from} of its order (the shuffle is drawn whole, as for
     * a full pass): how a resumed run takes up an epoch where it stopped.
     */
    public Iterator<TensorDataset.Batch> iterator(int from) {
        Iterator<int[]> rows = indices(from);
        return new Iterator<>() {
            @Override
            public boolean hasNext() { return rows.hasNext(); }

            @Override
            public TensorDataset.Batch next() { return data.batch(rows.next()); }
        };
    }

    /**
     * The same pass as {@link #iterator(int)} as the examples' indices alone (the same shuffle
     * drawn from the generator): for a trainer that sends indices to where the data is.
     */
    public Iterator<int[]> indices(int from) {
        if (from < 0 || from > batches()) throw new IllegalArgumentException("batch " + from + " of a pass of " + batches() + " batches");
        int n = data.size();
        int[] order;
        if (shuffle != null) {
            order = shuffle.permutation(n);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        return new Iterator<>() {
            int at = (int) Math.min(n, (long) from * batchSize);

            @Override
            public boolean hasNext() { return at < n; }

            @Override
            public int[] next() {
                if (at >= n) throw new NoSuchElementException();
                int m = Math.min(batchSize, n - at);
                int[] idx = new int[m];
                System.arraycopy(order, at, idx, 0, m);
                at += m;
                return idx;
            }
        };
    }
}
