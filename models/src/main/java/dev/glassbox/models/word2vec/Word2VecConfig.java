package dev.glassbox.models.word2vec;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * word2vec's engine settings (the recipe's {@link Word2VecRecipe.Settings} make them). Defaults: the C tool's and
 * gensim's (skip-gram, 100 dimensions, window 5, 5 negatives, min-count 5, sample 1e-3,
 * 5 epochs, learning rate 0.025 falling linearly to 0.025·1e-4), all cores.
 *
 * @param alpha  the starting learning rate
 * @param model  skip-gram (each context word predicts the centre word) or continuous bag of
 *               words (the mean of the context predicts the centre word)
 */
public record Word2VecConfig(int dim, int window, int negative, int minCount, double sample, int epochs, int threads, float alpha,
                             Model model, long seed) {
    /** Which word predicts which. */
    public enum Model { SKIP_GRAM, CBOW }

    public Word2VecConfig {
        check(dim >= 1 && dim <= 10_000, "dim", "must be between 1 and 10000, got " + dim);
        check(window >= 1 && window <= 100, "window", "must be between 1 and 100, got " + window);
        check(negative >= 1 && negative <= 100, "negative", "must be between 1 and 100, got " + negative);
        check(minCount >= 1, "minCount", "must be at least 1, got " + minCount);
        check(sample >= 0 && sample < 1 && !Double.isNaN(sample), "sample", "must be in [0, 1) (0 turns subsampling off), got " + sample);
        check(epochs >= 1, "epochs", "must be positive, got " + epochs);
        check(threads >= 1 && threads <= 256, "threads", "must be between 1 and 256, got " + threads);
        check(alpha > 0 && alpha < 10 && Float.isFinite(alpha), "lr", "must be a positive number below 10, got " + alpha);
        check(model != null, "model", "must be skip-gram or CBOW");
    }

    /** The defaults with this seed. */
    public static Word2VecConfig defaults(long seed) {
        return new Word2VecConfig(100, 5, 5, 5, 1e-3, 5, Runtime.getRuntime().availableProcessors(), 0.025f, Model.SKIP_GRAM, seed);
    }

    public Word2VecConfig withDim(int v) { return new Word2VecConfig(v, window, negative, minCount, sample, epochs, threads, alpha, model, seed); }

    public Word2VecConfig withWindow(int v) { return new Word2VecConfig(dim, v, negative, minCount, sample, epochs, threads, alpha, model, seed); }

    public Word2VecConfig withNegative(int v) { return new Word2VecConfig(dim, window, v, minCount, sample, epochs, threads, alpha, model, seed); }

    public Word2VecConfig withMinCount(int v) { return new Word2VecConfig(dim, window, negative, v, sample, epochs, threads, alpha, model, seed); }

    public Word2VecConfig withSample(double v) { return new Word2VecConfig(dim, window, negative, minCount, v, epochs, threads, alpha, model, seed); }

    public Word2VecConfig withEpochs(int v) { return new Word2VecConfig(dim, window, negative, minCount, sample, v, threads, alpha, model, seed); }

    public Word2VecConfig withThreads(int v) { return new Word2VecConfig(dim, window, negative, minCount, sample, epochs, v, alpha, model, seed); }

    public Word2VecConfig withAlpha(float v) { return new Word2VecConfig(dim, window, negative, minCount, sample, epochs, threads, v, model, seed); }

    public Word2VecConfig withModel(Model v) { return new Word2VecConfig(dim, window, negative, minCount, sample, epochs, threads, alpha, v, seed); }
}
