package dev.glassbox.models.word2vec;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.PartTraining;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.RecipeSettings;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.AveragingService;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.DataException;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.FixedBatches;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * word2vec from the command line, the tour and the studio: skip-gram (the course's model) or
 * CBOW with negative sampling, on the embedded novel or any corpus file or folder; vectors
 * saved in the word2vec formats.
 */
public final class Word2VecRecipe implements Recipe<Word2VecRecipe.Settings>, PartTraining, DataParallel {
    /** The embedded corpus: Jane Austen's Pride and Prejudice (1813, public domain). */
    public static final String EMBEDDED = "austen";
    /** Words whose nearest neighbours the tour shows. */
    private static final List<String> PROBES = List.of("elizabeth", "sister", "letter");

    @Override public String name() { return "word2vec"; }

    @Override public String title() { return "word2vec: skip-gram (or CBOW) with negative sampling, multi-threaded"; }

    @Override public List<String> presets() { return List.of("skipgram", "cbow", "course"); }

    @Override public List<String> dataNames() { return List.of(EMBEDDED); }

    @Override public String dataHelp() { return "a text file (plain or .gz) or a folder of them, one sentence per line, words separated by spaces"; }

    /**
     * word2vec's settings: the common ones (epochs; lr is the starting rate α₀) and the
     * window, vector size, noise words, vocabulary cut-off, subsampling and threads.
     */
    public record Settings(TrainSettings train, int dim, int window, int negative, int minCount, double sample, int threads)
            implements RecipeSettings<Settings> {
        public Settings {
            InvalidSettingException.check(train != null, "train", "settings are missing");
            config(train, dim, window, negative, minCount, sample, threads);   // checks every value, by name
        }

        /** The engine's configuration: skip-gram unless the preset is cbow. */
        public Word2VecConfig config() { return config(train, dim, window, negative, minCount, sample, threads); }

        private static Word2VecConfig config(TrainSettings t, int dim, int window, int negative, int minCount, double sample, int threads) {
            return new Word2VecConfig(dim, window, negative, minCount, sample, t.epochs(), threads, t.lr(),
                    t.preset().equals("cbow") ? Word2VecConfig.Model.CBOW : Word2VecConfig.Model.SKIP_GRAM, t.seed());
        }

        @Override public Settings withTrain(TrainSettings t) { return new Settings(t, dim, window, negative, minCount, sample, threads); }

        public Settings withDim(int v) { return new Settings(train, v, window, negative, minCount, sample, threads); }

        public Settings withWindow(int v) { return new Settings(train, dim, v, negative, minCount, sample, threads); }

        public Settings withNegative(int v) { return new Settings(train, dim, window, v, minCount, sample, threads); }

        public Settings withMinCount(int v) { return new Settings(train, dim, window, negative, v, sample, threads); }

        public Settings withSample(double v) { return new Settings(train, dim, window, negative, minCount, v, threads); }

        public Settings withThreads(int v) { return new Settings(train, dim, window, negative, minCount, sample, v); }
    }

    /** The course's toy: 3 dimensions, window 1, full softmax; these settings are fixed for it. */
    private static final int COURSE_DIM = 3, COURSE_WINDOW = 1;

    @Override
    public Settings settings(String preset) {
        String p = preset(preset);
        Word2VecConfig d = Word2VecConfig.defaults(42);
        return switch (p) {
            case "course" -> new Settings(new TrainSettings(p, "course", 300, 0, 0.5f, 1, 42), COURSE_DIM, COURSE_WINDOW, d.negative(),
                    1, 0, 1);
            case "cbow" -> new Settings(new TrainSettings(p, EMBEDDED, 5, 0, 0.05f, 1, 42), d.dim(), d.window(), d.negative(), d.minCount(),
                    d.sample(), d.threads());
            default -> new Settings(new TrainSettings(p, EMBEDDED, 5, 0, 0.025f, 1, 42), d.dim(), d.window(), d.negative(), d.minCount(),
                    d.sample(), d.threads());
        };
    }

    @Override public Class<Settings> settingsType() { return Settings.class; }

    @Override public List<String> tourPresets() { return List.of("skipgram", "course"); }

    @Override public String headlineMetric() { return "loss"; }

    /** Hogwild threads update the vectors without locks: no checkpoints during training, and no resuming. */
    @Override public boolean checkpoints() { return false; }

    /** The corpus a data name or path stands for. */
    public static Corpus corpus(String data) throws IOException {
        if (data == null || data.equals(EMBEDDED)) return Corpus.resource(EMBEDDED, "/corpora/pride-and-prejudice.txt.gz");
        Path p = Path.of(data);
        if (!Files.exists(p)) {
            throw new DataException("data", "'" + data + "' is neither the embedded corpus (" + EMBEDDED + ") nor an existing file or folder; "
                    + "word2vec reads a text file (plain or .gz) or a folder of them, one sentence per line");
        }
        return Corpus.of(p);
    }

    private String preset(String p) {
        if (p == null) return presets().get(0);
        if (!presets().contains(p)) throw new IllegalArgumentException("unknown preset '" + p + "' for word2vec; presets: " + String.join(", ", presets()));
        return p;
    }

    @Override
    public Run train(Settings s, RunOptions run, EventListener events) throws IOException {
        if (run.checkpointEvery() != null || run.resume() != null) {
            throw new IllegalArgumentException("word2vec writes its vectors at the end only: its Hogwild threads do not checkpoint or resume");
        }
        TrainSettings t = s.train();
        String preset = preset(t.preset());
        if (preset.equals("course")) return trainCourse(s, run, events);
        t.requireBatch(1, "it updates after every (word, context) pair");
        InvalidSettingException.check(t.steps() == 0, "steps", "does not apply to word2vec's " + preset + ": its threads run whole epochs over the corpus");
        Word2VecConfig cfg = s.config();
        Corpus corpus = corpus(t.data());
        Word2Vec.Result r;
        Map<String, Object> figures = Map.of();
        if (run.cluster() != null) {
            InvalidSettingException.check(run.cluster().syncEvery() == 1, "syncEvery",
                    "does not apply to word2vec: its workers train a whole epoch each and are averaged at its end");
            try (AveragingService workers = ScaleOut.find().openAveraging(run.cluster(), name(), SettingsJson.write(s), events)) {
                r = Word2VecCluster.train(corpus, cfg, preset, workers, events);
                figures = workers.figures();
            }
        } else {
            r = Word2Vec.train(corpus, cfg, events);
        }
        Map<String, Object> m = runMetrics(t);
        m.put("data", corpus.name());
        m.put("loss", r.loss());
        m.put("vocab", r.vocabulary().size());
        m.put("corpus_words", r.vocabulary().rawTokens());
        m.put("words_per_s", Math.round(r.wordsPerSecond()));
        m.put("wall_s", Math.round(r.seconds() * 1000) / 1000.0);
        m.put("threads", run.cluster() == null ? cfg.threads() : 1);   // on a cluster, each worker's
        m.putAll(figures);
        Map<String, List<String>> near = new LinkedHashMap<>();
        for (String w : PROBES) {
            if (r.vectors().contains(w)) near.put(w, r.vectors().mostSimilar(w, 5).stream().map(KeyedVectors.Neighbour::word).toList());
        }
        if (!near.isEmpty()) m.put("neighbours", near);
        WordVectors model = new WordVectors(r.vectors(), r.outputVectors());
        save(r.vectors(), run, events);
        events.on(new TrainingEvent.Finished(m, r.seconds()));
        return new Run(model, preset, corpus.name(), m, r.seconds());
    }

    private static void save(KeyedVectors vectors, RunOptions run, EventListener events) throws IOException {
        if (run.save() == null) return;
        Word2VecFormat.save(vectors, run.save(), Word2VecFormat.kindOf(run.save()));
        events.on(new TrainingEvent.Checkpoint(run.save().toString(), -1));
    }

    /**
     * The listener with, after every tenth epoch (and the first and last), a snapshot of each
     * course word's two nearest words by cosine similarity: the words moving as the model learns.
     */
    private static EventListener withNeighbours(EventListener events, CourseWord2Vec m, int epochs) {
        return e -> {
            events.on(e);
            if (e instanceof TrainingEvent.EpochEnd end && (end.epoch() == 1 || end.epoch() % 10 == 0 || end.epoch() == epochs)) {
                KeyedVectors v = m.vectors();
                Map<String, Object> nearest = new LinkedHashMap<>();
                for (String w : m.vocabulary) {
                    nearest.put(w, v.mostSimilar(w, 2).stream().map(n -> Map.of("word", n.word(), "similarity", n.similarity())).toList());
                }
                events.on(new TrainingEvent.Snapshot(end.epoch(), Map.of("nearest", nearest)));
            }
        };
    }

    /**
     * The course's toy: the full-softmax model on the course's sentences, every (centre, context)
     * pair of window 1 in one batch, plain SGD, with the engine's autograd, on the Trainer.
     */
    private Run trainCourse(Settings s, RunOptions run, EventListener events) throws IOException {
        TrainSettings t = s.train();
        t.requireData(List.of("course"), "word2vec preset 'course' trains on the course's example sentences only");
        t.requireBatch(1, "preset 'course' takes every pair in one batch");
        Settings fixed = settings("course");
        InvalidSettingException.check(s.dim() == fixed.dim(), "dim", "is fixed at " + fixed.dim() + " for preset 'course', got " + s.dim());
        InvalidSettingException.check(s.window() == fixed.window(), "window", "is fixed at " + fixed.window() + " for preset 'course', got " + s.window());
        InvalidSettingException.check(s.minCount() == fixed.minCount() && s.sample() == fixed.sample() && s.negative() == fixed.negative()
                && s.threads() == fixed.threads(), "course", "preset has fixed settings (window 1, 3 dimensions, full softmax, one thread)");
        CourseWord2Vec m = new CourseWord2Vec(new Generator(t.seed()));
        List<int[]> pairs = m.allPairs();
        int[] centres = pairs.stream().mapToInt(p -> p[0]).toArray(), contexts = pairs.stream().mapToInt(p -> p[1]).toArray();
        java.util.function.IntFunction<Map<String, Object>> evaluate = epoch -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("val_loss", F.crossEntropy(m.scores(centres), contexts).item());   // on its own pairs: there are no others
            e.put("acc", contextAccuracy(m, pairs, centres));
            return e;
        };
        SGD opt = new SGD(m.parameters(), t.lr());
        GradientService workers = run.cluster() == null ? null : ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), m, events);
        Trainer.Result r;
        Map<String, Object> figures = Map.of();
        try {
            TrainingTask<?> task = workers != null   // the pairs spread over the workers, every step all of them
                    ? new ClusterTask(m, opt, new RoundBatches(FixedBatches.everyExample(pairs.size()), run.cluster().syncEvery()), workers, evaluate)
                    : new SimpleTask<>(m, opt, FixedBatches.of(centres), c -> F.crossEntropy(m.scores(c), contexts)).evaluateWith(evaluate);
            r = fitCourse(task, t, withNeighbours(events, m, t.epochs()));
            if (workers != null) figures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> out = runMetrics(t, r);
        out.putAll(figures);
        out.put("loss", r.loss());
        out.put("pairs", pairs.size());
        out.put("acc", contextAccuracy(m, pairs, centres));
        out.put("vocab", m.vocabulary.size());
        save(m.vectors(), run, events);
        events.on(new TrainingEvent.Finished(out, r.seconds()));
        return new Run(m, "course", "course", out, r.seconds());
    }

    private <B> Trainer.Result fitCourse(TrainingTask<B> task, TrainSettings t, EventListener events) throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).describe(name(), "course", "course").fit(events);
    }

    /** A worker's part of a skip-gram or CBOW run on a cluster: the vocabulary and its share of the corpus's chunks. */
    @Override
    public Share part(String settings, int part, int parts) throws IOException {
        Settings s = SettingsJson.read(settings, Settings.class, "the run's settings");
        return Word2VecPart.load(corpus(s.train().data()), s.config(), part, parts);
    }

    /** A worker's copy of a course run (the other presets train on a cluster by averaging: {@link #part}). */
    @Override
    public Replica<?> replica(String settings) throws IOException {
        Settings s = SettingsJson.read(settings, Settings.class, "the run's settings");
        InvalidSettingException.check("course".equals(preset(s.train().preset())), "spark",
                "trains word2vec's skipgram and cbow by averaging each epoch, not by gradients");
        return Word2VecCluster.courseReplica(s.train().seed());
    }

    /** How often the most probable word is a true context of the centre (a centre has several). */
    private static double contextAccuracy(CourseWord2Vec m, List<int[]> pairs, int[] centres) {
        int[] best;
        try (var ignored = GradMode.noGrad()) {
            best = m.scores(centres).argmax(1);
        }
        int ok = 0;
        for (int i = 0; i < pairs.size(); i++) {
            for (int[] p : pairs) {
                if (p[0] == centres[i] && p[1] == best[i]) {
                    ok++;
                    break;
                }
            }
        }
        return (double) ok / pairs.size();
    }

    @Override
    public Module load(Path file) throws IOException { return new WordVectors(Word2VecFormat.load(file), null); }

    /** The vectors of a loaded or trained model. */
    public static KeyedVectors vectors(Module m) {
        if (m instanceof CourseWord2Vec c) return c.vectors();
        if (!(m instanceof WordVectors wv)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a word2vec model");
        return wv.vectors();
    }

    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) {
        throw new IllegalArgumentException("word2vec is evaluated on test files of word similarities and analogies, "
                + "with Word2VecRecipe.evaluate(vectors, wordsim, analogies, restrict)");
    }

    /** The standard checks; either file may be null. Keys: wordsim_spearman, analogy_acc and their counts. */
    public static Map<String, Object> evaluate(KeyedVectors kv, Path wordsim, Path analogies, int restrict) throws IOException {
        if (wordsim == null && analogies == null) throw new IllegalArgumentException("evaluating word2vec takes a word-similarity file, an analogy file or both");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "word2vec");
        m.put("vocab", kv.size());
        m.put("dim", kv.dim());
        if (wordsim != null) {
            WordEval.WordSim ws = WordEval.wordSim(kv, wordsim);
            m.put("wordsim_spearman", ws.spearman());
            m.put("wordsim_pairs", ws.pairs());
            m.put("wordsim_oov", ws.oov());
        }
        if (analogies != null) {
            WordEval.Analogies an = WordEval.analogies(kv, analogies, restrict);
            m.put("analogy_acc", an.accuracy());
            m.put("analogy_correct", an.correct());
            m.put("analogy_asked", an.asked());
            m.put("analogy_oov", an.oov());
            m.put("analogy_restrict", restrict);
        }
        return m;
    }

    /** The nearest words to one word. */
    @Override
    public String predict(Module model, List<String> input) {
        if (input.size() != 1) throw new IllegalArgumentException("word2vec takes one word, got " + input.size());
        return neighbours(vectors(model).mostSimilar(input.get(0), 10));
    }

    /** Neighbours as aligned lines "word  0.1234". */
    public static String neighbours(List<KeyedVectors.Neighbour> list) {
        int width = list.stream().mapToInt(n -> n.word().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (KeyedVectors.Neighbour n : list) {
            sb.append(String.format(Locale.ROOT, "%-" + Math.max(1, width) + "s  %.4f%n", n.word(), n.similarity()));
        }
        return sb.toString().stripTrailing();
    }

    /**
     * The course's toy word2vec (a fresh one from {@code seed}): the pairs of its first sentence,
     * then one full-softmax step and one negative-sampling step on a pair, by default its first
     * (나는 → 오늘); {@code input} may name another as "centre context".
     */
    /** The course preset's rate: explain walks through the course's model. */
    @Override
    public float explainLr() { return settings("course").train().lr(); }

    @Override
    public Explanation explain(Module model, ExplainRequest request) {
        request.requireNoStage(name());
        List<String> input = request.input();
        String target = request.target();
        float lr = request.lr();
        long seed = request.seed();
        InvalidSettingException.check(model == null || model instanceof CourseWord2Vec, "load",
                "does not apply to explain word2vec: it walks through the course's small model");
        InvalidSettingException.check(target == null, "target", "does not apply to explain word2vec: give the pair as the input, the centre word then its context");
        CourseWord2Vec m = model instanceof CourseWord2Vec c ? c : new CourseWord2Vec(new Generator(seed));
        List<String> words = input.stream().flatMap(w -> Arrays.stream(w.trim().split("\\s+"))).filter(w -> !w.isEmpty()).toList();
        InvalidSettingException.check(words.isEmpty() || words.size() == 2, "input",
                "takes two words for explain word2vec, the centre and its context (for example 나는 오늘), got " + words.size());
        String centre, context;
        if (words.isEmpty()) {
            String[] first = CourseWord2Vec.SENTENCES.getFirst().split(" ");
            centre = first[0];
            context = first[1];
        } else {
            centre = words.get(0);
            context = words.get(1);
        }
        return CourseExplainer.explain(m, centre, context, lr, seed);
    }
}
