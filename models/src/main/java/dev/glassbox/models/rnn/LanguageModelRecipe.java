package dev.glassbox.models.rnn;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.RecipeSettings;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.text.TextSource;
import dev.glassbox.models.text.Tracks;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.models.text.Window;
import dev.glassbox.models.text.WindowStarts;
import dev.glassbox.models.text.Windows;
import dev.glassbox.models.train.Batches;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SampledBatches;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * Character- and word-level language models with an LSTM ({@code lstm}) or a GRU ({@code gru})
 * on the embedded novel or any text file: the first 90% of the text trains, the last 10% is
 * held out for the perplexity. Each step takes {@code batch} windows of {@code seq} + 1 tokens
 * at random places of the training part (or, with {@link Settings.Batching#TRACKS}, the next
 * window of each of {@code batch} contiguous tracks, the state carried over detached: truncated
 * BPTT), predicts every next token, and takes an Adam step on the mean cross-entropy with the
 * gradient norm clipped at 5. The pieces: {@link LanguageModel} (the network),
 * {@link LanguageModelTask} (a step), {@link Sampling} (generating text), and the text package
 * (data and windows).
 */
public final class LanguageModelRecipe implements Recipe<LanguageModelRecipe.Settings>, DataParallel {
    /** The gradient norm every step is clipped to. */
    public static final float CLIP = 5f;

    /** A preset's network and its window of tokens. */
    public record Config(Vocab.Tokens tokens, int embedding, int hidden, int layers, int seq) {}

    /**
     * A language model's settings: the common ones, its recurrent cell, and how a step's
     * windows are drawn.
     */
    public record Settings(TrainSettings train, Recurrent.Mode cell, Batching batching) implements RecipeSettings<Settings> {
        /** Windows at random places, or contiguous tracks with the state carried over (truncated BPTT). */
        public enum Batching { RANDOM_WINDOWS, TRACKS }

        public Settings {
            check(train != null, "train", "settings are missing");
            check(cell != null, "cell", "must be lstm, gru, rnn or rnn_relu");
            check(batching != null, "batching", "must be random windows or tracks");
        }

        @Override public Settings withTrain(TrainSettings t) { return new Settings(t, cell, batching); }

        public Settings withCell(Recurrent.Mode v) { return new Settings(train, v, batching); }

        public Settings withBatching(Batching v) { return new Settings(train, cell, v); }
    }

    private final String name;
    private final Recurrent.Mode cell;

    public LanguageModelRecipe(String name, Recurrent.Mode cell) {
        this.name = name;
        this.cell = cell;
    }

    @Override public String name() { return name; }

    @Override public String title() { return name.toUpperCase(Locale.ROOT) + " language model (characters or words): next-token prediction, sampling, perplexity"; }

    @Override public List<String> presets() { return List.of("char", "word", "w5"); }

    @Override public List<String> dataNames() { return List.of(TextData.EMBEDDED); }

    @Override public String dataHelp() { return "a UTF-8 text file (plain or .gz)"; }

    /** The network of a preset; {@code w5} is the benchmark's (hidden 256). */
    public static Config config(String preset) {
        return switch (preset) {
            case "word" -> new Config(Vocab.Tokens.WORDS, 128, 256, 1, 32);
            case "w5" -> new Config(Vocab.Tokens.CHARACTERS, 64, 256, 1, 64);
            default -> new Config(Vocab.Tokens.CHARACTERS, 64, 128, 1, 64);
        };
    }

    @Override
    public Settings settings(String preset) {
        String p = preset(preset);
        TrainSettings t = new TrainSettings(p, TextData.EMBEDDED, p.equals("word") ? 2 : 1, 0, 2e-3f, 32, 42);
        return new Settings(t, cell, Settings.Batching.RANDOM_WINDOWS);
    }

    @Override public Class<Settings> settingsType() { return Settings.class; }

    @Override public List<String> tourPresets() { return List.of("char"); }

    /** The tour trains 60 steps: enough to see the loss fall, a few seconds long. */
    @Override
    public Settings tourSettings(String preset) {
        Settings s = settings(preset);
        return s.withTrain(s.train().withSteps(60));
    }

    /** A cell by the name the checkpoint writes: lstm, gru, rnn (tanh) or rnn_relu. */
    public static Recurrent.Mode cell(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "lstm" -> Recurrent.Mode.LSTM;
            case "gru" -> Recurrent.Mode.GRU;
            case "rnn", "rnn_tanh" -> Recurrent.Mode.RNN_TANH;
            case "rnn_relu" -> Recurrent.Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("unknown cell '" + value + "': lstm, gru, rnn or rnn_relu");
        };
    }

    /** A cell's name as the checkpoint writes it. */
    public static String cellName(Recurrent.Mode mode) {
        return mode == Recurrent.Mode.RNN_TANH ? "rnn" : mode.name().toLowerCase(Locale.ROOT);
    }

    @Override public String headlineMetric() { return "perplexity"; }

    private String preset(String p) {
        if (p == null) return "char";
        if (!presets().contains(p)) throw new IllegalArgumentException("unknown preset '" + p + "' for " + name + "; presets: " + String.join(", ", presets()));
        return p;
    }

    @Override
    public Run train(Settings s, RunOptions run, EventListener events) throws IOException {
        TrainSettings t = s.train();
        String preset = preset(t.preset());
        Config c = config(preset);
        TextData.Split text = TextData.split(TextSource.data(t.data()), c.tokens(), c.seq(), preset + " language model");
        LanguageModel m = new LanguageModel(text.vocab(), s.cell(), c.embedding(), c.hidden(), c.layers(), new Generator(t.seed()));
        Adam opt = new Adam(m.parameters(), t.lr());
        boolean tracks = s.batching() == Settings.Batching.TRACKS;
        Batches<Window> batches = tracks ? new Tracks(text.train(), t.batch(), c.seq())
                : new SampledBatches<>(Math.max(1, text.train().length / (t.batch() * c.seq())), new Generator(t.seed() + 1),
                        g -> Windows.random(text.train(), t.batch(), c.seq(), g));
        var task = new LanguageModelTask(m, opt, batches, tracks ? LanguageModelTask.Carry.STATE : LanguageModelTask.Carry.NONE,
                text.held(), c.seq());
        GradientService workers = null;
        Map<String, Object> figures = Map.of();
        Trainer.Result r;
        try {
            TrainingTask<?> job = task;
            if (run.cluster() != null) {   // the same windows (their starts drawn here as one process draws them), the gradients on the workers
                check(!tracks, "spark", "does not combine with batching in tracks (truncated BPTT): the state carried from window to window lives in one process");
                workers = ScaleOut.find().open(run.cluster(), name, SettingsJson.write(s), m, events);
                Batches<int[]> starts = new SampledBatches<>(Math.max(1, text.train().length / (t.batch() * c.seq())), new Generator(t.seed() + 1),
                        g -> WindowStarts.draw(text.train(), t.batch(), c.seq(), g));
                job = new ClusterTask(m, opt, new RoundBatches(starts, run.cluster().syncEvery()), workers, task::evaluate);
            }
            r = fit(job, t, preset, run, s, m, events);
            if (workers != null) figures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> out = runMetrics(t, r);
        out.put("cell", cellName(s.cell()));
        out.put("steps", r.steps());
        out.put("loss", r.loss());
        double val = r.evaluation().get("val_loss") instanceof Number n ? n.doubleValue() : LanguageModelTask.heldOutLoss(m, text.held(), c.seq());
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        out.put("vocab", text.vocab().size());
        out.put("unknown_tokens", text.heldUnknown());   // held-out tokens the training part lacks, left out of val_loss
        out.put("tokens_per_s", Math.round((double) r.stepsRun() * t.batch() * c.seq() / Math.max(r.trainSeconds(), 1e-9)));
        boolean words = c.tokens() == Vocab.Tokens.WORDS;
        out.put("sample", Sampling.sample(m, TextData.opening(text, words ? 1 : 4), words ? 20 : 80, 0.8f, t.seed()));
        out.putAll(figures);
        events.on(new TrainingEvent.Finished(out, r.seconds()));
        return new Run(m, preset, t.data(), out, r.seconds());
    }

    private <B> Trainer.Result fit(TrainingTask<B> task, TrainSettings t, String preset, RunOptions run, Settings s, LanguageModel m,
                                   EventListener events) throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).clipGradNorm(CLIP)
                .describe(name, preset, t.data()).keep(run, identity(s, m)).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** A worker's copy of a run: the training text's windows, fresh models of its preset, the mean cross-entropy of a batch of windows. */
    @Override
    public Replica<Window> replica(String settings) throws IOException {
        Settings s = SettingsJson.read(settings, Settings.class, "the run's settings");
        TrainSettings t = s.train();
        String preset = preset(t.preset());
        Config c = config(preset);
        TextData.Split text = TextData.split(TextSource.data(t.data()), c.tokens(), c.seq(), preset + " language model");
        return new Replica<>(new WindowStarts(text.train(), c.seq()),
                () -> new LanguageModel(text.vocab(), s.cell(), c.embedding(), c.hidden(), c.layers(), new Generator(t.seed())),
                (model, w, noise) -> Step.of(LanguageModelTask.loss((LanguageModel) model, w)), (model, lr) -> new Adam(model.parameters(), lr));
    }

    /** A checkpoint's metadata: the model, preset, cell and vocabulary, and the settings. */
    private Trainer.Identity identity(Settings s, LanguageModel m) {
        return identity(s, Map.of("lm.cell", cellName(m.cell), Vocab.METADATA_KEY, m.vocab.tokensJson()));
    }

    @Override
    public Module load(Path file) throws IOException {
        var c = SafeTensors.load(file);
        String model = c.metadata().get("glassbox.model");
        if (!name.equals(model)) throw new IOException(file + " holds a '" + (model == null ? "non-Glassbox" : model) + "' model, not '" + name + "'");
        String preset = c.metadata().getOrDefault("glassbox.preset", "char");
        if (!presets().contains(preset)) throw new IOException(file + ": unknown preset '" + preset + "'");
        List<String> tokens = Vocab.tokensFrom(c.metadata(), file);
        Config cfg = config(preset);
        Recurrent.Mode mode;
        try {
            String saved = c.metadata().get("lm.cell");
            mode = saved == null ? this.cell : cell(saved);   // files from before lm.cell hold the model's own cell
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unknown cell '" + c.metadata().get("lm.cell") + "' in its metadata (lm.cell)");
        }
        LanguageModel m = new LanguageModel(new Vocab(cfg.tokens(), tokens), mode, cfg.embedding(), cfg.hidden(), cfg.layers(), new Generator(0));
        return Checkpoints.restore(m, c.tensors(), file);
    }

    static LanguageModel cast(Module m) {
        if (!(m instanceof LanguageModel lm)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a language model");
        return lm;
    }

    /** Held-out loss and perplexity on the last 10% of a text. */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) throws IOException {
        LanguageModel m = cast(model);
        TextData.Held h = TextData.heldOut(TextSource.data(data), m.vocab);
        int[] held = h.ids();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("data", data == null ? TextData.EMBEDDED : data);
        double val = LanguageModelTask.heldOutLoss(m, held, 64);
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        out.put("unknown_tokens", h.unknown());   // left out of the score
        if (!h.unknownExamples().isEmpty()) out.put("unknown_examples", String.join(" ", h.unknownExamples()));
        return out;
    }

    @Override
    public String predict(Module model, List<String> input) {
        return Sampling.sample(cast(model), String.join(" ", input), 80, 0.8f, 42);
    }

    /**
     * {@code explain lstm}: the course's reason for the LSTM, measured — how much of the loss of
     * the last word of its 11-word sentence reaches each earlier word through a plain RNN and
     * through an LSTM of the same size and seed — then one real training step of that LSTM on
     * the sentence, gate by gate. A trained language model is not explained: it is asked with
     * predict and sample.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) {
        request.requireNoStage(name());
        if (cell != Recurrent.Mode.LSTM) {
            throw new IllegalArgumentException("explain " + name + ": the course explains the RNN (glassbox explain rnn) and the LSTM (glassbox explain lstm)");
        }
        check(model == null, "load", "does not apply to explain lstm: it explains the course's small LSTM on its sentence, fresh from the seed; "
                + "ask a trained language model with 'glassbox predict lstm' or 'glassbox sample lstm'");
        check(request.target() == null, "target", "does not apply to explain lstm: each word's target is the next word");
        String sentence = request.input().isEmpty() ? CourseRnn.LONG_SENTENCE : String.join(" ", request.input());
        List<String> vocabulary = List.of(CourseRnn.LONG_SENTENCE);
        CourseRnn m = new CourseRnn(Recurrent.Mode.LSTM, vocabulary, new Generator(request.seed()));
        Demo flow = RecurrentExplainer.gradientFlow(vocabulary, sentence, request.seed());   // before the step changes m
        return RecurrentExplainer.explain(m, name, sentence, request.lr(), List.of(flow));
    }
}
