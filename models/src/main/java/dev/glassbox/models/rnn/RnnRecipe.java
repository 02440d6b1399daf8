package dev.glassbox.models.rnn;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The course's RNN: next-word prediction on its example sentences, Adam, all sentences in one batch. */
public final class RnnRecipe implements Recipe {
    @Override public String name() { return "rnn"; }

    @Override public String title() { return "RNN: the course's next-word model, S(t) = tanh(X(t)·W_ih + S(t-1)·W_hh), BPTT"; }

    @Override public List<String> presets() { return List.of("course"); }

    @Override public List<String> dataNames() { return List.of("course"); }

    @Override public String dataHelp() { return "only the course's sentences"; }

    @Override public Defaults defaults(String preset) { return new Defaults(200, 0.05f, CourseRnn.SENTENCES.size()); }

    @Override public String headlineMetric() { return "acc"; }

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        o.requireKnown(this);
        if (o.preset() != null && !o.preset().equals("course")) {
            throw new IllegalArgumentException("unknown preset '" + o.preset() + "' for rnn; presets: course");
        }
        if (o.data() != null && !o.data().equals("course")) throw new IllegalArgumentException("rnn trains on the course's sentences only (no --data)");
        if (o.batch() != null) throw new IllegalArgumentException("rnn trains on all of its sentences at once (no --batch)");
        Defaults d = defaults("course");
        int epochs = o.epochs() != null ? o.epochs() : d.epochs();
        float lr = o.lr() != null ? o.lr() : d.lr();
        long t0 = System.nanoTime();
        CourseRnn m = new CourseRnn(new Generator(o.seed()));
        int[][] seqs = sequences(m);
        var opt = new Adam(m.parameters(), lr);
        events.on(new TrainingEvent.Started(name(), "course", "course", epochs, 1));
        float loss = Float.NaN;
        for (int e = 1; e <= epochs; e++) {
            m.train();
            opt.zeroGrad();
            Tensor l = loss(m, seqs);
            l.backward();
            opt.step();
            loss = l.item();
            events.on(new TrainingEvent.Step(e, e, epochs, loss));
            events.on(new TrainingEvent.EpochEnd(e, epochs, loss, Map.of()));
        }
        Map<String, Object> out = runMetrics("course", "course", epochs);
        out.put("loss", loss);
        out.putAll(evaluate(m, null, o.seed()));
        double secs = (System.nanoTime() - t0) / 1e9;
        if (o.save() != null) {
            SafeTensors.save(m.stateDict(), Map.of("glassbox.model", name(), "glassbox.preset", "course"), o.save());
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(out, secs));
        return new Run(m, "course", "course", out, secs);
    }

    /** Inputs are each sentence's words but the last; targets the words after them. */
    static int[][] sequences(CourseRnn m) {
        return CourseRnn.SENTENCES.stream().map(m::ids).toArray(int[][]::new);
    }

    /** Per sentence, the sum of its steps' cross-entropies; then the mean over the sentences. */
    static Tensor loss(CourseRnn m, int[][] seqs) {
        int n = seqs.length, t = seqs[0].length - 1;
        int[][] in = new int[n][], tg = new int[n][];
        int[] flatTargets = new int[t * n];
        for (int b = 0; b < n; b++) {
            in[b] = java.util.Arrays.copyOf(seqs[b], t);
            tg[b] = java.util.Arrays.copyOfRange(seqs[b], 1, t + 1);
            for (int s = 0; s < t; s++) flatTargets[s * n + b] = tg[b][s];
        }
        Tensor scores = m.forward(m.oneHot(in)).reshape(t * n, m.vocabSize());
        return F.crossEntropy(scores, flatTargets, Reduction.SUM).div(n);
    }

    @Override
    public Module load(Path file) throws IOException {
        var c = SafeTensors.load(file);
        if (!"rnn".equals(c.metadata().get("glassbox.model"))) {
            throw new IOException(file + " holds a '" + c.metadata().getOrDefault("glassbox.model", "non-Glassbox") + "' model, not 'rnn'");
        }
        CourseRnn m = new CourseRnn(new Generator(0));
        return dev.glassbox.models.Checkpoints.restore(m, c.tensors(), file);
    }

    private static CourseRnn cast(Module m) {
        if (!(m instanceof CourseRnn r)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not an 'rnn' model");
        return r;
    }

    /** Next-word accuracy over every step of every sentence, and the loss. */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) {
        if (data != null && !data.equals("course")) throw new IllegalArgumentException("rnn is evaluated on the course's sentences only");
        CourseRnn m = cast(model);
        int[][] seqs = sequences(m);
        int ok = 0, total = 0;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        out.put("data", "course");
        m.eval();
        try (var ignored = GradMode.noGrad()) {
            for (int[] s : seqs) {
                int t = s.length - 1;
                int[] pred = m.forward(m.oneHot(new int[][] {java.util.Arrays.copyOf(s, t)})).reshape(t, m.vocabSize()).argmax(1);
                for (int i = 0; i < t; i++, total++) if (pred[i] == s[i + 1]) ok++;
            }
            out.put("test_loss", loss(m, seqs).item());
        }
        out.put("acc", (double) ok / total);
        out.put("steps", total);
        return out;
    }

    /** The next word after the given words, with its probability. */
    @Override
    public String predict(Module model, List<String> input) {
        CourseRnn m = cast(model);
        int[] ids = m.ids(String.join(" ", input));
        try (var ignored = GradMode.noGrad()) {
            float[] p = m.forward(m.oneHot(new int[][] {ids})).select(0, ids.length - 1).reshape(-1).softmax(-1).toArray();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return String.format(Locale.ROOT, "%s -> %s (p = %.3f)", String.join(" ", input), m.vocabulary.get(best), p[best]);
        }
    }

    /** One SGD step on a sentence (default the course's '나는 오늘 집에 간다'), unrolled. */
    @Override
    public Explanation explain(Module model, List<String> input, String target, float lr, long seed) {
        if (target != null) throw new IllegalArgumentException("explain rnn: each word's target is the next word (no --target)");
        CourseRnn m = model == null ? new CourseRnn(new Generator(seed)) : cast(model);
        String sentence = input.isEmpty() ? CourseRnn.SENTENCES.getFirst() : String.join(" ", input);
        return RnnExplainer.explain(m, sentence, lr);
    }
}
