package dev.glassbox.models.data;

import dev.glassbox.io.AtomicFiles;
import dev.glassbox.models.train.InvalidSettingException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Square grey images laid out in a grid and written as a PNG (the JDK's ImageIO: no native
 * code): light strokes on black, as MNIST draws them, each image enlarged to at least 28
 * pixels a side, with a grey line between them.
 */
public final class ImageGrid {
    /** The most images one grid takes. */
    public static final int MAX = 1024;

    private ImageGrid() {}

    /** Checks a grid's size and its target before any work: a one-line error for each problem. */
    public static void check(int n, Path out) {
        InvalidSettingException.check(n >= 1 && n <= MAX, "n", "must be 1 to " + MAX + " images, got " + n);
        InvalidSettingException.check(out != null, "out", "is needed: the PNG file to write the grid of images to");
        InvalidSettingException.check(!Files.isDirectory(out), "out", out + " is a folder; give a file name in it, ending in .png");
        InvalidSettingException.check(out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"), "out",
                out + ": the grid is a PNG image; give a file name ending in .png");
        Path dir = out.toAbsolutePath().getParent();
        InvalidSettingException.check(dir == null || Files.isDirectory(dir), "out", out + ": the folder " + dir + " does not exist");
    }

    /** The grid as an image: {@code images} holds n images of side×side values in [0, 1] (others are clamped), row by row. */
    public static BufferedImage draw(float[] images, int n, int side) { return draw(images, n, side, (int) Math.ceil(Math.sqrt(n))); }

    /** The grid with {@code cols} images a row (rows of inputs and their reconstructions, say). */
    public static BufferedImage draw(float[] images, int n, int side, int cols) {
        if (n < 1 || side < 1 || images.length != n * side * side || cols < 1) {
            throw new IllegalArgumentException("image grid: " + images.length + " values are not " + n + " images of " + side + "x" + side);
        }
        int rows = (n + cols - 1) / cols;
        int scale = Math.max(1, (28 + side - 1) / side), cell = side * scale, gap = 2;
        BufferedImage img = new BufferedImage(cols * (cell + gap) + gap, rows * (cell + gap) + gap, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) raster.setSample(x, y, 0, 96);
        for (int k = 0; k < n; k++) {
            int x0 = gap + (k % cols) * (cell + gap), y0 = gap + (k / cols) * (cell + gap);
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    float v = images[k * side * side + r * side + c];
                    if (!Float.isFinite(v)) throw new IllegalArgumentException("image grid: image " + k + " holds " + v + " at row " + r + ", column " + c);
                    int grey = Math.round(255 * Math.max(0f, Math.min(1f, v)));
                    for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) raster.setSample(x0 + c * scale + dx, y0 + r * scale + dy, 0, grey);
                }
            }
        }
        return img;
    }

    /** Draws the grid and writes it to {@code out} atomically. */
    public static void write(float[] images, int n, int side, Path out) throws IOException {
        BufferedImage img = draw(images, n, side);
        AtomicFiles.write(out, o -> {
            if (!ImageIO.write(img, "png", o)) throw new IOException("no PNG writer in this JDK");
        });
    }
}
