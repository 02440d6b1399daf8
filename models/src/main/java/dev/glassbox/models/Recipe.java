package dev.glassbox.models;

import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to run one course model: its presets (the course's settings first), its
 * data (an embedded default first, or a file), default hyper-parameters, and the metrics it
 * reports. The command line, the studio, the benchmarks and the tests all go through here.
 */
public interface Recipe {
    /** The name on the command line, e.g. {@code dnn}. */
    String name();

    /** The first keys of every training run's metrics, in this order: model, preset, data, epochs. */
    default Map<String, Object> runMetrics(String preset, String data, int epochs) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("model", name());
        m.put("preset", preset);
        m.put("data", data);
        m.put("epochs", epochs);
        return m;
    }

    /** One line saying what the model is. */
    String title();

    /** Preset names; the first is the course's own settings. */
    List<String> presets();

    /** Names of embedded data sets; the first is the default. */
    List<String> dataNames();

    /** What {@code --data} accepts besides the embedded names (e.g. a CSV's columns). */
    String dataHelp();

    /** Default hyper-parameters of a preset. */
    Defaults defaults(String preset);

    /** The presets the tour trains: those whose default data is embedded. */
    default List<String> tourPresets() { return presets(); }

    /** The metric the tour's summary shows ({@code acc} or {@code mse}). */
    String headlineMetric();

    /** Trains from scratch and, if {@code options.save()} is set, writes a checkpoint. */
    Run train(Options options, EventListener events) throws IOException;

    /** A trained model read from a checkpoint this recipe wrote. */
    Module load(Path checkpoint) throws IOException;

    /** The model's metrics on a data set (an embedded name or a file; null for the default). */
    Map<String, Object> evaluate(Module model, String data, long seed) throws IOException;

    /** A short human-readable prediction for one input given as command-line words. */
    String predict(Module model, List<String> input);

    /**
     * One training step on one example, as the course tells it. With a null model a fresh one
     * is made from {@code seed}; an empty input uses the recipe's usual example.
     */
    Explanation explain(Module model, List<String> input, String target, float lr, long seed) throws IOException;

    /**
     * Settings this model takes besides the common ones, by their command-line names (e.g.
     * word2vec's {@code dim}); given to others they are an error.
     */
    default java.util.Set<String> settings() { return java.util.Set.of(); }

    /** Settings the tour uses for a preset (e.g. fewer steps for a long model); none by default. */
    default Map<String, Object> tourSettings(String preset) { return Map.of(); }

    /**
     * What {@code explain} without a saved model does first when that takes a while (e.g.
     * "training a model for 300 steps"), to tell the user; null when it starts at once.
     */
    default String explainPreparation() { return null; }

    /** Hyper-parameters. */
    record Defaults(int epochs, float lr, int batch) {}

    /** A training request; null fields take the preset's defaults. */
    record Options(String preset, String data, Integer epochs, Float lr, Integer batch, long seed, Path save, Map<String, Object> settings) {
        public Options(String preset, String data, Integer epochs, Float lr, Integer batch, long seed, Path save) {
            this(preset, data, epochs, lr, batch, seed, save, Map.of());
        }

        public Options {
            settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
            if (epochs != null && epochs <= 0) throw new IllegalArgumentException("--epochs must be positive, got " + epochs);
            if (batch != null && batch <= 0) throw new IllegalArgumentException("--batch must be positive, got " + batch);
            if (lr != null && !(lr > 0f && Float.isFinite(lr))) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }

        public static Options defaults(long seed) { return new Options(null, null, null, null, null, seed, null); }

        /** Fails, naming the setting, unless every setting given is one that {@code recipe} takes. */
        public void requireKnown(Recipe recipe) {
            for (String k : settings.keySet()) {
                if (!recipe.settings().contains(k)) {
                    throw new IllegalArgumentException("--" + k + " does not apply to " + recipe.name()
                            + (recipe.settings().isEmpty() ? "" : " (it takes --" + String.join(", --", new java.util.TreeSet<>(recipe.settings())) + ")"));
                }
            }
        }

        /** A whole-number setting, or null when not given; a clear error when it is not a whole number. */
        public Integer integer(String key) {
            Object v = settings.get(key);
            if (v == null) return null;
            if (v instanceof Integer || v instanceof Long || v instanceof Short) return ((Number) v).intValue();
            try {
                return Integer.valueOf(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be a whole number, got '" + v + "'");
            }
        }

        /** A number setting, or null when not given. */
        public Double number(String key) {
            Object v = settings.get(key);
            if (v == null) return null;
            if (v instanceof Number n) return n.doubleValue();
            try {
                return Double.valueOf(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + key + " must be a number, got '" + v + "'");
            }
        }

        /** A yes/no setting: true only when given as true. */
        public boolean flag(String key) {
            Object v = settings.get(key);
            if (v == null || v instanceof Boolean) return Boolean.TRUE.equals(v);
            if (v.toString().equalsIgnoreCase("true") || v.toString().equalsIgnoreCase("false")) return Boolean.parseBoolean(v.toString());
            throw new IllegalArgumentException("--" + key + " is true or false, got '" + v + "'");
        }
    }

    /** A finished training run. */
    record Run(Module model, String preset, String data, Map<String, Object> metrics, double seconds) {}
}
