package dev.glassbox.models;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.tensor.Tensor;

import java.io.Serial;

/** Rows of a {@link TensorDataset} as a worker keeps them ({@link DataParallel#rows}): plain arrays, serializable. */
final class TensorRows implements DataParallel.Part<TensorDataset.Batch> {
    @Serial private static final long serialVersionUID = 1L;

    private final float[] inputs, targets;
    private final int[] inputShape, targetShape, labels;
    private transient TensorDataset data;

    private TensorRows(float[] inputs, int[] inputShape, float[] targets, int[] targetShape, int[] labels) {
        this.inputs = inputs;
        this.inputShape = inputShape;
        this.targets = targets;
        this.targetShape = targetShape;
        this.labels = labels;
    }

    static TensorRows of(TensorDataset data, int first, int count) {
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = first + i;
        TensorDataset.Batch b = data.batch(idx);
        return new TensorRows(b.inputs().data(), b.inputs().shape(), b.targets() == null ? null : b.targets().data(),
                b.targets() == null ? null : b.targets().shape(), b.labels());
    }

    @Override
    public TensorDataset.Batch batch(int[] rows) {
        if (data == null) {
            data = labels != null ? TensorDataset.ofLabels(Tensor.wrap(inputs, inputShape), labels)
                    : TensorDataset.ofTargets(Tensor.wrap(inputs, inputShape), Tensor.wrap(targets, targetShape));
        }
        return data.batch(rows);
    }
}
