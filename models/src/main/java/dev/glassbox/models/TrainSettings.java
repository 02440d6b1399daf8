package dev.glassbox.models;

import dev.glassbox.models.train.InvalidSettingException;

import java.util.List;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * The settings every model's training has: which preset and data, how long ({@code epochs},
 * cut short after {@code steps} steps when that is not 0), the learning rate, examples per
 * step, and the seed of initialisation, shuffling and sampling. A recipe's
 * {@link Recipe#settings(String)} gives a preset's defaults; change them with the
 * {@code with...} methods. A value a run cannot take fails here, naming the setting.
 *
 * <pre>{@code
 * TrainSettings s = Recipes.get("dnn").settings("course").train().withEpochs(200).withLr(0.3f);
 * }</pre>
 */
public record TrainSettings(String preset, String data, int epochs, long steps, float lr, int batch, long seed)
        implements RecipeSettings<TrainSettings> {
    public TrainSettings {
        check(preset != null && !preset.isBlank(), "preset", "must be named");
        check(data != null && !data.isBlank(), "data", "must be named (a data set or a file)");
        check(epochs >= 1, "epochs", "must be positive, got " + epochs);
        check(steps >= 0, "steps", "must be positive (or 0 for every step of every epoch), got " + steps);
        check(lr > 0f && Float.isFinite(lr), "lr", "must be a positive number, got " + lr);
        check(batch >= 1, "batch", "must be positive, got " + batch);
    }

    @Override public TrainSettings train() { return this; }

    @Override public TrainSettings withTrain(TrainSettings train) { return train; }

    public TrainSettings withData(String v) { return new TrainSettings(preset, v, epochs, steps, lr, batch, seed); }

    public TrainSettings withEpochs(int v) { return new TrainSettings(preset, data, v, steps, lr, batch, seed); }

    /** Stops after {@code v} steps (0: run every epoch to its end). */
    public TrainSettings withSteps(long v) { return new TrainSettings(preset, data, epochs, v, lr, batch, seed); }

    public TrainSettings withLr(float v) { return new TrainSettings(preset, data, epochs, steps, v, batch, seed); }

    public TrainSettings withBatch(int v) { return new TrainSettings(preset, data, epochs, steps, lr, v, seed); }

    public TrainSettings withSeed(long v) { return new TrainSettings(preset, data, epochs, steps, lr, batch, v); }

    /** Fails, naming the setting, unless {@code batch} is {@code only} (for models that take no batch size). */
    public void requireBatch(int only, String why) {
        if (batch != only) throw new InvalidSettingException("batch", "cannot be changed for this model (" + why + "), got " + batch);
    }

    /** Fails, naming the setting, unless {@code data} is one of {@code names}. */
    public void requireData(List<String> names, String why) {
        if (!names.contains(data)) throw new InvalidSettingException("data", "'" + data + "' is not possible here: " + why);
    }
}
