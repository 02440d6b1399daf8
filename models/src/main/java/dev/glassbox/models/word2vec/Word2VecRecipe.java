package dev.glassbox.models.word2vec;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * word2vec from the command line, the tour and the studio: skip-gram (the course's model) or
 * CBOW with negative sampling, on the embedded novel or any corpus file or folder; vectors
 * saved in the word2vec formats.
 */
public final class Word2VecRecipe implements Recipe {
    /** The embedded corpus: Jane Austen's Pride and Prejudice (1813, public domain). */
    public static final String EMBEDDED = "austen";
    /** Settings besides the common ones, by their command-line names. */
    public static final Set<String> SETTINGS = Set.of("dim", "window", "negative", "min-count", "sample", "threads");
    /** Words whose nearest neighbours the tour shows. */
    private static final List<String> PROBES = List.of("elizabeth", "sister", "letter");

    @Override public String name() { return "word2vec"; }

    @Override public String title() { return "word2vec: skip-gram (or CBOW) with negative sampling, multi-threaded"; }

    @Override public List<String> presets() { return List.of("skipgram", "cbow", "course"); }

    @Override public List<String> dataNames() { return List.of(EMBEDDED); }

    @Override public String dataHelp() { return "a text file (plain or .gz) or a folder of them, one sentence per line, words separated by spaces"; }

    @Override
    public Defaults defaults(String preset) {
        return switch (preset) {
            case "cbow" -> new Defaults(5, 0.05f, 0);
            case "course" -> new Defaults(300, 0.5f, 0);
            default -> new Defaults(5, 0.025f, 0);
        };
    }

    @Override public List<String> tourPresets() { return List.of("skipgram", "course"); }

    @Override public String headlineMetric() { return "loss"; }

    @Override public Set<String> settings() { return SETTINGS; }

    /** The corpus a data name or path stands for. */
    public static Corpus corpus(String data) throws IOException {
        if (data == null || data.equals(EMBEDDED)) return Corpus.resource(EMBEDDED, "/corpora/pride-and-prejudice.txt.gz");
        Path p = Path.of(data);
        if (!Files.exists(p)) {
            throw new IOException("--data '" + data + "' is neither the embedded corpus (" + EMBEDDED + ") nor an existing file or folder; word2vec reads "
                    + "a text file (plain or .gz) or a folder of them, one sentence per line");
        }
        return Corpus.of(p);
    }

    /** The settings of a run from the options (missing ones take the defaults). */
    public Word2VecConfig config(Options o) {
        String preset = preset(o.preset());
        Defaults d = defaults(preset);
        Word2VecConfig c = Word2VecConfig.defaults(o.seed()).withCbow(preset.equals("cbow"))
                .withEpochs(o.epochs() != null ? o.epochs() : d.epochs()).withAlpha(o.lr() != null ? o.lr() : d.lr());
        o.requireKnown(this);
        if (o.integer("dim") != null) c = c.withDim(o.integer("dim"));
        if (o.integer("window") != null) c = c.withWindow(o.integer("window"));
        if (o.integer("negative") != null) c = c.withNegative(o.integer("negative"));
        if (o.integer("min-count") != null) c = c.withMinCount(o.integer("min-count"));
        if (o.number("sample") != null) c = c.withSample(o.number("sample"));
        if (o.integer("threads") != null) c = c.withThreads(o.integer("threads"));
        if (o.batch() != null) throw new IllegalArgumentException("word2vec has no --batch: it updates after every (word, context) pair");
        return c;
    }

    private String preset(String p) {
        if (p == null) return presets().get(0);
        if (!presets().contains(p)) throw new IllegalArgumentException("unknown preset '" + p + "' for word2vec; presets: " + String.join(", ", presets()));
        return p;
    }

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        if ("course".equals(o.preset())) return trainCourse(o, events);
        Word2VecConfig cfg = config(o);
        Corpus corpus = corpus(o.data());
        Word2Vec.Result r = Word2Vec.train(corpus, cfg, events);
        Map<String, Object> m = runMetrics(cfg.cbow() ? "cbow" : "skipgram", corpus.name(), cfg.epochs());
        m.put("loss", r.loss());
        m.put("vocab", r.vocabulary().size());
        m.put("corpus_words", r.vocabulary().rawTokens());
        m.put("words_per_s", Math.round(r.wordsPerSecond()));
        m.put("wall_s", Math.round(r.seconds() * 1000) / 1000.0);
        m.put("threads", cfg.threads());
        Map<String, List<String>> near = new LinkedHashMap<>();
        for (String w : PROBES) {
            if (r.vectors().contains(w)) near.put(w, r.vectors().mostSimilar(w, 5).stream().map(KeyedVectors.Neighbour::word).toList());
        }
        if (!near.isEmpty()) m.put("neighbours", near);
        WordVectors model = new WordVectors(r.vectors(), r.outputVectors());
        if (o.save() != null) {
            Word2VecFormat.save(r.vectors(), o.save(), Word2VecFormat.kindOf(o.save()));
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(m, r.seconds()));
        return new Run(model, cfg.cbow() ? "cbow" : "skipgram", corpus.name(), m, r.seconds());
    }

    /**
     * The course's toy: the full-softmax model on the course's sentences, every (centre, context)
     * pair of window 1 in one batch, plain SGD, with the engine's autograd.
     */
    private Run trainCourse(Options o, EventListener events) throws IOException {
        if (o.data() != null && !o.data().equals("course")) {
            throw new IllegalArgumentException("word2vec preset 'course' trains on the course's example sentences only (no --data)");
        }
        if (!o.settings().isEmpty() || o.batch() != null) {
            throw new IllegalArgumentException("word2vec preset 'course' has fixed settings (window 1, 3 dimensions, full softmax); drop --"
                    + (o.batch() != null ? "batch" : o.settings().keySet().iterator().next()));
        }
        Defaults d = defaults("course");
        int epochs = o.epochs() != null ? o.epochs() : d.epochs();
        float lr = o.lr() != null ? o.lr() : d.lr();
        long t0 = System.nanoTime();
        CourseWord2Vec m = new CourseWord2Vec(new dev.glassbox.tensor.Generator(o.seed()));
        List<int[]> pairs = m.allPairs();
        int[] centres = pairs.stream().mapToInt(p -> p[0]).toArray(), contexts = pairs.stream().mapToInt(p -> p[1]).toArray();
        var opt = new dev.glassbox.optim.SGD(m.parameters(), lr);
        events.on(new TrainingEvent.Started(name(), "course", "course", epochs, 1));
        float loss = Float.NaN;
        for (int e = 1; e <= epochs; e++) {
            opt.zeroGrad();
            var l = dev.glassbox.nn.F.crossEntropy(m.scores(centres), contexts);
            l.backward();
            opt.step();
            loss = l.item();
            events.on(new TrainingEvent.Step(e, e, epochs, loss));
            events.on(new TrainingEvent.EpochEnd(e, epochs, loss, Map.of()));
        }
        // How often the most probable word is a true context of the centre (a centre has several).
        int[] best;
        try (var ignored = dev.glassbox.tensor.GradMode.noGrad()) {
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
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = runMetrics("course", "course", epochs);
        out.put("loss", loss);
        out.put("pairs", pairs.size());
        out.put("acc", (double) ok / pairs.size());
        out.put("vocab", m.vocabulary.size());
        if (o.save() != null) {
            Word2VecFormat.save(m.vectors(), o.save(), Word2VecFormat.kindOf(o.save()));
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(out, secs));
        return new Run(m, "course", "course", out, secs);
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
        throw new IllegalArgumentException("eval word2vec takes test files: glassbox eval word2vec FILE --wordsim F --analogies F");
    }

    /** The standard checks; either file may be null. Keys: wordsim_spearman, analogy_acc and their counts. */
    public static Map<String, Object> evaluate(KeyedVectors kv, Path wordsim, Path analogies, int restrict) throws IOException {
        if (wordsim == null && analogies == null) throw new IllegalArgumentException("eval word2vec: give --wordsim FILE, --analogies FILE or both");
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
    @Override
    public Explanation explain(Module model, List<String> input, String target, float lr, long seed) {
        if (model != null && !(model instanceof CourseWord2Vec)) {
            throw new IllegalArgumentException("explain word2vec walks through the course's small model; it does not take --load");
        }
        CourseWord2Vec m = model instanceof CourseWord2Vec c ? c : new CourseWord2Vec(new dev.glassbox.tensor.Generator(seed));
        List<String> words = input.stream().flatMap(w -> java.util.Arrays.stream(w.trim().split("\\s+"))).filter(w -> !w.isEmpty()).toList();
        if (target != null) throw new IllegalArgumentException("explain word2vec: give the pair as --input CENTRE CONTEXT (no --target)");
        String centre, context;
        if (words.isEmpty()) {
            String[] first = CourseWord2Vec.SENTENCES.getFirst().split(" ");
            centre = first[0];
            context = first[1];
        } else if (words.size() == 2) {
            centre = words.get(0);
            context = words.get(1);
        } else {
            throw new IllegalArgumentException("explain word2vec: --input takes two words, the centre and its context (e.g. --input 나는 오늘)");
        }
        return CourseExplainer.explain(m, centre, context, lr, seed);
    }
}
