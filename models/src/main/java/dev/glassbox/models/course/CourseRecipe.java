package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.DenseExplainer;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.DataException;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.IndexBatches;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the course's dense models share: training on the {@link Trainer} (SGD unless a model
 * says otherwise, held-out loss and metric at each epoch's end), checkpoints that name their
 * model and preset, loading with checks, and the explain trace. Each model says how to build
 * itself, load its data, score a batch and report metrics.
 */
abstract class CourseRecipe<M extends Module> implements Recipe<TrainSettings>, DataParallel {
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

    abstract Class<M> modelClass();

    @SuppressWarnings("unchecked")
    private M cast(Module m) {
        if (!modelClass().isInstance(m)) {
            throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a '" + name() + "' model");
        }
        return (M) m;
    }

    @Override public Class<TrainSettings> settingsType() { return TrainSettings.class; }

    /** A preset's defaults: its data, these epochs, rate and batch, seed 42. */
    TrainSettings defaults(String preset, int epochs, float lr, int batch) {
        String p = checkPreset(preset);
        return new TrainSettings(p, defaultData(p), epochs, 0, lr, batch, 42);
    }

    /** The optimizer of a training run: the course's plain SGD unless a model says otherwise. */
    Optimizer optimizer(M model, float lr) { return new SGD(model.parameters(), lr); }

    /** A learning-rate schedule stepped after every batch of a run of {@code steps} steps, or null for a constant rate. */
    LRScheduler scheduler(String preset, Optimizer opt, long steps) { return null; }

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
    Path dataPath(String data) throws DataException {
        Path p = Path.of(data);
        if (!Files.exists(p)) {   // a data problem (exit 1), not a malformed command line
            throw new DataException("data", "'" + data + "' is neither an embedded data set (" + String.join(", ", dataNames())
                    + ") nor an existing file; " + name() + " also reads " + dataHelp());
        }
        if (!Files.isReadable(p) || Files.isDirectory(p)) throw new DataException("data", "'" + data + "' is not a readable file");
        return p;
    }

    /** Held-out loss and the headline metric, measured at each epoch's end. */
    Map<String, Object> validation(M model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        double sum = 0;
        for (TensorDataset.Batch b : new DataLoader(data.test(), 1000, null)) sum += (double) loss(model, b).item() * b.size();
        m.put("val_loss", sum / data.test().size());
        Object metric = headline(model, data);
        if (metric != null) m.put(headlineMetric(), metric);
        m.putAll(picture(model));
        return m;
    }

    /** The few numbers that draw the model over its data at an epoch's end (a line's slope and intercept), or none. */
    Map<String, Object> picture(M model) { return Map.of(); }

    /**
     * The training data of a model with one or two inputs, as points to draw: {@code x} and
     * {@code y} (one input and its target), or {@code x1}, {@code x2} and {@code label}; null
     * for a model with more inputs.
     */
    @Override
    public Map<String, Object> points(String data, long seed) throws IOException {
        TensorDataset train = loadData(data, seed).train();
        int width = train.size() == 0 ? 0 : train.inputs().numel() / train.size();
        if (width < 1 || width > 2) return null;
        float[] in = train.inputs().data(), target = train.targets().data();
        Map<String, Object> m = new LinkedHashMap<>();
        if (width == 1) {
            m.put("x", in);
            m.put("y", target);
        } else {
            float[] x1 = new float[train.size()], x2 = new float[train.size()];
            for (int i = 0; i < x1.length; i++) {
                x1[i] = in[2 * i];
                x2[i] = in[2 * i + 1];
            }
            m.put("x1", x1);
            m.put("x2", x2);
            m.put("label", target);
        }
        return m;
    }

    /** The headline metric on the held-out data (by default taken from {@link #metrics}; a model may measure it alone). */
    Object headline(M model, Data data) { return metrics(model, data).get(headlineMetric()); }

    @Override
    public Run train(TrainSettings s, RunOptions run, EventListener events) throws IOException {
        String preset = checkPreset(s.preset());
        TrainingCheckpoint from = TrainingCheckpoint.resumed(run);
        Data data = trainData(preset, s.data(), s.seed());
        M model = build(preset, new Generator(s.seed()));
        Optimizer opt = optimizer(model, s.lr());
        Generator shuffle = new Generator(s.seed() + 1);
        GradientService workers = null;
        try {
            TrainingTask<?> task;
            if (run.cluster() != null) {
                workers = ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), model, events);
                task = new ClusterTask(model, opt, new RoundBatches(new IndexBatches(data.train(), s.batch(), shuffle), run.cluster().syncEvery()),
                        workers, epoch -> validation(model, data));
            } else {
                task = new SimpleTask<>(model, opt, new LoaderBatches(data.train(), s.batch(), shuffle), b -> loss(model, b))
                        .weighBy(TensorDataset.Batch::size).evaluateWith(epoch -> validation(model, data));
            }
            Trainer.Result r = fit(task, s, preset, data, opt, run, from, events);
            Map<String, Object> m = runMetrics(s, r);
            m.put("data", data.name());
            m.put("loss", r.loss());
            m.putAll(metrics(model, data));
            if (workers != null) m.putAll(workers.figures());
            events.on(new TrainingEvent.Finished(m, r.seconds()));
            return new Run(model, preset, data.name(), m, r.seconds());
        } finally {
            if (workers != null) workers.close();
        }
    }

    <B> Trainer.Result fit(TrainingTask<B> task, TrainSettings s, String preset, Data data, Optimizer opt, RunOptions run,
                                   TrainingCheckpoint from, EventListener events) throws IOException {
        Trainer<B> trainer = new Trainer<>(task).epochs(s.epochs()).maxSteps(s.steps())
                .describe(name(), preset, data.name()).keep(run, identity(s, Map.of())).resumeFrom(from);
        long steps = (long) s.epochs() * task.batches().perEpoch();
        LRScheduler schedule = scheduler(preset, opt, s.steps() > 0 ? Math.min(s.steps(), steps) : steps);
        if (schedule != null) trainer.schedule(schedule, Trainer.Every.STEP);
        return trainer.fit(events);
    }

    /** A worker's copy of a run: the training set as the run loads it, fresh models of its preset, the loss of a batch. */
    @Override
    public Replica<TensorDataset.Batch> replica(String settings) throws IOException {
        TrainSettings s = SettingsJson.read(settings, TrainSettings.class, "the run's settings");
        String preset = checkPreset(s.preset());
        Data data = trainData(preset, s.data(), s.seed());
        return new Replica<>(DataParallel.rows(data.train()), () -> build(preset, new Generator(s.seed())), (m, b, noise) -> replicaLoss(cast(m), b, noise),
                (m, lr) -> optimizer(cast(m), lr));
    }

    /** A worker's loss of a batch (with the noise the step drew for its examples, for a model that draws any). */
    DataParallel.Step replicaLoss(M model, TensorDataset.Batch batch, Tensor noise) {
        return DataParallel.Step.of(loss(model, batch));
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
        return Checkpoints.restore(m, c.tensors(), checkpoint);
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

    /**
     * The step explain runs: the model's dense layers as the course draws them, its forward, its
     * loss and optimizer; {@code stage} (0: the model's usual step) for models trained in stages.
     */
    DenseExplainer.Step explainStep(M model, int stage) {
        throw new IllegalArgumentException("explain " + name() + ": this model is explained map by map, not node by node");
    }

    /** One real training step on one example ({@code --input}, else the model's usual one), node by node. */
    @Override
    public Explanation explain(Module model, ExplainRequest request) throws IOException {
        M m = model == null ? build(presets().get(0), new Generator(request.seed())) : cast(model);
        DenseExplainer.Step step = explainStep(m, request.stage());
        if (step.stage() == null) request.requireNoStage(name());
        boolean reconstructs = step.stage() != null && !"Y".equals(step.stage().target());
        if (reconstructs) {
            InvalidSettingException.check(request.target() == null, "target", "does not apply to stage " + step.stage().index() + " of " + name()
                    + ": it learns to give back " + ("X".equals(step.stage().target()) ? "its input X" : "Z1 = encoder_1(X)"));
        }
        Example ex = example(request.input(), request.target(), exampleData(m, request.seed()));
        if (reconstructs) {
            ex = new Example(ex.input(), reconstructionTarget(m, step, ex.input()), null);   // a stage that reconstructs its input
        } else {
            InvalidSettingException.check(ex.target() != null || ex.targetClass() != null, "target",
                    "is needed with an input of your own: the right digit (0-9), for " + name());
        }
        return DenseExplainer.explain(step, ex.input(), ex.target(), ex.targetClass(), request.lr());
    }

    /** The data explain takes its usual example from. */
    Data exampleData(M model, long seed) throws IOException { return loadData(null, seed); }

    /** The values a reconstructing stage learns to produce from {@code input}; only the autoencoder has such stages. */
    float[] reconstructionTarget(M model, DenseExplainer.Step step, float[] input) {
        throw new IllegalStateException(name() + " has no reconstructing stage");
    }

    M model(Module m) { return cast(m); }

    /** A class 0-9 given as a target, or an error naming the setting. */
    static int digit(String target, String model) {
        int t;
        try {
            t = Integer.parseInt(target.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("target", "for " + model + " must be a class 0-9, got '" + target + "'");
        }
        InvalidSettingException.check(t >= 0 && t <= 9, "target", "for " + model + " must be a class 0-9, got " + t);
        return t;
    }

    /** {@link #numbers} for an explain setting ({@code input}, {@code target}): a bad value is an error naming it. */
    static float[] setting(String setting, List<String> words, int n, String what) {
        try {
            return numbers(words, n, what);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, e.getMessage());
        }
    }

    /** Parses the command-line words of an input into exactly {@code n} numbers. */
    static float[] numbers(List<String> words, int n, String what) {
        List<String> parts = words.stream().flatMap(w -> Arrays.stream(w.split("[,\\s]+"))).filter(s -> !s.isEmpty()).toList();
        if (parts.size() != n) {
            throw new IllegalArgumentException(what + ": expected " + n + " number" + (n == 1 ? "" : "s") + ", got " + parts.size()
                    + (parts.isEmpty() ? "" : " (" + String.join(" ", parts) + ")"));
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            try {
                out[i] = Float.parseFloat(parts.get(i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": '" + shorten(parts.get(i)) + "' is not a number");
            }
            if (!Float.isFinite(out[i])) throw new IllegalArgumentException(what + ": '" + shorten(parts.get(i)) + "' is not a finite number");
        }
        return out;
    }

    /** An image's pixels from command-line words: {@code n} numbers, each in [0, 1]. */
    static float[] pixels(List<String> words, int n, String what) {
        float[] x = numbers(words, n, what);
        for (int i = 0; i < n; i++) {
            if (x[i] < 0f || x[i] > 1f) throw new IllegalArgumentException(what + ": pixel " + (i + 1) + " is " + shorten(words.size() == n ? words.get(i) : String.valueOf(x[i])) + ", outside [0, 1]");
        }
        return x;
    }

    private static String shorten(String s) { return s.length() > 40 ? s.substring(0, 40) + "…" : s; }
}
