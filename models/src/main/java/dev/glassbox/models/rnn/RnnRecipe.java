package dev.glassbox.models.rnn;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.FixedBatches;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The course's RNN: next-word prediction on its example sentences, Adam, all sentences in one batch. */
public final class RnnRecipe implements Recipe<TrainSettings>, DataParallel {
    @Override public String name() { return "rnn"; }

    @Override public String title() { return "RNN: the course's next-word model, S(t) = tanh(X(t)·W_ih + S(t-1)·W_hh), BPTT"; }

    @Override public List<String> presets() { return List.of("course"); }

    @Override public List<String> dataNames() { return List.of("course"); }

    @Override public String dataHelp() { return "only the course's sentences"; }

    @Override
    public TrainSettings settings(String preset) {
        if (preset != null && !preset.equals("course")) throw new IllegalArgumentException("unknown preset '" + preset + "' for rnn; presets: course");
        return new TrainSettings("course", "course", 200, 0, 0.05f, CourseRnn.SENTENCES.size(), 42);
    }

    @Override public Class<TrainSettings> settingsType() { return TrainSettings.class; }

    @Override public String headlineMetric() { return "acc"; }

    /** Adam on all of the course's sentences at once, one step an epoch; next-word accuracy at each epoch's end. */
    @Override
    public Run train(TrainSettings s, RunOptions run, EventListener events) throws IOException {
        settings(s.preset());
        s.requireData(List.of("course"), "rnn trains on the course's sentences only");
        s.requireBatch(CourseRnn.SENTENCES.size(), "rnn trains on all " + CourseRnn.SENTENCES.size() + " of its sentences at once");
        CourseRnn m = new CourseRnn(new Generator(s.seed()));
        int[][] seqs = sequences(m);
        Adam opt = new Adam(m.parameters(), s.lr());
        GradientService workers = run.cluster() == null ? null : ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), m, events);
        try {
            TrainingTask<?> task = workers != null   // the sentences spread over the workers, every step all of them
                    ? new ClusterTask(m, opt, new RoundBatches(FixedBatches.everyExample(seqs.length), run.cluster().syncEvery()), workers,
                            epoch -> scores(m, seqs))
                    : new SimpleTask<>(m, opt, FixedBatches.of(seqs), b -> loss(m, b)).evaluateWith(epoch -> scores(m, seqs));
            Trainer.Result r = fit(task, s, run, events);
            Map<String, Object> out = runMetrics(s, r);
            out.put("loss", r.loss());
            out.putAll(evaluate(m, null, s.seed()));
            if (workers != null) out.putAll(workers.figures());
            events.on(new TrainingEvent.Finished(out, r.seconds()));
            return new Run(m, "course", "course", out, r.seconds());
        } finally {
            if (workers != null) workers.close();
        }
    }

    private <B> Trainer.Result fit(TrainingTask<B> task, TrainSettings s, RunOptions run, EventListener events) throws IOException {
        return new Trainer<>(task).epochs(s.epochs()).maxSteps(s.steps()).describe(name(), "course", "course")
                .keep(run, identity(s, Map.of())).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** A worker's copy of a run: the course's sentences as ids, fresh models, the mean loss of its sentences. */
    @Override
    public Replica<List<int[]>> replica(String settings) throws IOException {
        TrainSettings s = SettingsJson.read(settings, TrainSettings.class, "the run's settings");
        return new Replica<>(DataParallel.items(List.of(sequences(new CourseRnn(new Generator(s.seed()))))), () -> new CourseRnn(new Generator(s.seed())),
                (model, b, noise) -> DataParallel.Step.of(loss((CourseRnn) model, b.toArray(int[][]::new))),
                (model, lr) -> new Adam(model.parameters(), lr));
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
            in[b] = Arrays.copyOf(seqs[b], t);
            tg[b] = Arrays.copyOfRange(seqs[b], 1, t + 1);
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
        return Checkpoints.restore(m, c.tensors(), file);
    }

    private static CourseRnn cast(Module m) {
        if (!(m instanceof CourseRnn r)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not an 'rnn' model");
        return r;
    }

    /** Next-word accuracy over every step of every sentence, and the loss. */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) {
        if (data != null && !data.equals("course")) throw new IllegalArgumentException("rnn is evaluated on the course's sentences only");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        out.put("data", "course");
        CourseRnn m = cast(model);
        m.eval();
        try (var ignored = GradMode.noGrad()) {
            Map<String, Object> sc = scores(m, sequences(m));
            out.put("test_loss", sc.get("val_loss"));
            out.put("acc", sc.get("acc"));
            out.put("steps", sc.get("steps"));
        }
        return out;
    }

    /** The loss ({@code val_loss}, on the training sentences: there are no others) and next-word accuracy over every step. */
    static Map<String, Object> scores(CourseRnn m, int[][] seqs) {
        int ok = 0, total = 0;
        for (int[] s : seqs) {
            int t = s.length - 1;
            int[] pred = m.forward(m.oneHot(new int[][] {Arrays.copyOf(s, t)})).reshape(t, m.vocabSize()).argmax(1);
            for (int i = 0; i < t; i++, total++) if (pred[i] == s[i + 1]) ok++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("val_loss", loss(m, seqs).item());
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

    /**
     * One real training step (Adam, as the recipe trains) on a sentence — default the course's
     * '나는 오늘 집에 간다' — unrolled in time, with each step's share of the shared weights' gradients.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) {
        request.requireNoStage(name());
        InvalidSettingException.check(request.target() == null, "target", "does not apply to explain rnn: each word's target is the next word");
        CourseRnn m = model == null ? new CourseRnn(new Generator(request.seed())) : cast(model);
        String sentence = request.input().isEmpty() ? CourseRnn.SENTENCES.getFirst() : String.join(" ", request.input());
        return RecurrentExplainer.explain(m, name(), sentence, request.lr(), List.of());
    }
}
