package dev.glassbox.models.explain;

import dev.glassbox.models.train.InvalidSettingException;

import java.util.List;

/**
 * What to explain: the example's input as words (empty: the model's usual example), its target
 * (null: the example's own), the learning rate of the step, the seed of a fresh model, and for
 * a model trained in stages which stage (0: the model's usual one).
 */
public record ExplainRequest(List<String> input, String target, float lr, long seed, int stage) {
    public ExplainRequest {
        input = List.copyOf(input);
        InvalidSettingException.check(lr > 0 && Float.isFinite(lr), "lr", "must be a positive number, got " + lr);
        InvalidSettingException.check(stage >= 0, "stage", "must be 1 or more, got " + stage);
    }

    /** The usual example with this learning rate and seed. */
    public static ExplainRequest of(float lr, long seed) { return new ExplainRequest(List.of(), null, lr, seed, 0); }

    public ExplainRequest withInput(List<String> words, String target) { return new ExplainRequest(words, target, lr, seed, stage); }

    public ExplainRequest withStage(int s) { return new ExplainRequest(input, target, lr, seed, s); }

    /** Fails, naming the setting, when a stage was asked of a model that has none. */
    public void requireNoStage(String model) {
        InvalidSettingException.check(stage == 0, "stage", "applies to the autoencoder, whose training has stages; " + model + " has none");
    }
}
