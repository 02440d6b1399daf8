package dev.glassbox.data;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/**
 * N examples: inputs [N, ...] with either targets [N, ...] (regression, binary labels as
 * floats) or int class labels [N]. Rows are picked by index into new batch tensors.
 */
public final class TensorDataset {
    private final Tensor inputs;
    private final Tensor targets;
    private final int[] labels;

    private TensorDataset(Tensor inputs, Tensor targets, int[] labels) {
        if (inputs.dim() == 0) throw new IllegalArgumentException("dataset: inputs need a first dimension of examples");
        int n = inputs.size(0);
        if (targets != null && (targets.dim() == 0 || targets.size(0) != n)) {
            throw new IllegalArgumentException("dataset: " + n + " inputs but targets of shape " + Arrays.toString(targets.shape()));
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("dataset: " + n + " inputs but " + labels.length + " labels");
        }
        this.inputs = inputs;
        this.targets = targets;
        this.labels = labels;
    }

    /** Inputs with float targets. */
    public static TensorDataset ofTargets(Tensor inputs, Tensor targets) { return new TensorDataset(inputs, targets, null); }

    /** Inputs with int class labels. */
    public static TensorDataset ofLabels(Tensor inputs, int[] labels) { return new TensorDataset(inputs, null, labels.clone()); }

    public int size() { return inputs.size(0); }

    public Tensor inputs() { return inputs; }

    /** Float targets, or null for a labelled set. */
    public Tensor targets() { return targets; }

    /** Class labels, or null for a set with float targets. */
    public int[] labels() { return labels == null ? null : labels.clone(); }

    /** The first {@code n} examples (all of them if there are fewer), as a new dataset. */
    public TensorDataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Batch b = batch(idx);
        return new TensorDataset(b.inputs(), b.targets(), b.labels());
    }

    /** One batch: the rows at {@code idx}. */
    public Batch batch(int[] idx) {
        Tensor x = rows(inputs, idx);
        Tensor y = targets == null ? null : rows(targets, idx);
        int[] l = null;
        if (labels != null) {
            l = new int[idx.length];
            for (int i = 0; i < idx.length; i++) l[i] = labels[idx[i]];
        }
        return new Batch(x, y, l);
    }

    /** Floats a batch needs before its rows are gathered by the kernels' threads. */
    private static final int PARALLEL_GATHER = 1 << 16;

    private static Tensor rows(Tensor t, int[] idx) {
        int row = t.numel() / Math.max(1, t.size(0));
        float[] src = t.data(), dst = new float[idx.length * row];
        // Rows picked at random from a data set far larger than the caches wait on memory: W2's
        // 128 × 784 floats a step took 6–7% of its main thread, and two threads fetch twice the rows at once.
        Parallel.RangeBody copy = (s, e) -> {
            for (int i = s; i < e; i++) System.arraycopy(src, idx[i] * row, dst, i * row, row);
        };
        if ((long) idx.length * row >= PARALLEL_GATHER) Parallel.forRange(idx.length, 1, copy);
        else copy.run(0, idx.length);
        int[] shape = t.shape();
        shape[0] = idx.length;
        return Tensor.wrap(dst, shape);
    }

    /** A batch of inputs with float targets or int labels (the other is null). */
    public record Batch(Tensor inputs, Tensor targets, int[] labels) {
        public int size() { return inputs.size(0); }
    }
}
