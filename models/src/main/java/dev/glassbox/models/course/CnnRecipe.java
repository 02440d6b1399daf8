package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CNN on the embedded 8×8 UCI digits ({@code course}) or on 28×28 images ({@code w4}:
 * Fashion-MNIST from Debian's place, or any folder of the four MNIST-format files). Adam.
 */
public final class CnnRecipe extends CourseRecipe<Cnn> {
    @Override public String name() { return "cnn"; }

    @Override public String title() { return "CNN: (conv 3x3 -> ReLU -> max pool 2) x2 -> fc1 -> 10 classes, cross-entropy, Adam"; }

    @Override public List<String> presets() { return List.of("course", "w4"); }

    @Override public List<String> dataNames() { return ImageData.NAMES; }

    @Override public String dataHelp() { return ImageData.FOLDER_HELP; }

    @Override
    public Defaults defaults(String preset) { return preset.equals("w4") ? new Defaults(3, 1e-3f, 64) : new Defaults(40, 3e-3f, 32); }

    @Override public String headlineMetric() { return "acc"; }

    /** w4 needs Fashion-MNIST, which is not embedded. */
    @Override public List<String> tourPresets() { return List.of("course"); }

    @Override Class<Cnn> modelClass() { return Cnn.class; }

    @Override
    String defaultData(String preset) { return preset.equals("w4") ? "fashion-mnist" : "digits"; }

    @Override
    Optimizer optimizer(Cnn model, float lr) { return new Adam(model.parameters(), lr); }

    /** The image side the preset's data has (8 for the digits, 28 for the MNIST family). */
    private static int side(String preset) { return preset.equals("w4") ? 28 : 8; }

    @Override
    Cnn build(String preset, Generator g) { return new Cnn(preset, side(preset), g); }

    @Override
    Data loadData(String data, long seed) throws IOException {
        ImageData.Images im = ImageData.load(data == null ? "digits" : data, seed, name());
        if (im.side() != 8 && im.side() != 28) {
            throw new IOException("cnn: images of " + im.side() + "x" + im.side() + " in '" + im.name() + "'; the presets take 8x8 (course) or 28x28 (w4)");
        }
        return new Data(im.name(), im.train(), im.test());
    }

    @Override
    public Run train(Options o, dev.glassbox.models.train.EventListener events) throws IOException {
        String preset = checkPreset(o.preset());
        String data = o.data() != null ? o.data() : defaultData(preset);
        if (ImageData.side(data) != side(preset)) {
            throw new IllegalArgumentException("cnn: preset '" + preset + "' is for " + (preset.equals("w4") ? "28x28 images (fashion-mnist, mnist or an MNIST folder)"
                    : "the 8x8 digits") + ", not '" + data + "'");
        }
        return super.train(o, events);
    }

    @Override
    Tensor loss(Cnn model, TensorDataset.Batch b) { return F.crossEntropy(model.forward(b.inputs()), b.labels()); }

    @Override
    Map<String, Object> metrics(Cnn model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", Evaluation.accuracy(model, model::forward, data.test(), 500));
        return m;
    }

    @Override
    public String predict(Module model, List<String> input) {
        Cnn cnn = model(model);
        int side = cnn.fc1.inFeatures == 64 ? 8 : 28;
        float[] x = numbers(input, side * side, "cnn takes an image of " + side + "x" + side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            float[] p = cnn.forward(Tensor.of(x, 1, 1, side, side)).softmax(-1).data();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return String.format(Locale.ROOT, "class %d (p = %.3f)", best, p[best]);
        }
    }

    @Override
    Example example(List<String> input, String target, Data data) {
        throw new IllegalArgumentException("explain cnn: the feature-map trace is not built yet");
    }
}
