package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.data.CourseData;
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
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            float[] x = {data.train().inputs().get(0, 0)};
            return new Example(x, new float[] {data.train().targets().get(0, 0)}, null);
        }
        float[] x = numbers(input, 1, "linear --input takes one number x");
        if (target == null) throw new IllegalArgumentException("linear: give the target y with --target");
        return new Example(x, numbers(List.of(target), 1, "--target"), null);
    }
}
