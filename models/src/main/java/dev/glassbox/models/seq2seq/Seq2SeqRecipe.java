package dev.glassbox.models.seq2seq;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Checkpoints;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.ClipGrad;
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
import java.util.Set;

/**
 * seq2seq on the date task: an epoch is 500 batches of freshly generated dates; the score is
 * the exact match of greedy decoding on 2,000 held-out dates (a fixed seed of their own).
 */
public final class Seq2SeqRecipe implements Recipe {
    public static final int HELD_OUT = 2000, STEPS_PER_EPOCH = 500;
    private static final long HELD_OUT_SEED = 20_260_307L;

    @Override public String name() { return "seq2seq"; }

    @Override public String title() { return "seq2seq: LSTM encoder-decoder with attention, normalising written dates to ISO"; }

    @Override public List<String> presets() { return List.of("dates"); }

    @Override public List<String> dataNames() { return List.of("dates"); }

    @Override public String dataHelp() { return "only its generated dates"; }

    @Override public Defaults defaults(String preset) { return new Defaults(4, 3e-3f, 64); }

    @Override public String headlineMetric() { return "exact_match"; }

    @Override public Set<String> settings() { return Set.of("attention", "steps"); }

    /** The tour trains 200 steps (about 10 s). */
    @Override public Map<String, Object> tourSettings(String preset) { return Map.of("steps", 200); }

    static Seq2Seq.Attention attention(Object value) {
        String v = value == null ? "luong" : value.toString().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "luong" -> Seq2Seq.Attention.LUONG;
            case "bahdanau" -> Seq2Seq.Attention.BAHDANAU;
            case "none" -> Seq2Seq.Attention.NONE;
            default -> throw new IllegalArgumentException("--attention must be none, bahdanau or luong, got '" + value + "'");
        };
    }

    static Seq2Seq build(Seq2Seq.Attention a, long seed) { return new Seq2Seq(a, 32, 128, new Generator(seed)); }

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        if (o.preset() != null && !o.preset().equals("dates")) throw new IllegalArgumentException("unknown preset '" + o.preset() + "' for seq2seq; presets: dates");
        if (o.data() != null && !o.data().equals("dates")) throw new IllegalArgumentException("seq2seq trains on its generated dates only (no --data)");
        o.requireKnown(this);
        Seq2Seq.Attention att = attention(o.settings().get("attention"));
        Defaults d = defaults("dates");
        int epochs = o.epochs() != null ? o.epochs() : d.epochs(), batch = o.batch() != null ? o.batch() : d.batch();
        float lr = o.lr() != null ? o.lr() : d.lr();
        int total = epochs * STEPS_PER_EPOCH;
        if (o.integer("steps") != null) {
            int s = o.integer("steps");
            if (s <= 0) throw new IllegalArgumentException("--steps must be positive, got " + s);
            total = Math.min(total, s);
        }
        long t0 = System.nanoTime();
        Seq2Seq m = build(att, o.seed());
        Adam opt = new Adam(m.parameters(), lr);
        Generator g = new Generator(o.seed() + 1);
        events.on(new TrainingEvent.Started(name(), "dates", "dates", (total + STEPS_PER_EPOCH - 1) / STEPS_PER_EPOCH, Math.min(total, STEPS_PER_EPOCH)));
        double sum = 0;
        int inEpoch = 0;
        float last = Float.NaN;
        for (int step = 1; step <= total; step++) {
            List<String> in = new ArrayList<>(batch), outs = new ArrayList<>(batch);
            for (int b = 0; b < batch; b++) {
                Dates.Example ex = Dates.random(g);
                in.add(ex.input());
                outs.add(ex.output());
            }
            m.train();
            opt.zeroGrad();
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(in));
            Seq2Seq.Decoded dec = m.decode(enc, Seq2Seq.shiftedTargets(outs), batch, Dates.OUTPUT_LENGTH, enc.h(), enc.c());
            Tensor loss = F.crossEntropy(dec.logits().reshape(batch * Dates.OUTPUT_LENGTH, Dates.OUTPUT_CHARS.length()), Seq2Seq.targets(outs));
            loss.backward();
            ClipGrad.clipGradNorm(m.parameters(), 5f);
            opt.step();
            last = loss.item();
            sum += last;
            inEpoch++;
            int epoch = (step - 1) / STEPS_PER_EPOCH + 1;
            events.on(new TrainingEvent.Step(epoch, step, total, last));
            if (step % STEPS_PER_EPOCH == 0 || step == total) {
                events.on(new TrainingEvent.EpochEnd(epoch, (total + STEPS_PER_EPOCH - 1) / STEPS_PER_EPOCH, (float) (sum / inEpoch), Map.of()));
                sum = 0;
                inEpoch = 0;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name());
        out.put("preset", "dates");
        out.put("data", "dates");
        out.put("attention", att.name().toLowerCase(Locale.ROOT));
        out.put("steps", total);
        out.put("loss", last);
        out.putAll(scores(m));
        double secs = (System.nanoTime() - t0) / 1e9;
        if (o.save() != null) {
            SafeTensors.save(m.stateDict(), Map.of("glassbox.model", name(), "glassbox.preset", "dates", "seq2seq.attention",
                    att.name().toLowerCase(Locale.ROOT)), o.save());
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(out, secs));
        return new Run(m, "dates", "dates", out, secs);
    }

    /** Exact match and per-character accuracy of greedy decoding on the held-out dates. */
    static Map<String, Object> scores(Seq2Seq m) {
        List<Dates.Example> held = Dates.sample(HELD_OUT, HELD_OUT_SEED);
        List<String> inputs = held.stream().map(Dates.Example::input).toList();
        List<String> got = new ArrayList<>();
        for (int s = 0; s < inputs.size(); s += 500) got.addAll(greedy(m, inputs.subList(s, Math.min(inputs.size(), s + 500))).outputs());
        int exact = 0, chars = 0;
        for (int i = 0; i < held.size(); i++) {
            String want = held.get(i).output(), have = got.get(i);
            if (want.equals(have)) exact++;
            for (int k = 0; k < Dates.OUTPUT_LENGTH; k++) if (want.charAt(k) == have.charAt(k)) chars++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exact_match", (double) exact / held.size());
        out.put("char_acc", (double) chars / (held.size() * Dates.OUTPUT_LENGTH));
        out.put("held_out", held.size());
        return out;
    }

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
            java.util.Arrays.fill(prev, Seq2Seq.BOS);
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
            att = attention(c.metadata().get("seq2seq.attention"));
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

    @Override
    public String explainPreparation() { return "training a seq2seq model for 300 steps first (about 15 s); --load FILE explains a saved one"; }

    /** A candidate of the beam: its output ids so far, log-probability and decoder state. */
    private record Hyp(int[] ids, double logp, Tensor h, Tensor c) {}

    /**
     * Beam search for one input: keeps the {@code width} most probable partial outputs, extends
     * each by every character, and keeps the best {@code width} again, for the ten characters of
     * an ISO date; the candidates best first.
     */
    public static List<dev.glassbox.models.explain.Seq2SeqTrace.Candidate> beam(Seq2Seq m, String input, int width) {
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
                        int[] ids = java.util.Arrays.copyOf(hyp.ids(), hyp.ids().length + 1);
                        ids[ids.length - 1] = k;
                        next.add(new Hyp(ids, hyp.logp() + lp[k], d.h(), d.c()));
                    }
                }
                next.sort((a, b) -> Double.compare(b.logp(), a.logp()));
                beam = next.subList(0, Math.min(width, next.size()));
            }
            List<dev.glassbox.models.explain.Seq2SeqTrace.Candidate> out = new ArrayList<>();
            for (Hyp hyp : beam) {
                StringBuilder sb = new StringBuilder();
                for (int id : hyp.ids()) sb.append(Dates.OUTPUT_CHARS.charAt(id));
                out.add(new dev.glassbox.models.explain.Seq2SeqTrace.Candidate(sb.toString(), (float) hyp.logp()));
            }
            return out;
        }
    }

    /**
     * One decoding of a written date (default 'saturday, march 7 1998') by a saved model, or by
     * a fresh one trained briefly from {@code seed}: the encoder's states, each output step's
     * attention over the input and the decoded character, then a beam search of width 3.
     */
    @Override
    public Explanation explain(Module model, List<String> input, String target, float lr, long seed) throws IOException {
        if (target != null) throw new IllegalArgumentException("explain seq2seq: the target is the date's ISO form (no --target)");
        Seq2Seq m = model == null ? (Seq2Seq) train(new Options(null, null, null, null, null, seed, null, Map.of("steps", 300)), EventListener.NONE).model()
                : cast(model);
        String text = input.isEmpty() ? "saturday, march 7 1998" : String.join(" ", input).toLowerCase(Locale.ROOT);
        m.eval();
        float[][] states;
        List<String> chars = new ArrayList<>();
        for (char ch : text.toCharArray()) chars.add(String.valueOf(ch));
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(List.of(text)));
            float[] e = enc.states().data();
            states = new float[text.length()][];
            for (int s = 0; s < text.length(); s++) states[s] = java.util.Arrays.copyOfRange(e, s * m.hidden, (s + 1) * m.hidden);
        }
        Decoding d = greedy(m, List.of(text));
        List<dev.glassbox.models.explain.Seq2SeqTrace.OutputStep> steps = new ArrayList<>();
        String out = d.outputs().getFirst();
        // the decoded characters' probabilities, from a teacher-forced pass over the greedy output
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            Seq2Seq.Encoded enc = m.encode(Seq2Seq.encodeInputs(List.of(text)));
            Seq2Seq.Decoded dec = m.decode(enc, Seq2Seq.shiftedTargets(List.of(out)), 1, Dates.OUTPUT_LENGTH, enc.h(), enc.c());
            probs = dec.logits().reshape(Dates.OUTPUT_LENGTH, Dates.OUTPUT_CHARS.length()).softmax(-1).toArray();
        }
        for (int t = 0; t < Dates.OUTPUT_LENGTH; t++) {
            float[] w = d.weights() == null ? new float[0] : java.util.Arrays.copyOfRange(d.weights(), t * d.inputLength(), (t + 1) * d.inputLength());
            int id = Dates.OUTPUT_CHARS.indexOf(out.charAt(t));
            steps.add(new dev.glassbox.models.explain.Seq2SeqTrace.OutputStep(t + 1, w, String.valueOf(out.charAt(t)),
                    probs[t * Dates.OUTPUT_CHARS.length() + id]));
        }
        return new dev.glassbox.models.explain.Seq2SeqTrace(name(), m.attention.name().toLowerCase(Locale.ROOT), text, chars, states, steps, out,
                beam(m, text, 3));
    }
}
