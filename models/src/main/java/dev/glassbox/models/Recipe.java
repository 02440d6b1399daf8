package dev.glassbox.models;

import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.nn.Module;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to run one course model: its presets (the course's settings first), its
 * data (an embedded default first, or a file), its typed settings with each preset's defaults,
 * and the metrics it reports. The command line, the studio, the benchmarks and the tests all
 * go through here, and every recipe trains on the one {@link dev.glassbox.models.train.Trainer}.
 *
 * <pre>{@code
 * DnnRecipe dnn = new DnnRecipe();
 * TrainSettings s = dnn.settings("course").withEpochs(300);
 * Recipe.Run run = dnn.train(s, RunOptions.saveTo(Path.of("dnn.safetensors")), EventListener.NONE);
 * }</pre>
 *
 * @param <S> the recipe's settings record
 */
public interface Recipe<S extends RecipeSettings<S>> {
    /** The name on the command line, e.g. {@code dnn}. */
    String name();

    /** One line saying what the model is. */
    String title();

    /** Preset names; the first is the course's own settings. */
    List<String> presets();

    /** Names of embedded data sets; the first is the default. */
    List<String> dataNames();

    /** What the data setting accepts besides the embedded names (e.g. a CSV's columns). */
    String dataHelp();

    /** The settings of a preset with its defaults; an unknown preset is an error listing the presets. */
    S settings(String preset);

    /** The class of the settings record (to read settings back from a checkpoint). */
    Class<S> settingsType();

    /** The presets the tour trains: those whose default data is embedded. */
    default List<String> tourPresets() { return presets(); }

    /** The settings the tour trains a preset with (e.g. fewer steps for a long model). */
    default S tourSettings(String preset) { return settings(preset); }

    /** The metric the tour's summary shows ({@code acc}, {@code mse}, ...). */
    String headlineMetric();

    /** The metric the tour's summary shows for a preset; the recipe's unless a preset has its own. */
    default String headlineMetric(String preset) { return headlineMetric(); }

    /**
     * Trains with {@code settings} (from the start, or from {@code run}'s checkpoint), writing
     * the model where {@code run} says, with events to {@code events}.
     */
    Run train(S settings, RunOptions run, EventListener events) throws IOException;

    /** A trained model read from a checkpoint this recipe wrote. */
    Module load(Path checkpoint) throws IOException;

    /** The model's metrics on a data set (an embedded name or a file; null for the default). */
    Map<String, Object> evaluate(Module model, String data, long seed) throws IOException;

    /**
     * As {@link #evaluate(Module, String, long)}, telling {@code events} of long work on the way
     * (the generative models train their image scorer the first time it is needed).
     */
    default Map<String, Object> evaluate(Module model, String data, long seed, EventListener events) throws IOException {
        return evaluate(model, data, seed);
    }

    /**
     * The training data as points to draw, for a model of one or two inputs (the studio's
     * scatter): {@code x}, {@code y}, or {@code x1}, {@code x2}, {@code label}; null otherwise.
     */
    default Map<String, Object> points(String data, long seed) throws IOException { return null; }

    /**
     * Pictures of a trained model, by name, that show what it learned (an autoencoder's
     * reconstructions, a 2-D VAE's latent plane); none for most models.
     */
    default Map<String, java.awt.image.BufferedImage> pictures(Module model) throws IOException { return Map.of(); }

    /** A short human-readable prediction for one input given as command-line words. */
    String predict(Module model, List<String> input);

    /**
     * One training step on one example, as the course tells it. With a null model a fresh one
     * is made from the request's seed; an empty input uses the recipe's usual example.
     */
    Explanation explain(Module model, ExplainRequest request) throws IOException;

    /**
     * What {@code explain} without a saved model does first when that takes a while (e.g.
     * "training a model for 300 steps"), to tell the user; null when it starts at once.
     */
    default String explainPreparation() { return null; }

    /** The learning rate {@code explain} steps at unless told: the rate the explained model trains at. */
    default float explainLr() { return settings(null).train().lr(); }

    /** Whether {@code run}'s checkpoints during training and resuming are possible for this model. */
    default boolean checkpoints() { return true; }

    /**
     * What this recipe's checkpoints say they hold: the model's name ({@code glassbox.model}),
     * the preset, {@code extra} metadata the model needs to be rebuilt, and the settings.
     */
    default Trainer.Identity identity(S settings, Map<String, String> extra) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("glassbox.model", name());
        meta.put("glassbox.preset", settings.train().preset());
        meta.putAll(extra);
        return new Trainer.Identity(meta, SettingsJson.write(settings));
    }

    /** The first keys of every training run's metrics, in this order: model, preset, data, epochs. */
    default Map<String, Object> runMetrics(TrainSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name());
        m.put("preset", s.preset());
        m.put("data", s.data());
        m.put("epochs", s.epochs());
        return m;
    }

    /**
     * {@link #runMetrics(TrainSettings)} for a run the Trainer made: a run cut short by
     * {@code --steps} says the epochs it covered (the last one part-way) and its steps, not the
     * preset's epochs it never reached.
     */
    default Map<String, Object> runMetrics(TrainSettings s, Trainer.Result r) {
        Map<String, Object> m = runMetrics(s);
        if (s.steps() > 0) {
            m.put("epochs", r.epochs());
            m.put("steps", r.steps());
        }
        return m;
    }

    /** A finished training run. */
    record Run(Module model, String preset, String data, Map<String, Object> metrics, double seconds) {}
}
