package dev.glassbox.models.data;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.io.Csv;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The embedded data of the first three models: seeded, generated, no download. */
public final class CourseData {
    private CourseData() {}

    /** The line the noisy points scatter around: y = 2x + 1. */
    public static final float LINE_SLOPE = 2f, LINE_INTERCEPT = 1f;

    /** n points with x uniform in [−2, 2) and y = 2x + 1 + N(0, noise²). */
    public static TensorDataset line(int n, float noise, long seed) {
        Generator g = new Generator(seed);
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.uniform(-2f, 2f);
            y[i] = LINE_SLOPE * x[i] + LINE_INTERCEPT + noise * g.nextGaussian();
        }
        return TensorDataset.ofTargets(Tensor.wrap(x, n, 1), Tensor.wrap(y, n, 1));
    }

    /** Points from a CSV with two numeric columns x,y. */
    public static TensorDataset lineCsv(Path file) throws IOException {
        List<float[]> rows = Csv.readNumeric(file, 2);
        int n = rows.size();
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rows.get(i)[0];
            y[i] = rows.get(i)[1];
        }
        return TensorDataset.ofTargets(Tensor.wrap(x, n, 1), Tensor.wrap(y, n, 1));
    }

    /**
     * Two 2-D point clouds of {@code perClass} points each: blue (label 1) around (2, 2) and red
     * (label 0) around (−2, −2), standard deviation {@code spread}, interleaved.
     */
    public static TensorDataset clouds(int perClass, float spread, long seed) {
        Generator g = new Generator(seed);
        int n = 2 * perClass;
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            float c = (i % 2 == 0) ? 2f : -2f;
            x[2 * i] = c + spread * g.nextGaussian();
            x[2 * i + 1] = c + spread * g.nextGaussian();
            y[i] = i % 2 == 0 ? 1f : 0f;
        }
        return TensorDataset.ofTargets(Tensor.wrap(x, n, 2), Tensor.wrap(y, n, 1));
    }

    /** Points from a CSV x1,x2,label with labels 0 or 1. */
    public static TensorDataset cloudsCsv(Path file) throws IOException {
        List<float[]> rows = Csv.readNumeric(file, 3);
        int n = rows.size();
        float[] x = new float[2 * n], y = new float[n];
        for (int i = 0; i < n; i++) {
            float[] r = rows.get(i);
            if (r[2] != 0f && r[2] != 1f) {
                throw new IOException(file + ": row " + (i + 1) + " has label " + r[2] + "; labels must be 0 or 1");
            }
            x[2 * i] = r[0];
            x[2 * i + 1] = r[1];
            y[i] = r[2];
        }
        return TensorDataset.ofTargets(Tensor.wrap(x, n, 2), Tensor.wrap(y, n, 1));
    }

    /**
     * The ten 5×5 digit prototypes, one string of five rows each. The '2' is the course's own;
     * the others are drawn in its style so that any two differ in at least 3 pixels (one
     * flipped pixel never turns one digit into another).
     */
    public static final String[][] DIGITS = {
            {"01110", "01010", "01010", "01010", "01110"},
            {"00100", "01100", "00100", "00100", "01110"},
            {"00110", "01010", "00010", "00100", "01110"},
            {"01110", "00010", "00110", "00010", "01110"},
            {"01010", "01010", "01110", "00010", "00010"},
            {"01110", "01000", "01110", "00010", "01100"},
            {"00110", "01000", "01110", "01010", "01110"},
            {"01110", "00010", "00010", "00100", "00100"},
            {"01110", "01010", "00100", "01010", "01110"},
            {"01110", "01010", "00110", "00010", "00100"},
    };

    /** The 25 pixels of a digit prototype, row by row. */
    public static float[] prototype(int digit) {
        float[] p = new float[25];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) p[r * 5 + c] = DIGITS[digit][r].charAt(c) == '1' ? 1f : 0f;
        }
        return p;
    }

    /** A train and a held-out test set of noisy digits. */
    public record Split(TensorDataset train, TensorDataset test) {}

    /** How hard the noisy digits are: how far prototypes are shifted, how many pixels are flipped. */
    public enum DigitNoise {
        /** One flipped pixel, no shift: what the course's 25-3-3-10 network can learn. */
        FLIPS(0, 1),
        /** Shifts of one pixel left or right, and one or two flipped pixels: for wider networks. */
        SHIFTS_AND_FLIPS(1, 2);

        final int maxShift, maxFlips;

        DigitNoise(int maxShift, int maxFlips) {
            this.maxShift = maxShift;
            this.maxFlips = maxFlips;
        }
    }

    /**
     * Noisy variants of the ten prototypes, deterministic for a seed: each prototype, shifted up
     * to {@code noise.maxShift} columns where the shape fits, is kept clean once and flipped in
     * one to {@code noise.maxFlips} random pixels {@code trainPerShape} times for training; the
     * held-out test set is {@code testPerShape} more flipped images per shape drawn from another
     * stream of the generator.
     */
    public static Split digits(DigitNoise noise, int trainPerShape, int testPerShape, long seed) {
        Generator g = new Generator(seed), tg = new Generator(seed ^ 0x7e57L);
        List<float[]> trX = new ArrayList<>(), teX = new ArrayList<>();
        List<Integer> trY = new ArrayList<>(), teY = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            for (int s = -noise.maxShift; s <= noise.maxShift; s++) {
                float[] base = shift(prototype(d), s);
                if (base == null) continue;
                trX.add(base);
                trY.add(d);
                for (int k = 0; k < trainPerShape; k++) {
                    trX.add(flip(base, 1 + g.nextInt(noise.maxFlips), g));
                    trY.add(d);
                }
                for (int k = 0; k < testPerShape; k++) {
                    teX.add(flip(base, 1 + tg.nextInt(noise.maxFlips), tg));
                    teY.add(d);
                }
            }
        }
        return new Split(toDataset(trX, trY), toDataset(teX, teY));
    }

    /**
     * The embedded UCI handwritten digits (1,797 8×8 images, CC BY 4.0), pixels scaled from
     * 0–16 to [0, 1], shape [N, 1, 8, 8]; a seeded 80/20 split into train and held-out test.
     */
    public static Split uciDigits(long seed) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (var in = CourseData.class.getResourceAsStream("/datasets/uci-digits.csv.gz")) {
            if (in == null) throw new IOException("the embedded digits (datasets/uci-digits.csv.gz) are missing from the jar");
            var r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                    StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                String[] f = line.split(",");
                float[] v = new float[65];
                for (int i = 0; i < 65; i++) v[i] = Float.parseFloat(f[i]);
                rows.add(v);
            }
        }
        int[] order = new Generator(seed).permutation(rows.size());
        int nTest = rows.size() / 5;
        List<float[]> trX = new ArrayList<>(), teX = new ArrayList<>();
        List<Integer> trY = new ArrayList<>(), teY = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
            float[] v = rows.get(order[k]);
            float[] img = new float[64];
            for (int i = 0; i < 64; i++) img[i] = v[i] / 16f;
            (k < nTest ? teX : trX).add(img);
            (k < nTest ? teY : trY).add((int) v[64]);
        }
        return new Split(images(trX, trY, 8), images(teX, teY, 8));
    }

    private static TensorDataset images(List<float[]> xs, List<Integer> ys, int side) {
        int n = xs.size();
        float[] x = new float[n * side * side];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs.get(i), 0, x, i * side * side, side * side);
            y[i] = ys.get(i);
        }
        return TensorDataset.ofLabels(Tensor.wrap(x, n, 1, side, side), y);
    }

    /** The image moved dx columns (null if a lit pixel would fall off the edge). */
    static float[] shift(float[] img, int dx) {
        float[] out = new float[25];
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < 5; c++) {
                if (img[r * 5 + c] == 0f) continue;
                int nc = c + dx;
                if (nc < 0 || nc >= 5) return null;
                out[r * 5 + nc] = 1f;
            }
        }
        return out;
    }

    private static float[] flip(float[] img, int count, Generator g) {
        float[] out = img.clone();
        int[] perm = g.permutation(25);
        for (int k = 0; k < count; k++) out[perm[k]] = 1f - out[perm[k]];
        return out;
    }

    private static TensorDataset toDataset(List<float[]> xs, List<Integer> ys) {
        int n = xs.size();
        float[] x = new float[n * 25];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(xs.get(i), 0, x, i * 25, 25);
            y[i] = ys.get(i);
        }
        return TensorDataset.ofLabels(Tensor.wrap(x, n, 25), y);
    }

    /** A sentence of the course's toy vocabularies as word ids, with an error naming the words there are. */
    public static int[] wordIds(String sentence, Map<String, Integer> index, List<String> vocabulary) {
        String[] w = sentence.trim().split("\\s+");
        int[] out = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            Integer id = index.get(w[i]);
            if (id == null) throw new IllegalArgumentException("'" + w[i] + "' is not in the course's vocabulary: " + String.join(", ", vocabulary));
            out[i] = id;
        }
        return out;
    }
}
