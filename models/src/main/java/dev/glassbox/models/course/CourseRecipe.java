package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.explain.DenseNet;
import dev.glassbox.models.explain.Explainer;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the course's dense models share: SGD training with events, checkpoints that name their
 * model and preset, loading with checks, and the explain trace. Each model says how to build
 * itself, load its data, score a batch and report metrics.
 */
abstract class CourseRecipe<M extends Module> implements Recipe {
    /** Training and held-out data; {@code test} may be the training set itself (then said so). */
    record Data(String name, TensorDataset train, TensorDataset test) {}

    /** An example for explain: input, and target values or a class. */
    record Example(float[] input, float[] target, Integer targetClass) {}

    abstract M build(String preset, Generator g);

    abstract Data loadData(String data, long seed) throws IOException;

    abstract Tensor loss(M model, TensorDataset.Batch batch);

    /** Final metrics on the data (held-out part where there is one). */
    abstract Map<String, Object> metrics(M model, Data data);

    abstract Example example(List<String> input, String target, Data data);

    @SuppressWarnings("unchecked")
    private M cast(Module m) {
        if (!modelClass().isInstance(m)) {
            throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a '" + name() + "' model");
        }
        return (M) m;
    }

    abstract Class<M> modelClass();

    /** The optimizer of a training run: the course's plain SGD unless a model says otherwise. */
    dev.glassbox.optim.Optimizer optimizer(M model, float lr) { return new SGD(model.parameters(), lr); }

    /** A learning-rate schedule stepped after every batch of a run of {@code steps} steps, or null for a constant rate. */
    dev.glassbox.optim.LRScheduler scheduler(String preset, dev.glassbox.optim.Optimizer opt, int steps) { return null; }

    /** The data of a training run of a preset (the image models check the image size here). */
    Data trainData(String preset, String data, long seed) throws IOException { return loadData(data, seed); }

    /** The data a preset trains on when none is named. */
    String defaultData(String preset) { return dataNames().get(0); }

    String checkPreset(String preset) {
        if (preset == null) return presets().get(0);
        if (!presets().contains(preset)) {
            throw new IllegalArgumentException("unknown preset '" + preset + "' for " + name() + "; presets: " + String.join(", ", presets()));
        }
        return preset;
    }

    /** An embedded name, or a path to an existing file; anything else is an error saying what is accepted. */
    Path dataPath(String data) {
        Path p = Path.of(data);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--data '" + data + "' is neither an embedded data set (" + String.join(", ", dataNames())
                    + ") nor an existing file; " + name() + " also reads " + dataHelp());
        }
        if (!Files.isReadable(p) || Files.isDirectory(p)) throw new IllegalArgumentException("--data '" + data + "' is not a readable file");
        return p;
    }

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        o.requireKnown(this);
        String preset = checkPreset(o.preset());
        Defaults d = defaults(preset);
        int epochs = o.epochs() != null ? o.epochs() : d.epochs();
        float lr = o.lr() != null ? o.lr() : d.lr();
        int batch = o.batch() != null ? o.batch() : d.batch();
        Data data = trainData(preset, o.data() != null ? o.data() : defaultData(preset), o.seed());
        long t0 = System.nanoTime();
        M model = build(preset, new Generator(o.seed()));
        DataLoader loader = new DataLoader(data.train(), batch, new Generator(o.seed() + 1));
        events.on(new TrainingEvent.Started(name(), preset, data.name(), epochs, loader.batches()));
        dev.glassbox.optim.Optimizer opt = optimizer(model, lr);
        float last = Trainer.fit(model, opt, scheduler(preset, opt, epochs * loader.batches()), loader, epochs, b -> loss(model, b), null, events);
        Map<String, Object> m = runMetrics(preset, data.name(), epochs);
        m.put("loss", last);
        m.putAll(metrics(model, data));
        double secs = (System.nanoTime() - t0) / 1e9;
        if (o.save() != null) {
            save(model, preset, o.save());
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(m, secs));
        return new Run(model, preset, data.name(), m, secs);
    }

    void save(M model, String preset, Path file) throws IOException {
        SafeTensors.save(model.stateDict(), Map.of("glassbox.model", name(), "glassbox.preset", preset), file);
    }

    @Override
    public Module load(Path checkpoint) throws IOException {
        var c = SafeTensors.load(checkpoint);
        String model = c.metadata().get("glassbox.model");
        if (model == null) throw new IOException(checkpoint + ": not a Glassbox checkpoint (no glassbox.model in its metadata)");
        if (!model.equals(name())) throw new IOException(checkpoint + " holds a '" + model + "' model, not '" + name() + "'");
        String preset = c.metadata().getOrDefault("glassbox.preset", presets().get(0));
        if (!presets().contains(preset)) throw new IOException(checkpoint + ": unknown preset '" + preset + "' for " + name());
        M m = build(preset, new Generator(0));
        return dev.glassbox.models.Checkpoints.restore(m, c.tensors(), checkpoint);
    }

    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) throws IOException {
        Data d = loadData(data, seed);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name());
        m.put("data", d.name());
        m.putAll(metrics(cast(model), d));
        return m;
    }

    @Override
    public Explanation explain(Module model, List<String> input, String target, float lr, long seed) throws IOException {
        M m = model == null ? build(presets().get(0), new Generator(seed)) : cast(model);
        if (!(m instanceof DenseNet net)) {
            throw new IllegalArgumentException("explain " + name() + ": the node-by-node trace covers dense networks so far; "
                    + "the feature-map trace of the " + name() + " is not built yet");
        }
        Example ex = example(input, target, loadData(null, seed));
        return Explainer.explain(name(), m, net, ex.input(), ex.target(), ex.targetClass(), lr);
    }

    M model(Module m) { return cast(m); }

    /** Parses the command-line words of an input into exactly {@code n} numbers. */
    static float[] numbers(List<String> words, int n, String what) {
        List<String> parts = words.stream().flatMap(w -> java.util.Arrays.stream(w.split("[,\\s]+"))).filter(s -> !s.isEmpty()).toList();
        if (parts.size() != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " number" + (n == 1 ? "" : "s") + ", got " + parts.size()
                    + (parts.isEmpty() ? "" : " (" + String.join(" ", parts) + ")"));
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            try {
                out[i] = Float.parseFloat(parts.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + parts.get(i) + "' is not a number");
            }
        }
        return out;
    }
}
