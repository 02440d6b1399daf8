package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.data.CourseData;
import dev.glassbox.models.explain.Activation;
import dev.glassbox.models.explain.DenseExplainer;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Logistic regression on two point clouds, blue (1) and red (0), or on a CSV of x1,x2,label. */
public final class LogisticRecipe extends CourseRecipe<LogisticRegression> {
    @Override public String name() { return "logistic"; }

    @Override public String title() { return "logistic regression: 2 input nodes -> 1 sigmoid node, binary cross-entropy"; }

    @Override public List<String> presets() { return List.of("course"); }

    @Override public List<String> dataNames() { return List.of("clouds"); }

    @Override public String dataHelp() { return "a CSV file x1,x2,label with labels 0 or 1"; }

    @Override public TrainSettings settings(String preset) { return defaults(preset, 30, 0.1f, 10); }

    @Override public String headlineMetric() { return "acc"; }

    @Override Class<LogisticRegression> modelClass() { return LogisticRegression.class; }

    @Override
    LogisticRegression build(String preset, Generator g) { return new LogisticRegression(g); }

    @Override
    Data loadData(String data, long seed) throws IOException {
        if (data == null || data.equals("clouds")) {
            return new Data("clouds", CourseData.clouds(100, 1f, seed), CourseData.clouds(100, 1f, seed + 1000));
        }
        TensorDataset d = CourseData.cloudsCsv(dataPath(data));
        return new Data(data, d, d);
    }

    @Override
    Tensor loss(LogisticRegression model, TensorDataset.Batch b) {
        return F.binaryCrossEntropyWithLogits(model.forward(b.inputs()), b.targets());
    }

    /** The separating line at an epoch's end: w1·x1 + w2·x2 + b = 0. */
    @Override
    Map<String, Object> picture(LogisticRegression model) {
        float[] w = model.output.weight.data();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("w1", w[0]);
        m.put("w2", w[1]);
        m.put("b", model.output.bias.item());
        return m;
    }

    @Override
    Map<String, Object> metrics(LogisticRegression model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (var ignored = GradMode.noGrad()) {
            Tensor z = model.forward(data.test().inputs());
            float[] zv = z.data(), y = data.test().targets().data();
            int ok = 0;
            for (int i = 0; i < zv.length; i++) if ((zv[i] > 0f ? 1f : 0f) == y[i]) ok++;
            m.put("acc", (double) ok / zv.length);
            m.put("test_loss", F.binaryCrossEntropyWithLogits(z, data.test().targets()).item());
        }
        return m;
    }

    @Override
    public String predict(Module model, List<String> input) {
        float[] x = numbers(input, 2, "logistic takes a point x1 x2");
        try (var ignored = GradMode.noGrad()) {
            float p = model(model).probability(Tensor.of(x, 1, 2)).item();
            return String.format(Locale.ROOT, "(%s, %s)  ->  P(blue) = %.4f  ->  %s", x[0], x[1], p, p >= 0.5f ? "blue (1)" : "red (0)");
        }
    }

    @Override
    DenseExplainer.Step explainStep(LogisticRegression m, int stage) {
        var out = new DenseExplainer.Layer("output", "output", m.output, Activation.SIGMOID, "p", "w", "b", Graph.Training.TRAINED);
        return new DenseExplainer.Step(name(), m, null, "input", "x", List.of(out), m::forward, DenseExplainer.LossKind.BCE,
                DenseExplainer.Optimizing.SGD);
    }

    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            float label = target == null ? data.train().targets().get(0, 0) : label(target);
            return new Example(new float[] {data.train().inputs().get(0, 0), data.train().inputs().get(0, 1)}, new float[] {label}, null);
        }
        float[] x = setting("input", input, 2, "for logistic, a point x1 x2");
        InvalidSettingException.check(target != null, "target", "is needed with an input of your own: the label 0 or 1, for logistic");
        return new Example(x, new float[] {label(target)}, null);
    }

    private static float label(String target) {
        float t = setting("target", List.of(target), 1, "for logistic, the label 0 or 1")[0];
        InvalidSettingException.check(t == 0f || t == 1f, "target", "for logistic must be 0 or 1, got " + target);
        return t;
    }
}
