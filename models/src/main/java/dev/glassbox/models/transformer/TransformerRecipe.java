package dev.glassbox.models.transformer;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.rnn.CourseRnn;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.text.TextSource;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.models.text.Window;
import dev.glassbox.models.text.WindowStarts;
import dev.glassbox.models.text.Windows;
import dev.glassbox.models.train.Batches;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.FixedBatches;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SampledBatches;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * The Transformer: {@code course}, a tiny decoder-only model (d_model 8, 2 heads, 1 layer) on
 * the course's sentences, next-word prediction, for explaining; {@code char}, the W6 network
 * (d_model 128, 4 heads, 2 layers, feed-forward 512, context 64, learned positions) as a
 * character language model on the embedded novel or any text, Adam 1e-3, batches of 32 random
 * windows of the first 90%, the held-out 10% for the perplexity; {@code dates}, the
 * encoder–decoder on the seq2seq model's dates task ({@link DateTask}).
 */
public final class TransformerRecipe implements Recipe<TrainSettings>, DataParallel {

    @Override public String name() { return "transformer"; }

    @Override public String title() { return "Transformer: self-attention, decoder-only language model (the course's sentences, or characters)"; }

    @Override public List<String> presets() { return List.of("course", "char", "dates"); }

    @Override public List<String> dataNames() { return List.of(TextData.EMBEDDED, "course", "dates"); }

    @Override public String dataHelp() { return "char: a UTF-8 text file (plain or .gz); course: only the course's sentences; dates: only its generated dates"; }

    /** A preset's network. */
    public static TransformerLM.Config config(String preset) {
        return preset.equals("course") ? new TransformerLM.Config(8, 2, 1, 16, 4) : new TransformerLM.Config(128, 4, 2, 512, 64);
    }

    @Override
    public TrainSettings settings(String preset) {
        return switch (preset(preset)) {
            case "course" -> new TrainSettings("course", "course", 300, 0, 0.03f, CourseRnn.SENTENCES.size(), 42);
            case "dates" -> new TrainSettings("dates", "dates", 10, 0, 3e-3f, 64, 42);
            default -> new TrainSettings("char", TextData.EMBEDDED, 1, 0, 1e-3f, 32, 42);
        };
    }

    @Override public Class<TrainSettings> settingsType() { return TrainSettings.class; }

    /**
     * The tour trains the course's model in full, 30 steps of the char model and 60 of the dates
     * model: enough to show each learning (their held-out measurements take most of the time),
     * and the whole tour stays under a minute with the VAE and the DCGAN in it.
     */
    @Override
    public TrainSettings tourSettings(String preset) {
        TrainSettings s = settings(preset);
        return switch (preset(preset)) {
            case "char" -> s.withSteps(30);
            case "dates" -> s.withSteps(60);
            default -> s;
        };
    }

    @Override public String headlineMetric() { return "perplexity"; }

    /** Explain steps the course's model, at the course preset's rate. */
    @Override public float explainLr() { return settings("course").lr(); }

    /**
     * The course's model is judged by its next-word accuracy; the dates model, in the tour's 60
     * of its 5,000 steps, by its characters right (about 0.3 there; whole dates, its
     * {@code exact_match}, come only with longer training — every run still reports both).
     */
    @Override
    public String headlineMetric(String preset) {
        return "course".equals(preset) ? "acc" : "dates".equals(preset) ? "char_acc" : headlineMetric();
    }

    private String preset(String p) {
        if (p == null) return "char";
        if (!presets().contains(p)) throw new IllegalArgumentException("unknown preset '" + p + "' for transformer; presets: " + String.join(", ", presets()));
        return p;
    }

    @Override
    public Run train(TrainSettings t, RunOptions run, EventListener events) throws IOException {
        String preset = preset(t.preset());
        return switch (preset) {
            case "course" -> trainCourse(t, run, events);
            case "dates" -> DateTask.train(this, t, run, events);
            default -> trainChar(t, run, events);
        };
    }

    private Run trainChar(TrainSettings t, RunOptions run, EventListener events) throws IOException {
        TransformerLM.Config c = config("char");
        TextData.Split text = TextData.split(TextSource.data(t.data()), Vocab.Tokens.CHARACTERS, c.context(), "char transformer");
        TransformerLM m = new TransformerLM(text.vocab(), c, new Generator(t.seed()));
        var batches = new SampledBatches<>(Math.max(1, text.train().length / (t.batch() * c.context())), new Generator(t.seed() + 1),
                g -> Windows.random(text.train(), t.batch(), c.context(), g));
        Adam opt = new Adam(m.parameters(), t.lr());
        IntFunction<Map<String, Object>> evaluate = epoch -> {
            Map<String, Object> e = new LinkedHashMap<>();
            double val = heldOutLoss(m, text.held());
            e.put("val_loss", val);
            e.put("perplexity", Math.exp(val));
            return e;
        };
        GradientService workers = null;
        Map<String, Object> figures = Map.of();
        Trainer.Result r;
        try {
            TrainingTask<?> task;
            if (run.cluster() != null) {   // the same windows (their starts drawn here as one process draws them), the gradients on the workers
                workers = ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(t), m, events);
                Batches<int[]> starts = new SampledBatches<>(batches.perEpoch(), new Generator(t.seed() + 1),
                        g -> WindowStarts.draw(text.train(), t.batch(), c.context(), g));
                task = new ClusterTask(m, opt, new RoundBatches(starts, run.cluster().syncEvery()), workers, evaluate);
            } else {
                task = new SimpleTask<>(m, opt, batches, w -> loss(m, w)).evaluateWith(evaluate);
            }
            r = fitChar(task, t, run, m, events);
            if (workers != null) figures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> out = runMetrics(t, r);
        out.put("steps", r.steps());
        out.put("loss", r.loss());
        double val = r.evaluation().get("val_loss") instanceof Number n ? n.doubleValue() : heldOutLoss(m, text.held());
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        out.put("vocab", text.vocab().size());
        out.put("unknown_tokens", text.heldUnknown());   // held-out characters the training part lacks, left out of val_loss
        out.put("tokens_per_s", Math.round((double) r.stepsRun() * t.batch() * c.context() / Math.max(r.trainSeconds(), 1e-9)));
        out.put("sample", TransformerSampling.sample(m, TextData.opening(text, 4), 80, 0.8f, 0, t.seed()));
        out.putAll(figures);
        events.on(new TrainingEvent.Finished(out, r.seconds()));
        return new Run(m, "char", t.data(), out, r.seconds());
    }

    /** All of the course's sentences at once, one Adam step an epoch; next-word accuracy at each epoch's end. */
    private <B> Trainer.Result fitChar(TrainingTask<B> task, TrainSettings t, RunOptions run, TransformerLM m, EventListener events) throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).describe(name(), "char", t.data())
                .keep(run, identity(t, vocabMeta(m))).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** A worker's copy of a char run (the training text's windows, fresh models, the mean cross-entropy of a batch of windows), or of a dates run. */
    @Override
    public Replica<?> replica(String settings) throws IOException {
        TrainSettings t = SettingsJson.read(settings, TrainSettings.class, "the run's settings");
        if ("dates".equals(preset(t.preset()))) return DateTask.replica(t);
        if ("course".equals(preset(t.preset()))) {   // the course's sentences, a batch of them one window of their words
            TransformerLM course = courseModel(t.seed());
            return new Replica<>(DataParallel.items(courseSentences(course)), () -> courseModel(t.seed()),
                    (model, sentences, noise) -> Step.of(loss((TransformerLM) model, courseWindow(sentences))),
                    (model, lr) -> new Adam(model.parameters(), lr));
        }
        TransformerLM.Config c = config("char");
        TextData.Split text = TextData.split(TextSource.data(t.data()), Vocab.Tokens.CHARACTERS, c.context(), "char transformer");
        return new Replica<>(new WindowStarts(text.train(), c.context()), () -> new TransformerLM(text.vocab(), c, new Generator(t.seed())),
                (model, w, noise) -> Step.of(loss((TransformerLM) model, w)), (model, lr) -> new Adam(model.parameters(), lr));
    }

    private Run trainCourse(TrainSettings t, RunOptions run, EventListener events) throws IOException {
        t.requireData(List.of("course"), "transformer preset 'course' trains on the course's sentences only");
        t.requireBatch(CourseRnn.SENTENCES.size(), "preset 'course' trains on all " + CourseRnn.SENTENCES.size() + " of its sentences at once");
        TransformerLM m = courseModel(t.seed());
        Window all = courseWindow(m);
        Adam opt = new Adam(m.parameters(), t.lr());
        GradientService workers = run.cluster() == null ? null : ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(t), m, events);
        try {
            TrainingTask<?> task = workers != null   // the sentences spread over the workers, every step all of them
                    ? new ClusterTask(m, opt, new RoundBatches(FixedBatches.everyExample(all.n()), run.cluster().syncEvery()), workers,
                            epoch -> courseScores(m))
                    : new SimpleTask<>(m, opt, FixedBatches.of(all), w -> loss(m, w)).evaluateWith(epoch -> courseScores(m));
            Trainer.Result r = fitCourse(task, t, run, m, events);
            Map<String, Object> out = runMetrics(t, r);
            out.put("loss", r.loss());
            out.putAll(courseScores(m));
            if (workers != null) out.putAll(workers.figures());
            events.on(new TrainingEvent.Finished(out, r.seconds()));
            return new Run(m, "course", "course", out, r.seconds());
        } finally {
            if (workers != null) workers.close();
        }
    }

    private <B> Trainer.Result fitCourse(TrainingTask<B> task, TrainSettings t, RunOptions run, TransformerLM m, EventListener events) throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).describe(name(), "course", "course")
                .keep(run, identity(t, vocabMeta(m))).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** The course's model: its words, the course's sizes. */
    static TransformerLM courseModel(long seed) {
        List<String> words = new ArrayList<>();
        for (String s : CourseRnn.SENTENCES) for (String w : s.split(" ")) if (!words.contains(w)) words.add(w);
        return new TransformerLM(new Vocab(Vocab.Tokens.WORDS, words), config("course"), new Generator(seed));
    }

    /** Every sentence but its last word in, every word after the first out: [3, 3]. */
    static Window courseWindow(TransformerLM m) { return courseWindow(courseSentences(m)); }

    /** The course's sentences as the model's word ids. */
    static List<int[]> courseSentences(TransformerLM m) { return CourseRnn.SENTENCES.stream().map(s -> courseIds(m, s)).toList(); }

    /** Sentences of ids (of one length) as a window: each but its last word in, each word after the first out. */
    static Window courseWindow(List<int[]> sentences) {
        int n = sentences.size(), len = sentences.getFirst().length - 1;
        int[] x = new int[n * len], y = new int[n * len];
        for (int b = 0; b < n; b++) {
            int[] ids = sentences.get(b);
            System.arraycopy(ids, 0, x, b * len, len);
            System.arraycopy(ids, 1, y, b * len, len);
        }
        return new Window(x, y, n, len, true);
    }

    /** A sentence of the course's words as ids, or an error naming the words the model knows. */
    static int[] courseIds(TransformerLM m, String sentence) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < m.vocab.size(); i++) index.put(m.vocab.tokens().get(i), i);
        return dev.glassbox.models.data.CourseData.wordIds(sentence, index, m.vocab.tokens());
    }

    /** Mean cross-entropy of every next token of the windows. */
    static Tensor loss(TransformerLM m, Window w) {
        return F.crossEntropy(m.logits(w.x(), w.n(), w.seq()).reshape(w.n() * w.seq(), m.vocab.size()), w.y());
    }

    /** The course's loss (on its own sentences: there are no others), its perplexity and next-word accuracy over the 9 words that follow another. */
    static Map<String, Object> courseScores(TransformerLM m) {
        Window w = courseWindow(m);
        m.eval();
        Map<String, Object> out = new LinkedHashMap<>();
        try (var ignored = GradMode.noGrad()) {
            Tensor logits = m.logits(w.x(), w.n(), w.seq()).reshape(w.n() * w.seq(), m.vocab.size());
            int[] pred = logits.argmax(1);
            int ok = 0;
            for (int i = 0; i < pred.length; i++) if (pred[i] == w.y()[i]) ok++;
            float loss = F.crossEntropy(logits, w.y()).item();
            out.put("val_loss", loss);
            out.put("perplexity", Math.exp(loss));
            out.put("acc", (double) ok / pred.length);
            out.put("steps", pred.length);
        }
        m.train();
        return out;
    }

    /** Mean cross-entropy (nats per token) of held-out ids in consecutive windows of the context. */
    static double heldOutLoss(TransformerLM m, int[] held) {
        m.eval();
        double sum = 0;
        long count = 0;
        try (var ignored = GradMode.noGrad()) {
            for (Window w : Windows.consecutive(held, m.config.context(), 16)) {
                sum += F.crossEntropy(m.logits(w.x(), w.n(), w.seq()).reshape(w.n() * w.seq(), m.vocab.size()), w.y(), Reduction.SUM).item();
                count += (long) w.n() * w.seq();
            }
        }
        m.train();
        return count == 0 ? Double.NaN : sum / count;
    }

    private static Map<String, String> vocabMeta(TransformerLM m) {
        return Map.of(Vocab.METADATA_KEY, m.vocab.tokensJson(), "lm.tokens", m.vocab.kind().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public Module load(Path file) throws IOException {
        var c = SafeTensors.load(file);
        String model = c.metadata().get("glassbox.model");
        if (!name().equals(model)) throw new IOException(file + " holds a '" + (model == null ? "non-Glassbox" : model) + "' model, not 'transformer'");
        String preset = c.metadata().getOrDefault("glassbox.preset", "char");
        if (!presets().contains(preset)) throw new IOException(file + ": unknown transformer preset '" + preset + "'");
        if (preset.equals("dates")) return Checkpoints.restore(DateTask.build(0), c.tensors(), file);
        List<String> tokens = Vocab.tokensFrom(c.metadata(), file);
        Vocab.Tokens kind = preset.equals("course") ? Vocab.Tokens.WORDS : Vocab.Tokens.CHARACTERS;
        TransformerLM m = new TransformerLM(new Vocab(kind, tokens), config(preset), new Generator(0));
        return Checkpoints.restore(m, c.tensors(), file);
    }

    static TransformerLM cast(Module m) {
        if (!(m instanceof TransformerLM lm)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a transformer language model");
        return lm;
    }

    /** The course model's loss and accuracy on its sentences, or a char model's held-out loss and perplexity on a text. */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) throws IOException {
        if (model instanceof DateTransformer d) {
            check(data == null || data.equals("dates"), "data", "of the dates transformer is its held-out dates only, got '" + data + "'");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", name());
            out.put("data", "dates");
            out.putAll(DateTask.scores(d));
            return out;
        }
        TransformerLM m = cast(model);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        if (m.vocab.words()) {
            check(data == null || data.equals("course"), "data", "of the course's transformer is its sentences only, got '" + data + "'");
            out.put("data", "course");
            Map<String, Object> sc = courseScores(m);
            out.put("test_loss", sc.get("val_loss"));
            out.put("perplexity", sc.get("perplexity"));
            out.put("acc", sc.get("acc"));
            return out;
        }
        TextData.Held h = TextData.heldOut(TextSource.data(data), m.vocab);
        int[] held = h.ids();
        out.put("data", data == null ? TextData.EMBEDDED : data);
        double val = heldOutLoss(m, held);
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        out.put("unknown_tokens", h.unknown());   // left out of the score
        if (!h.unknownExamples().isEmpty()) out.put("unknown_examples", String.join(" ", h.unknownExamples()));
        return out;
    }

    /** The course's model: the next word and its probability; a char model: a continuation of the text; the dates model: the ISO form. */
    @Override
    public String predict(Module model, List<String> input) {
        if (model instanceof DateTransformer d) {
            String text = String.join(" ", input).toLowerCase(Locale.ROOT);
            return text + " -> " + d.greedy(List.of(text)).getFirst();
        }
        TransformerLM m = cast(model);
        if (!m.vocab.words()) return TransformerSampling.sample(m, String.join(" ", input), 80, 0.8f, 0, 42);
        int[] ids = courseIds(m, String.join(" ", input));
        check(ids.length >= 1 && ids.length <= m.config.context(), "input", "takes 1 to " + m.config.context() + " of the course's words, got " + ids.length);
        try (var ignored = GradMode.noGrad()) {
            m.eval();
            float[] p = m.logits(ids, 1, ids.length).select(1, ids.length - 1).reshape(-1).softmax(-1).toArray();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return String.format(Locale.ROOT, "%s -> %s (p = %.3f)", String.join(" ", input), m.vocab.tokens().get(best), p[best]);
        }
    }

    /**
     * One real training step (Adam, as the recipe trains) of a decoder-only model on a sequence:
     * by default the course's model, fresh from the seed, on '나는 오늘 집에 간다'; with
     * {@code --load} a course or char model on the words or text given as the input (at most its
     * context, at least two tokens).
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) {
        request.requireNoStage(name());
        check(request.target() == null, "target", "does not apply to explain transformer: each position's target is the next token");
        check(!(model instanceof DateTransformer), "load", "explain transformer walks through a decoder-only model (course or char), not the dates model");
        TransformerLM m = model == null ? courseModel(request.seed()) : cast(model);
        String text = request.input().isEmpty() ? (m.vocab.words() ? CourseRnn.SENTENCES.getFirst() : "the cat sat") : String.join(" ", request.input());
        List<String> tokens = m.vocab.words() ? List.of(text.trim().split("\\s+")) : TextData.tokens(text, m.vocab.kind());
        int[] ids = m.vocab.words() ? courseIds(m, text) : TextData.encode(tokens, m.vocab);
        check(ids.length >= 2 && ids.length <= m.config.context() + 1, "input",
                "takes 2 to " + (m.config.context() + 1) + " tokens for this model (each position predicts the next), got " + ids.length);
        return TransformerExplainer.explain(m, tokens, ids, request.lr());
    }
}
