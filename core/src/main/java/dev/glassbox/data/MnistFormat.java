package dev.glassbox.data;

import dev.glassbox.io.Idx;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder in the layout of MNIST and Fashion-MNIST: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each plain or with {@code .gz}. Images become floats in [0, 1], shape [N, 1, 28, 28]; stored as
 * unsigned bytes (the usual files) they stay bytes, divided by 255 as a batch is gathered.
 */
public final class MnistFormat {
    /** Where Debian's {@code dataset-fashion-mnist} package installs Fashion-MNIST. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The training and test sets. */
    public record Split(TensorDataset train, TensorDataset test) {}

    private MnistFormat() {}

    public static Split load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IOException(folder + ": no such folder (expected the four MNIST-format files there)");
        return new Split(load(folder, "train"), load(folder, "t10k"));
    }

    private static TensorDataset load(Path folder, String part) throws IOException {
        Idx.Stored images = Idx.readStored(find(folder, part + "-images-idx3-ubyte"));
        Idx.Array labels = Idx.read(find(folder, part + "-labels-idx1-ubyte"));
        if (images.dims().length != 3) {
            throw new IOException(folder + ": " + part + " images have rank " + images.dims().length + ", expected 3 (count, rows, columns)");
        }
        if (labels.dims().length != 1) throw new IOException(folder + ": " + part + " labels have rank " + labels.dims().length + ", expected 1");
        if (images.count() != labels.count()) {
            throw new IOException(folder + ": " + images.count() + " " + part + " images but " + labels.count() + " labels");
        }
        if (images.count() == 0 || images.dims()[1] == 0 || images.dims()[2] == 0) {
            throw new IOException(folder + ": its " + part + " files hold no images (shape " + java.util.Arrays.toString(images.dims()) + ")");
        }
        int[] y = new int[labels.count()];
        for (int i = 0; i < y.length; i++) {
            float v = labels.values()[i];
            if (v < 0 || v > 9 || v != Math.rint(v)) throw new IOException(folder + ": " + part + " label " + i + " is " + v + ", not a class 0-9");
            y[i] = (int) v;
        }
        int[] d = images.dims(), shape = {d[0], 1, d[1], d[2]};
        // unsigned bytes (the usual files) stay bytes until a batch is gathered, divided by 255 there
        if (images.bytes() != null) return TensorDataset.ofByteImages(images.bytes(), shape, 255f, y);
        float[] x = images.floats();
        for (int i = 0; i < x.length; i++) x[i] /= 255f;
        return TensorDataset.ofLabels(Tensor.wrap(x, shape), y);
    }

    private static Path find(Path folder, String name) throws IOException {
        Path plain = folder.resolve(name), gz = folder.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        if (Files.isRegularFile(plain)) return plain;
        throw new IOException(folder + ": missing " + name + " (or " + name + ".gz)");
    }
}
