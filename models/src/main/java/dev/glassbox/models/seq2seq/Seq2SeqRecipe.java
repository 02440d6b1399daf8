package dev.glassbox.models.seq2seq;

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
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
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
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * seq2seq on the date task: an epoch is 500 batches of freshly generated dates; the score is
 * the exact match of greedy decoding on 2,000 held-out dates (a fixed seed of their own).
 */
public final class Seq2SeqRecipe implements Recipe<Seq2SeqRecipe.Settings>, DataParallel {
    public static final int HELD_OUT = 2000, STEPS_PER_EPOCH = 500;
    /** The seed of the 2,000 held-out dates every dates model is measured on. */
    public static final long HELD_OUT_SEED = 20_260_307L;

    @Override public String name() { return "seq2seq"; }

    @Override public String title() { return "seq2seq: LSTM encoder-decoder with attention, normalising written dates to ISO"; }

    @Override public List<String> presets() { return List.of("dates"); }

    @Override public List<String> dataNames() { return List.of("dates"); }

    @Override public String dataHelp() { return "only its generated dates"; }

    /** seq2seq's settings: the common ones and the decoder's attention. */
    public record Settings(TrainSettings train, Seq2Seq.Attention attention) implements RecipeSettings<Settings> {
        public Settings {
            check(train != null, "train", "settings are missing");
            check(attention != null, "attention", "must be none, bahdanau or luong");
        }

        @Override public Settings withTrain(TrainSettings t) { return new Settings(t, attention); }

        public Settings withAttention(Seq2Seq.Attention a) { return new Settings(train, a); }
    }

    @Override
    public Settings settings(String preset) {
        if (preset != null && !preset.equals("dates")) throw new IllegalArgumentException("unknown preset '" + preset + "' for seq2seq; presets: dates");
        return new Settings(new TrainSettings("dates", "dates", 4, 0, 3e-3f, 64, 42), Seq2Seq.Attention.LUONG);
    }

    @Override public Class<Settings> settingsType() { return Settings.class; }

    @Override public String headlineMetric() { return "exact_match"; }

    /** The tour trains 200 steps (about 10 s). */
    @Override
    public Settings tourSettings(String preset) {
        Settings s = settings(preset);
        return s.withTrain(s.train().withSteps(200));
    }

    /** An attention by name: none, bahdanau or luong. */
    public static Seq2Seq.Attention attention(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "luong" -> Seq2Seq.Attention.LUONG;
            case "bahdanau" -> Seq2Seq.Attention.BAHDANAU;
            case "none" -> Seq2Seq.Attention.NONE;
            default -> throw new IllegalArgumentException("unknown attention '" + value + "': none, bahdanau or luong");
        };
    }

    static Seq2Seq build(Seq2Seq.Attention a, long seed) { return new Seq2Seq(a, 32, 128, new Generator(seed)); }

    /** Teacher forcing on batches of freshly generated dates, Adam, gradient norm clipped at 5; held-out scores at each epoch's end. */
    @Override
    public Run train(Settings s, RunOptions run, EventListener events) throws IOException {
        TrainSettings t = s.train();
        settings(t.preset());
        t.requireData(List.of("dates"), "seq2seq trains on its generated dates only");
        Seq2Seq m = build(s.attention(), t.seed());
        Adam opt = new Adam(m.parameters(), t.lr());
        int batch = t.batch();
        Generator g = new Generator(t.seed() + 1);
        IntFunction<Map<String, Object>> evaluate = epoch -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("val_loss", heldOutLoss(m));
            e.putAll(scores(m));
            return e;
        };
        String att = s.attention().name().toLowerCase(Locale.ROOT);
        GradientService workers = null;
        Map<String, Object> workerFigures = Map.of();
        Trainer.Result r;
        try {
            TrainingTask<?> task;
            if (run.cluster() != null) {   // the dates drawn here as one process draws them, each worker sent its rows of the batch
                workers = ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), m, events);
                int[] places = new int[batch];
                for (int i = 0; i < batch; i++) places[i] = i;
                task = new ClusterTask(m, opt, new RoundBatches(new SampledBatches<>(STEPS_PER_EPOCH, g, gen -> places.clone()),
                        run.cluster().syncEvery()), workers, evaluate).drawing(n -> DateRows.encode(draw(g, n)));
            } else {
                task = new SimpleTask<>(m, opt, new SampledBatches<>(STEPS_PER_EPOCH, g, gen -> draw(gen, batch)), b -> loss(m, b)).evaluateWith(evaluate);
            }
            r = fit(task, t, s, att, run, events);
            if (workers != null) workerFigures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        out.put("preset", "dates");
        out.put("data", "dates");
        out.put("attention", att);
        out.put("steps", r.steps());
        out.put("loss", r.loss());
        Map<String, Object> scores = r.evaluation().containsKey("exact_match") ? new LinkedHashMap<>(r.evaluation()) : scores(m);
        scores.remove("val_loss");
        out.putAll(scores);
        out.putAll(workerFigures);
        events.on(new TrainingEvent.Finished(out, r.seconds()));
        return new Run(m, "dates", "dates", out, r.seconds());
    }

    /** The mean cross-entropy of the decoder's characters, teacher-forced. */
    private <B> Trainer.Result fit(TrainingTask<B> task, TrainSettings t, Settings s, String att, RunOptions run, EventListener events)
            throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).clipGradNorm(5f).describe(name(), "dates", "dates")
                .keep(run, identity(s, Map.of("seq2seq.attention", att))).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** {@code n} new dates from {@code g}, as a training step draws them. */
    private static List<Dates.Example> draw(Generator g, int n) {
        List<Dates.Example> b = new ArrayList<>(n);
        for (int i = 0; i < n; i++) b.add(Dates.random(g));
        return b;
    }

    /** A worker's copy of a run: the batch's places (the dates come with each step), fresh models, the loss of its rows. */
    @Override
    public Replica<int[]> replica(String settings) throws IOException {
        Settings s = SettingsJson.read(settings, Settings.class, "the run's settings");
        return new Replica<>(DataParallel.places(s.train().batch()), () -> build(s.attention(), s.train().seed()), (model, places, rows) -> {
            DateRows.Decoded d = DateRows.decode(rows);
            return Step.of(loss((Seq2Seq) model, d.examples(), d.padTo()));
        }, (model, lr) -> new Adam(model.parameters(), lr));
    }

    static Tensor loss(Seq2Seq m, List<Dates.Example> batch) { return loss(m, batch, 1); }

    /** The batch's mean cross-entropy per output character, its inputs padded to at least {@code padTo}. */
    static Tensor loss(Seq2Seq m, List<Dates.Example> batch, int padTo) {
        List<String> in = batch.stream().map(Dates.Example::input).toList(), outs = batch.stream().map(Dates.Example::output).toList();
        Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(in, padTo));
        Seq2Seq.Decoded dec = m.decode(enc, Seq2Seq.shiftedTargets(outs), batch.size(), Dates.OUTPUT_LENGTH, enc.h(), enc.c());
        return F.crossEntropy(dec.logits().reshape(batch.size() * Dates.OUTPUT_LENGTH, Dates.OUTPUT_CHARS.length()), Seq2Seq.targets(outs));
    }

    /** The teacher-forced cross-entropy per output character on the held-out dates. */
    static double heldOutLoss(Seq2Seq m) {
        List<Dates.Example> held = Dates.sample(HELD_OUT, HELD_OUT_SEED);
        double sum = 0;
        for (int s = 0; s < held.size(); s += 500) {
            List<Dates.Example> part = held.subList(s, Math.min(held.size(), s + 500));
            sum += (double) loss(m, part).item() * part.size();
        }
        return sum / held.size();
    }

    /** Exact match and per-character accuracy of greedy decoding on the held-out dates. */
    static Map<String, Object> scores(Seq2Seq m) { return Dates.scoreHeldOut(in -> greedy(m, in).outputs()); }

    /** Greedy decoding: the outputs, and for each output step the attention weights over the input ([N, To, Ti], or null). */
    public record Decoding(List<String> outputs, float[] weights, int inputLength) {}

    public static Decoding greedy(Seq2Seq m, List<String> inputs) {
        m.eval();
        int n = inputs.size(), to = Dates.OUTPUT_LENGTH;
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Batch src = Seq2Seq.encodeInputs(inputs);
            Seq2Seq.Encoded enc = m.encode(src);
            Tensor h = enc.h(), c = enc.c();
            int[] prev = new int[n];
            Arrays.fill(prev, Seq2Seq.BOS);
            StringBuilder[] outs = new StringBuilder[n];
            for (int b = 0; b < n; b++) outs[b] = new StringBuilder();
            float[] weights = m.attention == Seq2Seq.Attention.NONE ? null : new float[n * to * src.t()];
            for (int t = 0; t < to; t++) {
                Seq2Seq.Decoded d = m.decode(enc, prev, n, 1, h, c);
                int[] next = d.logits().reshape(n, Dates.OUTPUT_CHARS.length()).argmax(1);
                if (weights != null) {
                    float[] w = d.weights().data();
                    for (int b = 0; b < n; b++) System.arraycopy(w, b * src.t(), weights, (b * to + t) * src.t(), src.t());
                }
                for (int b = 0; b < n; b++) outs[b].append(Dates.OUTPUT_CHARS.charAt(next[b]));
                prev = next;
                h = d.h();
                c = d.c();
            }
            List<String> res = new ArrayList<>();
            for (StringBuilder sb : outs) res.add(sb.toString());
            return new Decoding(res, weights, src.t());
        }
    }

    @Override
    public Module load(Path file) throws IOException {
        var c = SafeTensors.load(file);
        if (!name().equals(c.metadata().get("glassbox.model"))) {
            throw new IOException(file + " holds a '" + c.metadata().getOrDefault("glassbox.model", "non-Glassbox") + "' model, not 'seq2seq'");
        }
        Seq2Seq.Attention att;
        try {
            String saved = c.metadata().get("seq2seq.attention");
            att = saved == null ? Seq2Seq.Attention.LUONG : attention(saved);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        return Checkpoints.restore(build(att, 0), c.tensors(), file);
    }

    private static Seq2Seq cast(Module m) {
        if (!(m instanceof Seq2Seq s)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a seq2seq model");
        return s;
    }

    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) {
        if (data != null && !data.equals("dates")) throw new IllegalArgumentException("seq2seq is evaluated on its held-out dates only");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        out.put("data", "dates");
        out.put("attention", cast(model).attention.name().toLowerCase(Locale.ROOT));
        out.putAll(scores(cast(model)));
        return out;
    }

    /** The ISO form of a written date, by greedy decoding. */
    @Override
    public String predict(Module model, List<String> input) {
        String text = String.join(" ", input).toLowerCase(Locale.ROOT);
        return text + " -> " + greedy(cast(model), List.of(text)).outputs().getFirst();
    }

    /** The model explain trains when none is given: 300 steps from {@code seed}. */
    private Settings explainSettings(long seed) {
        Settings s = settings("dates");
        return s.withTrain(s.train().withSteps(300).withSeed(seed));
    }

    @Override
    public String explainPreparation() { return "training a seq2seq model for 300 steps first (about 15 s)"; }

    /** A candidate of the beam: its output ids so far, log-probability and decoder state. */
    private record Hyp(int[] ids, double logp, Tensor h, Tensor c) {}

    /**
     * Beam search for one input: keeps the {@code width} most probable partial outputs, extends
     * each by every character, and keeps the best {@code width} again, for the ten characters of
     * an ISO date; the candidates best first.
     */
    public static List<Demo.Candidate> beam(Seq2Seq m, String input, int width) {
        if (width < 1) throw new IllegalArgumentException("beam width must be at least 1, got " + width);
        m.eval();
        int v = Dates.OUTPUT_CHARS.length();
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(List.of(input)));
            List<Hyp> beam = List.of(new Hyp(new int[0], 0, enc.h(), enc.c()));
            for (int t = 0; t < Dates.OUTPUT_LENGTH; t++) {
                List<Hyp> next = new ArrayList<>();
                for (Hyp hyp : beam) {
                    int prev = hyp.ids().length == 0 ? Seq2Seq.BOS : hyp.ids()[hyp.ids().length - 1];
                    Seq2Seq.Decoded d = m.decode(enc, new int[] {prev}, 1, 1, hyp.h(), hyp.c());
                    float[] lp = d.logits().reshape(v).logSoftmax(0).toArray();
                    for (int k = 0; k < v; k++) {
                        int[] ids = Arrays.copyOf(hyp.ids(), hyp.ids().length + 1);
                        ids[ids.length - 1] = k;
                        next.add(new Hyp(ids, hyp.logp() + lp[k], d.h(), d.c()));
                    }
                }
                next.sort((a, b) -> Double.compare(b.logp(), a.logp()));
                beam = next.subList(0, Math.min(width, next.size()));
            }
            List<Demo.Candidate> out = new ArrayList<>();
            for (Hyp hyp : beam) {
                StringBuilder sb = new StringBuilder();
                for (int id : hyp.ids()) sb.append(Dates.OUTPUT_CHARS.charAt(id));
                out.add(new Demo.Candidate(sb.toString(), (float) hyp.logp()));
            }
            return out;
        }
    }

    /**
     * A written date (default 'saturday, march 7 1998') told twice, by a saved model or by a
     * fresh one trained briefly from the seed: first decoded by the model as it stands (the
     * encoder's states, each output step's attention over the input and the decoded character,
     * a beam search of width 3), then one real training step towards its ISO form (or the
     * target given), character by character: each output step's loss, their mean, the
     * gradients and Adam's update after clipping, as the recipe trains.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) throws IOException {
        request.requireNoStage(name());
        String text = request.input().isEmpty() ? "saturday, march 7 1998" : String.join(" ", request.input()).trim().toLowerCase(Locale.ROOT);
        Seq2Seq.encodeInputs(List.of(text));                                   // every character one the task uses, or the error names it
        String target = request.target();
        if (target == null) {
            java.time.LocalDate date = Dates.read(text);
            check(date != null, "target", "is needed: '" + text + "' is not written in one of the task's formats, so its ISO form is not known; "
                    + "give the date it means, for example 1998-03-07");
            target = date.toString();
        }
        check(target.length() == Dates.OUTPUT_LENGTH && target.chars().allMatch(c -> Dates.OUTPUT_CHARS.indexOf(c) >= 0), "target",
                "must be an ISO date of " + Dates.OUTPUT_LENGTH + " characters such as 1998-03-07, got '" + target + "'");
        Seq2Seq m = model == null ? (Seq2Seq) train(explainSettings(request.seed()), RunOptions.NONE, EventListener.NONE).model() : cast(model);
        return Seq2SeqExplainer.explain(m, text, target, request.lr(), decoding(m, text));
    }

    /** The model decoding {@code text} as it stands: encoder states, attention and greedy characters, and a beam search of width 3. */
    static Demo.Decoding decoding(Seq2Seq m, String text) {
        m.eval();
        float[][] states;
        List<String> chars = new ArrayList<>();
        for (char ch : text.toCharArray()) chars.add(String.valueOf(ch));
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(List.of(text)));
            float[] e = enc.states().data();
            states = new float[text.length()][];
            for (int s = 0; s < text.length(); s++) states[s] = Arrays.copyOfRange(e, s * m.hidden, (s + 1) * m.hidden);
        }
        Decoding d = greedy(m, List.of(text));
        List<Demo.OutputStep> steps = new ArrayList<>();
        String out = d.outputs().getFirst();
        // the decoded characters' probabilities, from a teacher-forced pass over the greedy output
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(List.of(text)));
            Seq2Seq.Decoded dec = m.decode(enc, Seq2Seq.shiftedTargets(List.of(out)), 1, Dates.OUTPUT_LENGTH, enc.h(), enc.c());
            probs = dec.logits().reshape(Dates.OUTPUT_LENGTH, Dates.OUTPUT_CHARS.length()).softmax(-1).toArray();
        }
        for (int t = 0; t < Dates.OUTPUT_LENGTH; t++) {
            float[] w = d.weights() == null ? new float[0] : Arrays.copyOfRange(d.weights(), t * d.inputLength(), (t + 1) * d.inputLength());
            int id = Dates.OUTPUT_CHARS.indexOf(out.charAt(t));
            steps.add(new Demo.OutputStep(t + 1, w, String.valueOf(out.charAt(t)), probs[t * Dates.OUTPUT_CHARS.length() + id]));
        }
        return new Demo.Decoding(chars, states, Seq2SeqExplainer.attentionName(m.attention), steps, out, 3, beam(m, text, 3));
    }
}
