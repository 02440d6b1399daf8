package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.data.CourseData;
import dev.glassbox.models.explain.Activation;
import dev.glassbox.models.explain.DenseExplainer;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The DNN classifier on noisy 5×5 digits: the course's 25-3-3-10, and a wider 25-16-16-10. */
public final class DnnRecipe extends CourseRecipe<DnnClassifier> {
    @Override public String name() { return "dnn"; }

    @Override public String title() { return "DNN classifier: 25 pixels -> 3 sigmoid -> 3 sigmoid -> 10 softmax, cross-entropy"; }

    @Override public List<String> presets() { return List.of("course", "wide"); }

    @Override public List<String> dataNames() { return List.of("digits5x5", "digits5x5-shifted"); }

    @Override public String dataHelp() { return "only embedded data: digits5x5 (one flipped pixel) or digits5x5-shifted (one-pixel shifts and one or two flips)"; }

    @Override
    public TrainSettings settings(String preset) {
        return "wide".equals(preset) ? defaults(preset, 300, 0.5f, 10) : defaults(preset, 1000, 0.5f, 10);
    }

    @Override public String headlineMetric() { return "acc"; }

    /** The course's net learns single-pixel noise; the wide one also learns shifted digits. */
    @Override
    String defaultData(String preset) { return preset.equals("wide") ? "digits5x5-shifted" : "digits5x5"; }

    @Override Class<DnnClassifier> modelClass() { return DnnClassifier.class; }

    @Override
    DnnClassifier build(String preset, Generator g) {
        return preset.equals("wide") ? new DnnClassifier(16, 16, g) : new DnnClassifier(3, 3, g);
    }

    @Override
    Data loadData(String data, long seed) {
        String name = data == null ? "digits5x5" : data;
        CourseData.DigitNoise noise = switch (name) {
            case "digits5x5" -> CourseData.DigitNoise.FLIPS;
            case "digits5x5-shifted" -> CourseData.DigitNoise.SHIFTS_AND_FLIPS;
            default -> throw new InvalidSettingException("data", "'" + data + "': dnn trains on the embedded "
                    + String.join(" or ", dataNames()) + " (larger image sets come with the cnn)");
        };
        CourseData.Split s = CourseData.digits(noise, 50, 10, seed);
        return new Data(name, s.train(), s.test());
    }

    @Override
    Tensor loss(DnnClassifier model, TensorDataset.Batch b) { return F.crossEntropy(model.forward(b.inputs()), b.labels()); }

    /** Held-out accuracy alone, at each epoch's end (the final metrics add the losses and the training accuracy). */
    @Override
    Object headline(DnnClassifier model, Data data) { return Evaluation.accuracy(model, model::forward, data.test(), 1000); }

    @Override
    Map<String, Object> metrics(DnnClassifier model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", Evaluation.accuracy(model, model::forward, data.test(), 1000));
        try (var ignored = GradMode.noGrad()) {
            m.put("test_loss", F.crossEntropy(model.forward(data.test().inputs()), data.test().labels()).item());
        }
        m.put("train_acc", Evaluation.accuracy(model, model::forward, data.train(), 1000));
        return m;
    }

    /** 25 digits 0/1 as one word, five words of five, or 25 separate numbers. */
    static float[] image(List<String> input, String what) {
        String joined = String.join("", input).replaceAll("[\\s,]", "");
        if (joined.matches("[01]{25}")) {
            float[] x = new float[25];
            for (int i = 0; i < 25; i++) x[i] = joined.charAt(i) - '0';
            return x;
        }
        if (input.size() == 25 || String.join(" ", input).trim().split("[,\\s]+").length == 25) return numbers(input, 25, what);
        throw new IllegalArgumentException(what + ": give a 5x5 image as 25 digits 0/1 (e.g. 0011001010000100010001110) "
                + "or five rows of five (00110 01010 00010 00100 01110)");
    }

    @Override
    public String predict(Module model, List<String> input) {
        float[] x = image(input, "dnn takes a 5x5 image");
        try (var ignored = GradMode.noGrad()) {
            float[] p = model(model).forward(Tensor.of(x, 1, 25)).softmax(-1).data();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < 5; r++) {
                sb.append("  ");
                for (int c = 0; c < 5; c++) sb.append(x[r * 5 + c] >= 0.5f ? "█" : "·");
                sb.append(r == 2 ? String.format(Locale.ROOT, "   ->  %d  (p = %.3f)", best, p[best]) : "").append('\n');
            }
            sb.append("  p:");
            for (int i = 0; i < p.length; i++) sb.append(String.format(Locale.ROOT, " %d:%.3f", i, p[i]));
            return sb.toString();
        }
    }

    @Override
    DenseExplainer.Step explainStep(DnnClassifier m, int stage) {
        return new DenseExplainer.Step(name(), m, null, "input layer", "X_", List.of(
                new DenseExplainer.Layer("hidden1", "hidden layer 1", m.hidden1, Activation.SIGMOID, "h1_", "W1", "b1", Graph.Training.TRAINED),
                new DenseExplainer.Layer("hidden2", "hidden layer 2", m.hidden2, Activation.SIGMOID, "h2_", "W2", "b2", Graph.Training.TRAINED),
                new DenseExplainer.Layer("output", "output layer", m.output, Activation.SOFTMAX, "y", "W3", "b3", Graph.Training.TRAINED)),
                m::forward, DenseExplainer.LossKind.CROSS_ENTROPY, DenseExplainer.Optimizing.SGD);
    }

    /** The course's '2' unless {@code input} gives another image; its target is the digit drawn, or the one given. */
    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) return new Example(CourseData.prototype(2), null, target == null ? 2 : digit(target, "dnn"));
        float[] x;
        try {
            x = image(input, "for dnn, a 5x5 image");
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("input", e.getMessage());
        }
        InvalidSettingException.check(target != null, "target", "is needed with an input of your own: the right digit (0-9) for dnn");
        return new Example(x, null, digit(target, "dnn"));
    }
}
