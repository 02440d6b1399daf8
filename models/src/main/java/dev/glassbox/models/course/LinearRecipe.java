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

/** Least-squares regression on noisy points around y = 2x + 1, or on a CSV of x,y. */
public final class LinearRecipe extends CourseRecipe<LinearRegression> {
    @Override public String name() { return "linear"; }

    @Override public String title() { return "least-squares regression: 1 input node -> 1 output node, MSE, SGD"; }

    @Override public List<String> presets() { return List.of("course"); }

    @Override public List<String> dataNames() { return List.of("line", "line-exact"); }

    @Override public String dataHelp() { return "a CSV file with two numeric columns x,y"; }

    @Override public TrainSettings settings(String preset) { return defaults(preset, 60, 0.1f, 10); }

    @Override public String headlineMetric() { return "mse"; }

    @Override Class<LinearRegression> modelClass() { return LinearRegression.class; }

    @Override
    LinearRegression build(String preset, Generator g) { return new LinearRegression(g); }

    @Override
    Data loadData(String data, long seed) throws IOException {
        if (data == null || data.equals("line")) return new Data("line", CourseData.line(100, 0.3f, seed), CourseData.line(100, 0.3f, seed + 1000));
        if (data.equals("line-exact")) {
            TensorDataset d = CourseData.line(100, 0f, seed);
            return new Data("line-exact", d, d);
        }
        TensorDataset d = CourseData.lineCsv(dataPath(data));
        return new Data(data, d, d);
    }

    @Override
    Tensor loss(LinearRegression model, TensorDataset.Batch b) { return F.mseLoss(model.forward(b.inputs()), b.targets()); }

    /** The fitted line at an epoch's end: y = slope·x + intercept. */
    @Override
    Map<String, Object> picture(LinearRegression model) { return Map.of("slope", model.slope(), "intercept", model.intercept()); }

    @Override
    Map<String, Object> metrics(LinearRegression model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (var ignored = GradMode.noGrad()) {
            m.put("mse", F.mseLoss(model.forward(data.test().inputs()), data.test().targets()).item());
        }
        m.put("slope", model.slope());
        m.put("intercept", model.intercept());
        return m;
    }

    @Override
    public String predict(Module model, List<String> input) {
        float x = numbers(input, 1, "linear takes one number x")[0];
        try (var ignored = GradMode.noGrad()) {
            float y = model(model).forward(Tensor.of(new float[] {x}, 1, 1)).item();
            return String.format(Locale.ROOT, "x = %s  ->  y = %.4f   (y = %.4f·x + %.4f)", x, y, model(model).slope(), model(model).intercept());
        }
    }

    @Override
    DenseExplainer.Step explainStep(LinearRegression m, int stage) {
        var out = new DenseExplainer.Layer("output", "output", m.output, Activation.IDENTITY, "y_hat", "w_io", "b", Graph.Training.TRAINED);
        return new DenseExplainer.Step(name(), m, null, "input", "x", List.of(out), m::forward, DenseExplainer.LossKind.MSE,
                DenseExplainer.Optimizing.SGD);
    }

    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            float[] x = {data.train().inputs().get(0, 0)};
            float y = target == null ? data.train().targets().get(0, 0) : setting("target", List.of(target), 1, "for linear, the target y")[0];
            return new Example(x, new float[] {y}, null);
        }
        float[] x = setting("input", input, 1, "for linear, one number x");
        InvalidSettingException.check(target != null, "target", "is needed with an input of your own: the y of that x, for linear");
        return new Example(x, setting("target", List.of(target), 1, "for linear, the target y"), null);
    }
}
