package dev.glassbox.data;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.VectorKernels;
import dev.glassbox.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * N examples: inputs [N, ...] with either targets [N, ...] (regression, binary labels as
 * floats) or int class labels [N]. Rows are picked by index into new batch tensors. Images of
 * unsigned bytes ({@link #ofByteImages}) stay bytes, a quarter of the memory, and become floats
 * as a batch is gathered, as torchvision's data sets keep them; read from a file they are kept
 * off the Java heap ({@link #ofByteImages(MemorySegment, int[], float, int[])}), where no
 * garbage collection copies them.
 */
public final class TensorDataset {
    private volatile Tensor inputs;   // for byte images, made from the bytes when first asked for whole
    private final Tensor targets;
    private final int[] labels;
    private final ByteImages bytes;   // or null

    /** Inputs kept as unsigned bytes: input value = (b & 0xff) / divisor, shape as given. */
    private record ByteImages(MemorySegment values, int[] shape, float divisor) {
        int row() { return (int) (values.byteSize() / Math.max(1, shape[0])); }
    }

    private TensorDataset(Tensor inputs, Tensor targets, int[] labels) {
        this(inputs, targets, labels, null);
    }

    private TensorDataset(Tensor inputs, Tensor targets, int[] labels, ByteImages bytes) {
        if (bytes == null && inputs.dim() == 0) throw new IllegalArgumentException("dataset: inputs need a first dimension of examples");
        int n = bytes != null ? bytes.shape()[0] : inputs.size(0);
        if (targets != null && (targets.dim() == 0 || targets.size(0) != n)) {
            throw new IllegalArgumentException("dataset: " + n + " inputs but targets of shape " + Arrays.toString(targets.shape()));
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("dataset: " + n + " inputs but " + labels.length + " labels");
        }
        this.inputs = inputs;
        this.targets = targets;
        this.labels = labels;
        this.bytes = bytes;
    }

    /** Inputs with float targets. */
    public static TensorDataset ofTargets(Tensor inputs, Tensor targets) { return new TensorDataset(inputs, targets, null); }

    /** Inputs with int class labels. */
    public static TensorDataset ofLabels(Tensor inputs, int[] labels) { return new TensorDataset(inputs, null, labels.clone()); }

    /**
     * Images stored as unsigned bytes {@code pixels} of shape {@code shape} ([N, ...]), with int
     * class labels: each input value is {@code (b & 0xff) / divisor} (255 for values in [0, 1]),
     * computed as a batch is gathered — the same floats as dividing all of them once, in a quarter
     * of the memory.
     */
    public static TensorDataset ofByteImages(byte[] pixels, int[] shape, float divisor, int[] labels) {
        return ofByteImages(MemorySegment.ofArray(pixels), shape, divisor, labels);
    }

    /**
     * {@link #ofByteImages(byte[], int[], float, int[])} with the bytes in a memory segment — off
     * the heap for a large set (as {@code Idx.readStored} reads one), so that the young
     * generation's collections do not copy them: a set of 47 MB held in the survivor spaces for
     * their first collections crowded out the steps' tensors and made the old generation grow.
     * The segment must stay readable (its arena open) as long as the data set is used.
     */
    public static TensorDataset ofByteImages(MemorySegment pixels, int[] shape, float divisor, int[] labels) {
        if (labels == null) throw new IllegalArgumentException("dataset: byte images need their class labels");
        long count = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("dataset: negative size in shape " + Arrays.toString(shape));
            count *= d;
        }
        if (shape.length == 0 || count != pixels.byteSize() || count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset: " + pixels.byteSize() + " bytes for images of shape " + Arrays.toString(shape));
        }
        if (!(divisor > 0) || Float.isInfinite(divisor)) throw new IllegalArgumentException("dataset: the divisor must be positive, got " + divisor);
        return new TensorDataset(null, null, labels.clone(), new ByteImages(pixels, shape.clone(), divisor));
    }

    public int size() { return bytes != null ? bytes.shape()[0] : inputs.size(0); }

    /** The inputs' shape [N, ...], without making byte images floats. */
    public int[] inputShape() { return bytes != null ? bytes.shape().clone() : inputs.shape(); }

    /** All the inputs as one tensor (for byte images, made from the bytes on the first call and kept). */
    public Tensor inputs() {
        Tensor t = inputs;
        if (t == null) {
            synchronized (this) {
                if (inputs == null) inputs = Tensor.wrap(floats(bytes, null), bytes.shape());
                t = inputs;
            }
        }
        return t;
    }

    /** Float targets, or null for a labelled set. */
    public Tensor targets() { return targets; }

    /** Class labels, or null for a set with float targets. */
    public int[] labels() { return labels == null ? null : labels.clone(); }

    /** The first {@code n} examples (all of them if there are fewer), as a new dataset. */
    public TensorDataset head(int n) {
        int[] idx = new int[Math.min(n, size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        if (bytes != null) {
            int[] shape = bytes.shape().clone();
            shape[0] = idx.length;
            return new TensorDataset(null, null, batchLabels(idx),
                    new ByteImages(copy(bytes.values(), (long) idx.length * bytes.row()), shape, bytes.divisor()));
        }
        Batch b = batch(idx);
        return new TensorDataset(b.inputs(), b.targets(), b.labels());
    }

    /** One batch: the rows at {@code idx}. */
    public Batch batch(int[] idx) {
        Tensor x;
        if (bytes != null) {
            int[] shape = bytes.shape().clone();
            shape[0] = idx.length;
            x = Tensor.wrap(floats(bytes, idx), shape);
        } else {
            x = rows(inputs, idx);
        }
        Tensor y = targets == null ? null : rows(targets, idx);
        return new Batch(x, y, batchLabels(idx));
    }

    private int[] batchLabels(int[] idx) {
        if (labels == null) return null;
        int[] l = new int[idx.length];
        for (int i = 0; i < idx.length; i++) l[i] = labels[idx[i]];
        return l;
    }

    /** The rows at {@code idx} (all rows for null) of byte images as floats, (b & 0xff) / divisor. */
    private static float[] floats(ByteImages b, int[] idx) {
        int row = b.row(), rows = idx == null ? b.shape()[0] : idx.length;
        MemorySegment src = b.values();
        float divisor = b.divisor();
        float[] dst = new float[rows * row];
        Parallel.RangeBody convert = (s, e) -> {
            for (int i = s; i < e; i++) VectorKernels.unsignedBytes(row, src, (long) (idx == null ? i : idx[i]) * row, divisor, dst, i * row);
        };
        if ((long) rows * row >= PARALLEL_GATHER) Parallel.forRange(rows, 1, convert);
        else convert.run(0, rows);
        return dst;
    }

    /** The first {@code n} bytes of {@code src} in a new segment of the same kind (off the heap if it was). */
    private static MemorySegment copy(MemorySegment src, long n) {
        if (!src.isNative()) return MemorySegment.ofArray(src.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
        MemorySegment dst = Arena.ofAuto().allocate(Math.max(1, n));
        MemorySegment.copy(src, 0, dst, 0, n);
        return dst.asSlice(0, n);
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
