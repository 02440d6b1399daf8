package dev.glassbox.models.data;

import dev.glassbox.data.MnistFormat;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.train.DataException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The image data of the image models, by name: {@code digits} (the embedded 8×8 UCI digits,
 * a seeded 80/20 split), {@code fashion-mnist} (where Debian's {@code dataset-fashion-mnist}
 * installs it, else where {@code glassbox data fetch} puts it), {@code mnist} (the four standard files in {@link #mnistHome()}), or any folder
 * holding the four MNIST-format files. Images are [N, 1, side, side] floats in [0, 1].
 */
public final class ImageData {
    /** The names, the embedded one first. */
    public static final List<String> NAMES = List.of("digits", "fashion-mnist", "mnist");

    /** What besides the names is accepted. */
    public static final String FOLDER_HELP = "a folder of the four MNIST-format files (train-images-idx3-ubyte[.gz], ...)";

    /** A loaded data set and its image side. */
    public record Images(String name, int side, TensorDataset train, TensorDataset test) {}

    private ImageData() {}

    /** Glassbox's data folder: {@code $GLASSBOX_DATA} if that variable is set, else {@code ~/.glassbox/data}. */
    public static Path dataHome() {
        String env = System.getenv("GLASSBOX_DATA");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".glassbox", "data");
    }

    /** Where {@code mnist} is looked for: {@code mnist} in {@link #dataHome()}. */
    public static Path mnistHome() { return dataHome().resolve("mnist"); }

    /**
     * Where {@code fashion-mnist} is read from: Debian's install place when the package is
     * there, else {@code fashion-mnist} in {@link #dataHome()}, where {@code glassbox data fetch
     * fashion-mnist} puts it.
     */
    public static Path fashionMnistHome() {
        return Files.isDirectory(MnistFormat.DEBIAN_FASHION_MNIST) ? MnistFormat.DEBIAN_FASHION_MNIST : dataHome().resolve("fashion-mnist");
    }

    /** The image side a data name gives without loading it: 8 for the digits, 28 for the MNIST family. */
    public static int side(String name) { return "digits".equals(name) ? 8 : 28; }

    /** Loads a data set by name or folder; {@code model} names the asking model in errors. */
    public static Images load(String name, long seed, String model) throws IOException {
        if (name.equals("digits")) {
            CourseData.Split s = CourseData.uciDigits(seed);
            return new Images("digits", 8, s.train(), s.test());
        }
        Path folder = switch (name) {
            case "fashion-mnist" -> fashionMnistHome();
            case "mnist" -> mnistHome();
            default -> Path.of(name);
        };
        if (!Files.isDirectory(folder)) {
            throw new DataException("data", switch (name) {
                case "fashion-mnist" -> "fashion-mnist is neither at " + MnistFormat.DEBIAN_FASHION_MNIST + " nor at " + folder
                        + ": apt-get install dataset-fashion-mnist, or glassbox data fetch fashion-mnist, or name another FOLDER";
                case "mnist" -> "mnist is not at " + folder + ": put the four MNIST files (train-images-idx3-ubyte.gz, ...) there"
                        + " (or set GLASSBOX_DATA to the folder above it), or name another FOLDER";
                default -> "'" + name + "' is neither a data set name (" + String.join(", ", NAMES) + ") nor a folder; "
                        + model + " reads " + FOLDER_HELP;
            });
        }
        MnistFormat.Split s = MnistFormat.load(folder);
        int side = s.train().inputShape()[2];
        if (s.train().inputShape()[3] != side || s.test().inputShape()[2] != side) {
            throw new IOException(folder + ": images of " + s.train().inputShape()[2] + "x" + s.train().inputShape()[3]
                    + " (test " + s.test().inputShape()[2] + "x" + s.test().inputShape()[3] + "); " + model + " needs square images of one size");
        }
        return new Images(name, side, s.train(), s.test());
    }
}
