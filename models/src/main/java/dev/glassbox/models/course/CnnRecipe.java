package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The CNN on the embedded 8×8 UCI digits ({@code course}) or on 28×28 images ({@code w4}:
 * Fashion-MNIST from Debian's place, or any folder of the four MNIST-format files). Adam.
 */
public final class CnnRecipe extends ImageRecipe<Cnn> {
    @Override public String name() { return "cnn"; }

    @Override public String title() { return "CNN: (conv 3x3 -> ReLU -> max pool 2) x2 -> fc1 -> 10 classes, cross-entropy, Adam"; }

    @Override public List<String> presets() { return List.of("course", "w4"); }

    @Override
    public TrainSettings settings(String preset) { return "w4".equals(preset) ? defaults(preset, 3, 2e-3f, 32) : defaults(preset, 40, 3e-3f, 32); }

    /**
     * {@code w4}: the rate falls from its start to 0 along a cosine over the run, stepped per
     * batch (PyTorch's CosineAnnealingLR with T_max = all steps), batches of 32: with W4's
     * network a constant Adam 1e-3 stops short of 0.90 after three epochs (docs/cli.md has the
     * accuracies). The benchmark W4 keeps its fixed recipe.
     */
    @Override
    LRScheduler scheduler(String preset, Optimizer opt, long steps) {
        return preset.equals("w4") ? new LRScheduler.CosineAnnealingLR(opt, (int) Math.min(Integer.MAX_VALUE, steps), 0f) : null;
    }

    @Override public String headlineMetric() { return "acc"; }

    @Override Class<Cnn> modelClass() { return Cnn.class; }

    @Override
    Optimizer optimizer(Cnn model, float lr) { return new Adam(model.parameters(), lr); }

    /** The image side the preset's data has (8 for the digits, 28 for the MNIST family). */
    @Override
    int side(String preset) { return preset.equals("w4") ? 28 : 8; }

    @Override
    int side(Cnn model) { return model.fc1.inFeatures == 16 * 2 * 2 ? 8 : 28; }

    @Override
    Cnn build(String preset, Generator g) { return new Cnn(preset, side(preset), g); }

    @Override
    Data trainData(String preset, String data, long seed) throws IOException { return trainingData(preset, data, seed); }

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
        int side = side(cnn);
        float[] x = pixels(input, side * side, "cnn takes an image of " + side + "x" + side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            float[] p = cnn.forward(Tensor.of(x, 1, 1, side, side)).softmax(-1).data();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return String.format(Locale.ROOT, "class %d (p = %.3f)", best, p[best]);
        }
    }

    /**
     * The course's convolution and pooling examples, then one Adam step of the model on an
     * image, map by map: the first held-out image of the model's data (against its own class, or
     * the target given), or pixels given as input with their target.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) throws IOException {
        request.requireNoStage(name());
        Cnn cnn = model == null ? build(presets().get(0), new Generator(request.seed())) : model(model);
        int side = side(cnn);
        Example ex = example(request.input(), request.target(), exampleData(cnn, request.seed()));
        InvalidSettingException.check(ex.input().length == side * side, "input",
                "for this cnn is an image of " + side + "x" + side + " pixel values, got " + ex.input().length + " values");
        return ConvExplainer.explain(name(), cnn, ex.input(), side, ex.targetClass(), request.lr());
    }

    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            int label = target == null ? data.test().labels()[0] : digit(target, "cnn");
            return new Example(data.test().inputs().select(0, 0).flatten(0, -1).toArray(), null, label);
        }
        List<String> parts = input.stream().flatMap(w -> Arrays.stream(w.split("[,\\s]+"))).filter(s -> !s.isEmpty()).toList();
        int n = parts.size() == 784 ? 784 : 64;
        float[] x = setting("input", input, n, "for cnn, an image of 8x8 (64) or 28x28 (784) pixel values in [0, 1]");
        InvalidSettingException.check(target != null, "target", "is needed with an input of your own: the right class (0-9), for cnn");
        return new Example(x, null, digit(target, "cnn"));
    }
}
