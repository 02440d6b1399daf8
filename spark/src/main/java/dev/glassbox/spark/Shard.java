package dev.glassbox.spark;

import dev.glassbox.models.DataParallel;

import java.io.Serial;
import java.io.Serializable;

/**
 * One partition's part of the training set: examples {@code first} to {@code first + size - 1}
 * (a data set's rows, a text's window starts), kept in the executor's memory for the whole run
 * (the RDD is cached), so a step sends only the weights and the batch's example numbers.
 */
final class Shard implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    final int first, size;
    private final DataParallel.Part<?> part;

    private Shard(int first, int size, DataParallel.Part<?> part) {
        this.first = first;
        this.size = size;
        this.part = part;
    }

    /** Part {@code part} of {@code parts} of {@code examples}: contiguous, the parts' sizes within one of each other. */
    static Shard of(DataParallel.Examples<?> examples, int part, int parts) {
        int n = examples.size();
        int lo = (int) ((long) n * part / parts), hi = (int) ((long) n * (part + 1) / parts);
        return new Shard(lo, hi - lo, examples.part(lo, hi - lo));
    }

    /** The positions in {@code examples} (numbers in the whole training set) of the examples this shard holds. */
    int[] members(int[] examples) {
        int count = 0;
        for (int e : examples) if (e >= first && e < first + size) count++;
        int[] at = new int[count];
        int k = 0;
        for (int j = 0; j < examples.length; j++) if (examples[j] >= first && examples[j] < first + size) at[k++] = j;
        return at;
    }

    /** The batch of this shard's examples at {@code positions} of {@code examples}. */
    Object batch(int[] examples, int[] positions) {
        int[] rows = new int[positions.length];
        for (int i = 0; i < rows.length; i++) rows[i] = examples[positions[i]] - first;
        return part.batch(rows);
    }
}
