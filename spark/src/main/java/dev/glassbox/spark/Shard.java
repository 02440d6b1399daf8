package dev.glassbox.spark;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.tensor.Tensor;

import java.io.Serial;
import java.io.Serializable;

/**
 * One partition's part of the training set: the examples {@code first} to {@code first + size - 1},
 * kept in the executor's memory for the whole run (the RDD is cached), so a step sends only the
 * weights and the batch's example indices.
 */
final class Shard implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    final int first, size;
    private final float[] inputs, targets;
    private final int[] inputShape, targetShape, labels;

    private Shard(int first, int size, float[] inputs, int[] inputShape, float[] targets, int[] targetShape, int[] labels) {
        this.first = first;
        this.size = size;
        this.inputs = inputs;
        this.inputShape = inputShape;
        this.targets = targets;
        this.targetShape = targetShape;
        this.labels = labels;
    }

    /** Part {@code part} of {@code parts} of {@code data}: contiguous rows, the parts' sizes within one of each other. */
    static Shard of(TensorDataset data, int part, int parts) {
        int n = data.size();
        int lo = (int) ((long) n * part / parts), hi = (int) ((long) n * (part + 1) / parts);
        int[] idx = new int[hi - lo];
        for (int i = 0; i < idx.length; i++) idx[i] = lo + i;
        TensorDataset.Batch b = data.batch(idx);
        return new Shard(lo, idx.length, b.inputs().data(), b.inputs().shape(),
                b.targets() == null ? null : b.targets().data(), b.targets() == null ? null : b.targets().shape(), b.labels());
    }

    /** The positions in {@code examples} (indices into the whole training set) of the examples this shard holds. */
    int[] members(int[] examples) {
        int count = 0;
        for (int e : examples) if (e >= first && e < first + size) count++;
        int[] at = new int[count];
        int k = 0;
        for (int j = 0; j < examples.length; j++) if (examples[j] >= first && examples[j] < first + size) at[k++] = j;
        return at;
    }

    /** This shard's rows of the examples at {@code positions} of {@code examples}. */
    TensorDataset.Batch batch(int[] examples, int[] positions) {
        int[] rows = new int[positions.length];
        for (int i = 0; i < rows.length; i++) rows[i] = examples[positions[i]] - first;
        return batch(rows);
    }

    /** A batch of this shard's rows (shard-local indices). */
    private TensorDataset.Batch batch(int[] rows) {
        TensorDataset data = labels != null
                ? TensorDataset.ofLabels(Tensor.wrap(inputs, inputShape), labels)
                : TensorDataset.ofTargets(Tensor.wrap(inputs, inputShape), Tensor.wrap(targets, targetShape));
        return data.batch(rows);
    }
}
