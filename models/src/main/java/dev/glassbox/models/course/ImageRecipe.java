package dev.glassbox.models.course;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.data.ImageGrid;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the image models (CNN, autoencoder) share: data by name or folder, presets tied to an
 * image size, and a clear error whenever the images and the model's size differ — when
 * training, and when a saved model is evaluated on other data.
 */
abstract class ImageRecipe<M extends Module> extends CourseRecipe<M> {
    /** The image side a preset takes. */
    abstract int side(String preset);

    /** The image side a built model takes. */
    abstract int side(M model);

    @Override public List<String> dataNames() { return ImageData.NAMES; }

    @Override public String dataHelp() { return ImageData.FOLDER_HELP; }

    /** The 28×28 presets need data that is not embedded. */
    @Override public List<String> tourPresets() { return presets().stream().filter(p -> side(p) == 8).toList(); }

    @Override
    String defaultData(String preset) { return side(preset) == 8 ? "digits" : "fashion-mnist"; }

    /** "8x8 (course) or 28x28 (w4)". */
    private String sizes() {
        return String.join(" or ", presets().stream().map(p -> side(p) + "x" + side(p) + " (" + p + ")").toList());
    }

    @Override
    Data loadData(String data, long seed) throws IOException {
        ImageData.Images im = ImageData.load(data == null ? "digits" : data, seed, name());
        if (presets().stream().noneMatch(p -> side(p) == im.side())) {
            throw new IOException(name() + ": images of " + im.side() + "x" + im.side() + " in '" + im.name() + "'; the presets take " + sizes());
        }
        return new Data(im.name(), im.train(), im.test());
    }

    /** The data of a training run, checked against the preset's image size. */
    Data trainingData(String preset, String data, long seed) throws IOException {
        if (ImageData.side(data) != side(preset)) {   // before reading anything: the names tell
            throw new IllegalArgumentException(name() + ": preset '" + preset + "' takes " + side(preset) + "x" + side(preset) + " images, not '" + data + "'");
        }
        Data d = loadData(data, seed);
        requireSide(side(preset), d, "preset '" + preset + "'");
        return d;
    }

    private void requireSide(int side, Data d, String what) {
        int got = d.train().inputShape()[2];
        if (got != side) {
            throw new IllegalArgumentException(name() + ": " + what + " takes " + side + "x" + side + " images; '" + d.name() + "' has "
                    + got + "x" + got);
        }
    }

    /** A held-out image of the size the model takes: the digits for 8x8 models, Fashion-MNIST for 28x28 ones. */
    @Override
    Data exampleData(M model, long seed) throws IOException { return loadData(side(model) == 8 ? "digits" : "fashion-mnist", seed); }

    /**
     * {@code events}, and when {@code run} names a folder, after every epoch a grid of 64 of
     * {@code sampler}'s images from the same noise (seed 0) as {@code epoch-001.png}, ...: the
     * grids of successive epochs show the learning.
     */
    static EventListener withGrids(EventListener events, RunOptions run, ImageSampler sampler, Module model) {
        if (run.everyEpoch() == null) return events;
        return e -> {   // the grid first, so that whoever hears of the epoch's end finds its picture
            if (e instanceof TrainingEvent.EpochEnd end) {
                Path file = run.everyEpoch().resolve(String.format(Locale.ROOT, "epoch-%03d.png", end.epoch()));
                ImageSampler.Images im = sampler.sampleImages(model, 64, 0);
                try {
                    ImageGrid.write(im.pixels(), im.n(), im.side(), file);
                } catch (IOException ex) {
                    throw new UncheckedIOException("cannot write " + file + ": " + ex.getMessage(), ex);
                }
            }
            events.on(e);
        };
    }

    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) throws IOException {
        M m = model(model);
        String name = data != null ? data : side(m) == 8 ? "digits" : "fashion-mnist";
        requireSide(side(m), loadData(name, seed), "this model");
        return super.evaluate(model, name, seed);
    }

    /** How a generative model draws {@code n} new images [n, side²] with values in [0, 1], z from {@code g}. */
    interface Draw<M> {
        float[] images(M model, int n, Generator g);
    }

    /**
     * The held-out metrics, as at the end of training, and the sample scores of 10,000 new
     * images (z drawn from seed + 3, as training's own): a saved model — PyTorch's too, with the
     * same names — is scored the way training scores it.
     */
    Map<String, Object> evaluateWithSamples(Module model, String data, long seed, EventListener events, Draw<M> draw) throws IOException {
        Map<String, Object> m = evaluate(model, data, seed);
        M typed = model(model);
        Generator noise = new Generator(seed + 3);
        m.putAll(SampleQuality.score(k -> draw.images(typed, k, noise), SampleQuality.SAMPLES, String.valueOf(m.get("data")), side(typed), events));
        return m;
    }
}
