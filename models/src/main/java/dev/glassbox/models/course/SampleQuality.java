package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.io.Idx;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The quality of generated images as numbers, scored by a fixed classifier of the same data set
 * (the CNN: {@code course} for the 8×8 digits, {@code w4} for 28×28 images), trained once at seed
 * 42 and kept as a checkpoint that every later score reuses ({@code $GLASSBOX_DATA/scorers} or
 * {@code ~/.glassbox/data/scorers}):
 * <ul>
 *   <li>{@code sample_confidence}: the mean of the classifier's largest class probability;</li>
 *   <li>{@code sample_class_entropy}: the entropy of the mean class distribution (ln 10 when the
 *       classes are balanced);</li>
 *   <li>{@code sample_fd}: the Fréchet distance between the classifier's penultimate features
 *       (fc1 after ReLU) of the generated and of the real held-out images — FID's formula,
 *       |μ₁ − μ₂|² + tr(Σ₁ + Σ₂ − 2(Σ₁Σ₂)^½), with tr (Σ₁Σ₂)^½ as the sum of the square roots of
 *       the eigenvalues of Σ₁^½·Σ₂·Σ₁^½ (symmetric eigendecompositions by EJML).</li>
 * </ul>
 */
public final class SampleQuality {
    private SampleQuality() {}

    /** How many generated images a score uses. */
    public static final int SAMPLES = 10_000;

    /**
     * The scores of {@code n} generated images (from {@code generate}, in batches) against the
     * held-out images of {@code data}; when the scorer is trained first, {@code events} hears it
     * as a stage.
     */
    public static Map<String, Object> score(IntFunction<float[]> generate, int n, String data, int side, EventListener events) throws IOException {
        float[] all = new float[n * side * side];
        for (int at = 0; at < n; at += 1000) {
            int k = Math.min(1000, n - at);
            System.arraycopy(generate.apply(k), 0, all, at * side * side, k * side * side);
        }
        return scoreImages(all, n, data, side, events);
    }

    /**
     * The scores of {@code n} images given as rows of side² values in [0, 1] (another program's
     * samples, say) against the held-out images of {@code data}; the images must have the data
     * set's size.
     */
    public static Map<String, Object> scoreImages(float[] all, int n, String data, int side, EventListener events) throws IOException {
        if (n < 2) throw new IllegalArgumentException("scoring images needs at least 2 of them (10,000 make a steady sample_fd); got " + n);
        ImageData.Images im = ImageData.load(data, 42, "the image scorer");
        if (im.side() != side) {
            throw new IllegalArgumentException("the images are " + side + "x" + side + " but those of " + data + " are " + im.side() + "x" + im.side());
        }
        Cnn scorer = scorer(data, side, events);
        TensorDataset test = im.test();
        double[][] realFeatures = features(scorer, test.inputs().reshape(test.size(), side * side).data(), test.size(), side, null);
        double[] meanProbs = new double[10];
        double[] confidence = new double[1];
        double[][] fakeFeatures = features(scorer, all, n, side, probs -> {
            for (int i = 0; i < probs.length / 10; i++) {
                double best = 0;
                for (int c = 0; c < 10; c++) {
                    meanProbs[c] += probs[i * 10 + c];
                    best = Math.max(best, probs[i * 10 + c]);
                }
                confidence[0] += best;
            }
        });
        double entropy = 0;
        for (int c = 0; c < 10; c++) {
            double p = meanProbs[c] / n;
            if (p > 0) entropy -= p * Math.log(p);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sample_confidence", confidence[0] / n);
        out.put("sample_class_entropy", entropy);
        out.put("sample_fd", frechet(realFeatures, fakeFeatures));
        return out;
    }

    /**
     * Images to score, read from a file another program wrote: a safetensors file of one float
     * tensor (or one named {@code images}) shaped [n, side, side], [n, 1, side, side] or
     * [n, side²] with values in [0, 1]; or an IDX file (plain or gzipped, MNIST's format) of n
     * side×side images, whose values 0–255 are divided by 255. Values that are not finite or lie
     * outside [0, 1] are refused, naming the image.
     */
    public static ImageSampler.Images readImages(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        float[] v;
        int[] shape;
        float scale = 1;
        if (file.getFileName().toString().endsWith(".safetensors")) {
            Map<String, Tensor> t = SafeTensors.load(file).tensors();
            Tensor x = t.size() == 1 ? t.values().iterator().next() : t.get("images");
            if (x == null) {
                throw new IOException(file + ": holds " + t.size() + " tensors " + t.keySet() + "; name the images' tensor \"images\" or keep only it");
            }
            v = x.data();
            shape = x.shape();
        } else {
            Idx.Array a = Idx.read(file);
            v = a.values();
            shape = a.dims();
            scale = 255;
        }
        int n = shape.length == 0 ? 0 : shape[0], per = n == 0 ? 0 : v.length / n;
        int side = (int) Math.round(Math.sqrt(per));
        boolean square = switch (shape.length) {
            case 2 -> side * side == per;
            case 3 -> shape[1] == shape[2];
            case 4 -> shape[1] == 1 && shape[2] == shape[3];
            default -> false;
        };
        if (n == 0 || !square) {
            throw new IOException(file + ": images of shape " + java.util.Arrays.toString(shape)
                    + " cannot be scored; give [n, side, side], [n, 1, side, side] or [n, side*side] (one grey channel)");
        }
        float[] pixels = scale == 1 ? v : new float[v.length];
        for (int i = 0; i < v.length; i++) {
            float p = v[i] / scale;
            if (!(p >= 0 && p <= 1)) {
                throw new IOException(file + ": image " + (i / per) + " has the value " + v[i] + " at pixel " + (i % per)
                        + (scale == 1 ? "; the values must be finite and in [0, 1] (map a tanh output with (x + 1) / 2)" : ""));
            }
            pixels[i] = p;
        }
        return new ImageSampler.Images(pixels, n, side);
    }

    /** The name of the stage a scorer's training is reported as (its steps reach the run's listener after it). */
    public static final String SCORER_STAGE = "the sample scorer";

    /**
     * The scorer of a data set: its checkpoint if one was kept, else trained now (seed 42) and
     * kept; that training reaches {@code events} as stage 1/1 {@link #SCORER_STAGE}.
     */
    static Cnn scorer(String data, int side, EventListener events) throws IOException {
        String preset = side == 8 ? "course" : "w4";
        Path file = ImageData.dataHome().resolve("scorers").resolve(data.replaceAll("[^A-Za-z0-9._-]", "_") + "-cnn-" + preset + ".safetensors");
        CnnRecipe cnn = new CnnRecipe();
        if (Files.isRegularFile(file)) {
            var c = SafeTensors.load(file);
            return Checkpoints.restore(new Cnn(preset, side, new Generator(0)), c.tensors(), file);
        }
        Files.createDirectories(file.getParent());
        String goal = "cnn " + preset + " learns " + data + " once, kept in " + file + " for every later score";
        EventListener asStage = e -> {
            switch (e) {
                case TrainingEvent.Started s -> events.on(new TrainingEvent.Stage(1, 1, SCORER_STAGE, goal,
                        s.epochs(), s.stepsPerEpoch(), s.totalSteps(), s.fromStep()));
                case TrainingEvent.Finished f -> { }
                default -> events.on(e);
            }
        };
        var run = cnn.train(cnn.settings(preset).withData(data), RunOptions.saveTo(file), asStage);
        Cnn model = (Cnn) run.model();
        model.eval();
        return model;
    }

    /** Penultimate features [n][d] of images (rows of side² values in [0, 1]); {@code probs} receives each batch's class probabilities. */
    private static double[][] features(Cnn scorer, float[] images, int n, int side, java.util.function.Consumer<float[]> probs) {
        scorer.eval();
        double[][] out = new double[n][];
        try (var ignored = GradMode.noGrad()) {
            for (int at = 0; at < n; at += 500) {
                int k = Math.min(500, n - at);
                float[] batch = new float[k * side * side];
                System.arraycopy(images, at * side * side, batch, 0, batch.length);
                Tensor h = scorer.features(Tensor.of(batch, k, 1, side, side));
                int d = h.size(1);
                float[] hv = h.data();
                for (int i = 0; i < k; i++) {
                    out[at + i] = new double[d];
                    for (int j = 0; j < d; j++) out[at + i][j] = hv[i * d + j];
                }
                if (probs != null) probs.accept(scorer.output.forward(h).softmax(-1).data());
            }
        }
        return out;
    }

    /** The Fréchet distance between Gaussians fitted to two sets of feature vectors. */
    static double frechet(double[][] a, double[][] b) {
        int d = a[0].length;
        double[] ma = mean(a), mb = mean(b);
        DMatrixRMaj sa = covariance(a, ma), sb = covariance(b, mb);
        double diff = 0;
        for (int j = 0; j < d; j++) diff += (ma[j] - mb[j]) * (ma[j] - mb[j]);
        DMatrixRMaj rootA = sqrtSymmetric(sa);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), inner = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(rootA, sb, tmp);
        CommonOps_DDRM.mult(tmp, rootA, inner);
        symmetrize(inner);
        double traceRoot = 0;
        for (double v : eigenvalues(inner)) traceRoot += Math.sqrt(Math.max(0, v));
        return Math.max(0, diff + CommonOps_DDRM.trace(sa) + CommonOps_DDRM.trace(sb) - 2 * traceRoot);
    }

    private static double[] mean(double[][] x) {
        double[] m = new double[x[0].length];
        for (double[] row : x) for (int j = 0; j < m.length; j++) m[j] += row[j];
        for (int j = 0; j < m.length; j++) m[j] /= x.length;
        return m;
    }

    /** The unbiased covariance (n − 1), as numpy's cov in FID's reference code. */
    private static DMatrixRMaj covariance(double[][] x, double[] m) {
        int d = m.length;
        DMatrixRMaj c = new DMatrixRMaj(d, d);
        for (double[] row : x) {
            for (int i = 0; i < d; i++) {
                double di = row[i] - m[i];
                for (int j = i; j < d; j++) c.add(i, j, di * (row[j] - m[j]));
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double v = c.get(i, j) / Math.max(1, x.length - 1);
                c.set(i, j, v);
                c.set(j, i, v);
            }
        }
        return c;
    }

    private static void symmetrize(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double v = (m.get(i, j) + m.get(j, i)) / 2;
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }

    private static double[] eigenvalues(DMatrixRMaj sym) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(sym.numRows, false, true);
        if (!eig.decompose(sym.copy())) throw new IllegalStateException("sample_fd: the eigendecomposition did not converge");
        double[] out = new double[sym.numRows];
        for (int i = 0; i < out.length; i++) out[i] = eig.getEigenvalue(i).getReal();
        return out;
    }

    /** V·diag(√max(λ, 0))·Vᵀ of a symmetric positive semi-definite matrix. */
    private static DMatrixRMaj sqrtSymmetric(DMatrixRMaj sym) {
        int d = sym.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(sym.copy())) throw new IllegalStateException("sample_fd: the eigendecomposition did not converge");
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double r = Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out.add(i, j, r * v.get(i) * v.get(j));
        }
        return out;
    }
}
