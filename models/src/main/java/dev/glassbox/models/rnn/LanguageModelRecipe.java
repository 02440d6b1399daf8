package dev.glassbox.models.rnn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.ClipGrad;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * Character- and word-level language models with an LSTM ({@code lstm}) or a GRU ({@code gru})
 * on the embedded novel or any text file: the first 90% of the text trains, the last 10% is
 * held out for the perplexity. Each step takes {@code batch} windows of {@code seq} + 1 tokens
 * at random places of the training part (or, with {@code tbptt}, the next window of each of
 * {@code batch} contiguous tracks, the state carried over detached: truncated BPTT), predicts
 * every next token, and takes an Adam step on the mean cross-entropy with the gradient norm
 * clipped at 5.
 */
public final class LanguageModelRecipe implements Recipe {
    /** The embedded text: Pride and Prejudice, one sentence per line. */
    public static final String EMBEDDED = "austen";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A preset's network and training settings. */
    public record Config(boolean words, int embedding, int hidden, int layers, int seq, int batch, float lr, int epochs) {}

    private final String name;
    private final Recurrent.Mode cell;

    public LanguageModelRecipe(String name, Recurrent.Mode cell) {
        this.name = name;
        this.cell = cell;
    }

    @Override public String name() { return name; }

    @Override public String title() { return name.toUpperCase(java.util.Locale.ROOT) + " language model (characters or words): next-token prediction, sampling, perplexity"; }

    @Override public List<String> presets() { return List.of("char", "word", "w5"); }

    @Override public List<String> dataNames() { return List.of(EMBEDDED); }

    @Override public String dataHelp() { return "a UTF-8 text file (plain or .gz)"; }

    /** The settings of a preset; {@code w5} is the benchmark's network (hidden 256). */
    public static Config config(String preset) {
        return switch (preset) {
            case "word" -> new Config(true, 128, 256, 1, 32, 32, 2e-3f, 2);
            case "w5" -> new Config(false, 64, 256, 1, 64, 32, 2e-3f, 1);
            default -> new Config(false, 64, 128, 1, 64, 32, 2e-3f, 1);
        };
    }

    @Override
    public Defaults defaults(String preset) {
        Config c = config(preset);
        return new Defaults(c.epochs(), c.lr(), c.batch());
    }

    @Override public List<String> tourPresets() { return List.of("char"); }

    /** {@code steps}: stop after this many steps (the epochs are cut short). */
    @Override public java.util.Set<String> settings() { return java.util.Set.of("steps", "tbptt", "cell"); }

    /** The {@code cell} setting: lstm, gru, rnn (tanh) or rnn_relu; null for the model's own. */
    static Recurrent.Mode cell(Object value, Recurrent.Mode dflt) {
        if (value == null) return dflt;
        return switch (String.valueOf(value).toLowerCase(java.util.Locale.ROOT)) {
            case "lstm" -> Recurrent.Mode.LSTM;
            case "gru" -> Recurrent.Mode.GRU;
            case "rnn", "rnn_tanh" -> Recurrent.Mode.RNN_TANH;
            case "rnn_relu" -> Recurrent.Mode.RNN_RELU;
            default -> throw new IllegalArgumentException("--cell must be lstm, gru, rnn or rnn_relu, got '" + value + "'");
        };
    }

    /** A cell's name as --cell and the checkpoint write it. */
    static String cellName(Recurrent.Mode mode) {
        return mode == Recurrent.Mode.RNN_TANH ? "rnn" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The tour trains 60 steps: enough to see the loss fall, a few seconds long. */
    @Override public Map<String, Object> tourSettings(String preset) { return Map.of("steps", 60); }

    @Override public String headlineMetric() { return "perplexity"; }

    private String preset(String p) {
        if (p == null) return "char";
        if (!presets().contains(p)) throw new IllegalArgumentException("unknown preset '" + p + "' for " + name + "; presets: " + String.join(", ", presets()));
        return p;
    }

    /** The text of a data name or file. */
    public static String text(String data) throws IOException {
        if (data == null || data.equals(EMBEDDED)) {
            InputStream in = LanguageModelRecipe.class.getResourceAsStream("/corpora/pride-and-prejudice.txt.gz");
            if (in == null) throw new IOException("the embedded text is missing from the jar");
            return read(new GZIPInputStream(in));
        }
        Path p = Path.of(data);
        if (!Files.isRegularFile(p)) {
            throw new IOException("--data '" + data + "' is neither the embedded text (" + EMBEDDED + ") nor a file; a language model reads a UTF-8 text file");
        }
        InputStream in = Files.newInputStream(p);
        return read(p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in);
    }

    private static String read(InputStream in) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1 << 16];
            for (int k; (k = r.read(buf)) > 0; ) sb.append(buf, 0, k);
            return sb.toString();
        }
    }

    /** The tokens of a text: its characters, or its words (whitespace-separated). */
    static List<String> tokens(String text, boolean words) {
        List<String> out = new ArrayList<>();
        if (words) {
            for (String w : text.split("\\s+")) if (!w.isEmpty()) out.add(w);
        } else {
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        }
        return out;
    }

    /** Characters: every one seen, sorted. Words: those seen twice or more, most frequent first, then the unknown word. */
    static LanguageModel.Vocab vocab(List<String> tokens, boolean words) {
        if (!words) return new LanguageModel.Vocab(false, List.copyOf(new TreeSet<>(tokens)));
        Map<String, Integer> counts = new HashMap<>();
        for (String t : tokens) counts.merge(t, 1, Integer::sum);
        List<String> kept = new ArrayList<>(counts.keySet().stream().filter(w -> counts.get(w) >= 2).toList());
        kept.sort((a, b) -> counts.get(b).equals(counts.get(a)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
        kept.add(LanguageModel.Vocab.UNKNOWN);
        return new LanguageModel.Vocab(true, List.copyOf(kept));
    }

    static int[] encode(List<String> tokens, LanguageModel.Vocab v) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < v.size(); i++) index.put(v.tokens().get(i), i);
        int unk = v.words() ? index.get(LanguageModel.Vocab.UNKNOWN) : -1;
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = index.get(tokens.get(i));
            if (id == null) {
                if (unk < 0) throw new IllegalArgumentException("the character '" + tokens.get(i) + "' is not in this model's vocabulary");
                id = unk;
            }
            out[i] = id;
        }
        return out;
    }

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        String preset = preset(o.preset());
        Config c = config(preset);
        o.requireKnown(this);
        boolean tbptt = o.flag("tbptt");
        Recurrent.Mode cell = cell(o.settings().get("cell"), this.cell);
        int epochs = o.epochs() != null ? o.epochs() : c.epochs();
        Integer maxSteps = o.integer("steps");
        if (maxSteps != null && maxSteps <= 0) throw new IllegalArgumentException("--steps must be positive, got " + maxSteps);
        float lr = o.lr() != null ? o.lr() : c.lr();
        int batch = o.batch() != null ? o.batch() : c.batch();
        String text = text(o.data());
        List<String> toks = tokens(text, c.words());
        int split = (int) (toks.size() * 0.9);
        if (split < c.seq() + 2 || toks.size() - split < c.seq() + 2) {
            throw new IOException("the text has " + toks.size() + " " + (c.words() ? "words" : "characters") + "; a " + preset
                    + " language model needs at least " + 10 * (c.seq() + 2) + " (windows of " + c.seq() + ")");
        }
        LanguageModel.Vocab vocab = vocab(toks.subList(0, split), c.words());
        int[] all = encodeLenient(toks, vocab);
        int[] train = java.util.Arrays.copyOf(all, split), held = java.util.Arrays.copyOfRange(all, split, all.length);
        long t0 = System.nanoTime();
        LanguageModel m = new LanguageModel(vocab, cell, c.embedding(), c.hidden(), c.layers(), new Generator(o.seed()));
        Adam opt = new Adam(m.parameters(), lr);
        Generator g = new Generator(o.seed() + 1);
        dev.glassbox.models.train.TruncatedBptt tracks = tbptt ? new dev.glassbox.models.train.TruncatedBptt(train, batch, c.seq()) : null;
        int stepsPerEpoch = tbptt ? tracks.windows() : Math.max(1, train.length / (batch * c.seq()));
        Tensor carryH = null, carryC = null;

        String dataName = o.data() == null ? EMBEDDED : o.data();
        int step = 0, total = maxSteps == null ? epochs * stepsPerEpoch : Math.min(maxSteps, epochs * stepsPerEpoch);
        events.on(new TrainingEvent.Started(name, preset, dataName, (total + stepsPerEpoch - 1) / stepsPerEpoch, Math.min(stepsPerEpoch, total)));
        double recent = 0;
        int recentCount = 0;
        long tokensSeen = 0;
        for (int e = 1; e <= epochs && step < total; e++) {
            double sum = 0;
            int inEpoch = 0;
            for (int s = 0; s < stepsPerEpoch && step < total; s++, inEpoch++) {
                m.train();
                int[] x = new int[batch * c.seq()], y = new int[batch * c.seq()];
                if (tbptt) {
                    if (tracks.atStart()) carryH = carryC = null;   // a new pass starts from a zero state
                    tracks.next(x, y);
                } else {
                    for (int b = 0; b < batch; b++) {
                        int start = g.nextInt(train.length - c.seq() - 1);
                        System.arraycopy(train, start, x, b * c.seq(), c.seq());
                        System.arraycopy(train, start + 1, y, b * c.seq(), c.seq());
                    }
                }
                opt.zeroGrad();
                LanguageModel.Step out = m.step(x, batch, c.seq(), carryH, carryC);
                if (tbptt) {                                       // carry the state on, cut from this window's graph
                    carryH = out.h().detach();
                    carryC = out.c() == null ? null : out.c().detach();
                }
                Tensor loss = F.crossEntropy(out.logits().reshape(batch * c.seq(), vocab.size()), y);
                loss.backward();
                ClipGrad.clipGradNorm(m.parameters(), 5f);
                opt.step();
                float l = loss.item();
                if (!Float.isFinite(l)) throw new ArithmeticException("the loss became " + l + " at step " + (step + 1) + "; try a smaller --lr");
                sum += l;
                tokensSeen += (long) batch * c.seq();
                if (total - step <= 10) {
                    recent += l;
                    recentCount++;
                }
                events.on(new TrainingEvent.Step(e, ++step, total, l));
            }
            events.on(new TrainingEvent.EpochEnd(e, epochs, (float) (sum / Math.max(1, inEpoch)), Map.of()));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> out = runMetrics(preset, dataName, epochs);
        out.put("cell", cellName(cell));
        out.put("steps", total);
        out.put("loss", (float) (recent / Math.max(1, recentCount)));
        double val = heldOutLoss(m, held, c.seq());
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        out.put("vocab", vocab.size());
        out.put("tokens_per_s", Math.round(tokensSeen / secs));
        out.put("sample", sample(m, c.words() ? "she" : "she ", c.words() ? 20 : 80, 0.8f, o.seed()));
        if (o.save() != null) {
            save(m, preset, o.save());
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(out, secs));
        return new Run(m, preset, dataName, out, secs);
    }

    /** What the W5 benchmark reports. */
    public record BenchResult(double tokensPerSecond, double lossLast10, int vocab, double seconds) {}

    /**
     * W5: the w5 network (character LSTM, embedding 64, hidden 256, seq 64, batch 32, Adam
     * 2e-3, clip 5) for {@code steps} steps on the first 90% of {@code text}; training tokens
     * per second (batching included) and the mean loss of the last ten steps.
     */
    public static BenchResult benchmark(String text, Recurrent.Mode cell, int steps, long seed) {
        Config c = config("w5");
        List<String> toks = tokens(text, false);
        int split = (int) (toks.size() * 0.9);
        LanguageModel.Vocab vocab = vocab(toks.subList(0, split), false);
        int[] train = encode(toks.subList(0, split), vocab);
        LanguageModel m = new LanguageModel(vocab, cell, c.embedding(), c.hidden(), c.layers(), new Generator(seed));
        Adam opt = new Adam(m.parameters(), c.lr());
        Generator g = new Generator(seed + 1);
        int batch = c.batch(), seq = c.seq();
        double last = 0;
        long t0 = System.nanoTime();
        for (int step = 1; step <= steps; step++) {
            int[] x = new int[batch * seq], y = new int[batch * seq];
            for (int b = 0; b < batch; b++) {
                int start = g.nextInt(train.length - seq - 1);
                System.arraycopy(train, start, x, b * seq, seq);
                System.arraycopy(train, start + 1, y, b * seq, seq);
            }
            m.train();
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(m.step(x, batch, seq, null, null).logits().reshape(batch * seq, vocab.size()), y);
            loss.backward();
            ClipGrad.clipGradNorm(m.parameters(), 5f);
            opt.step();
            if (step > steps - 10) last += loss.item();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new BenchResult((double) steps * batch * seq / secs, last / Math.min(10, steps), vocab.size(), secs);
    }

    /** Like {@link #encode}, but characters missing from the vocabulary (seen only in the held-out part) are dropped. */
    private static int[] encodeLenient(List<String> toks, LanguageModel.Vocab v) {
        if (v.words()) return encode(toks, v);
        java.util.Set<String> known = new java.util.HashSet<>(v.tokens());
        return encode(toks.stream().filter(known::contains).toList(), v);
    }

    /** Mean cross-entropy (nats per token) of the held-out tokens, in consecutive windows. */
    static double heldOutLoss(LanguageModel m, int[] held, int seq) {
        m.eval();
        double sum = 0;
        long count = 0;
        int per = 16;
        try (var ignored = GradMode.noGrad()) {
            for (int start = 0; start + seq + 1 <= held.length; start += per * seq) {
                int n = Math.min(per, (held.length - 1 - start) / seq);
                if (n <= 0) break;
                int[] x = new int[n * seq], y = new int[n * seq];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(held, start + b * seq, x, b * seq, seq);
                    System.arraycopy(held, start + b * seq + 1, y, b * seq, seq);
                }
                Tensor l = F.crossEntropy(m.step(x, n, seq, null, null).logits().reshape(n * seq, m.vocab.size()), y,
                        dev.glassbox.nn.Reduction.SUM);
                sum += l.item();
                count += (long) n * seq;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Text generated after {@code prompt}: the prompt's tokens set the state, then each next token
     * is drawn from softmax(scores / temperature) and fed back in.
     */
    public static String sample(LanguageModel m, String prompt, int length, float temperature, long seed) {
        if (length < 0) throw new IllegalArgumentException("--length must be 0 or more, got " + length);
        if (!(temperature > 0) || !Float.isFinite(temperature)) throw new IllegalArgumentException("--temperature must be positive, got " + temperature);
        List<String> toks = tokens(prompt, m.vocab.words());
        if (toks.isEmpty()) toks = List.of(m.vocab.words() ? m.vocab.tokens().getFirst() : "\n");
        int[] ids = encode(toks, m.vocab);
        Generator g = new Generator(seed);
        StringBuilder sb = new StringBuilder(prompt);
        m.eval();
        try (var ignored = GradMode.noGrad()) {
            LanguageModel.Step st = m.step(ids, 1, ids.length, null, null);
            float[] last = st.logits().select(1, ids.length - 1).reshape(-1).toArray();
            Tensor h = st.h(), c = st.c();
            for (int i = 0; i < length; i++) {
                int next = draw(last, temperature, g);
                String tok = m.vocab.tokens().get(next);
                if (m.vocab.words()) sb.append(sb.isEmpty() || sb.charAt(sb.length() - 1) == ' ' ? "" : " ");
                sb.append(tok);
                st = m.step(new int[] {next}, 1, 1, h, c);
                h = st.h();
                c = st.c();
                last = st.logits().reshape(-1).toArray();
            }
        }
        return sb.toString();
    }

    private static int draw(float[] scores, float temperature, Generator g) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) max = Math.max(max, s / temperature);
        double[] p = new double[scores.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(scores[i] / temperature - max);
        double u = g.uniform(0f, 1f) * z;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        return p.length - 1;
    }

    private void save(LanguageModel m, String preset, Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("glassbox.model", name);
        meta.put("glassbox.preset", preset);
        meta.put("lm.cell", cellName(m.cell));
        try {
            meta.put("lm.vocab", JSON.writeValueAsString(m.vocab.tokens()));
        } catch (JsonProcessingException e) {
            throw new IOException("cannot write the vocabulary: " + e.getOriginalMessage(), e);
        }
        SafeTensors.save(m.stateDict(), meta, file);
    }

    @Override
    public Module load(Path file) throws IOException {
        var c = SafeTensors.load(file);
        String model = c.metadata().get("glassbox.model");
        if (!name.equals(model)) throw new IOException(file + " holds a '" + (model == null ? "non-Glassbox" : model) + "' model, not '" + name + "'");
        String preset = c.metadata().getOrDefault("glassbox.preset", "char");
        if (!presets().contains(preset)) throw new IOException(file + ": unknown preset '" + preset + "'");
        List<String> tokens;
        try {
            tokens = List.of(JSON.readValue(c.metadata().getOrDefault("lm.vocab", "[]"), String[].class));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": the vocabulary in its metadata is not a JSON list of strings");
        }
        if (tokens.isEmpty()) throw new IOException(file + ": no vocabulary in its metadata (lm.vocab)");
        Config cfg = config(preset);
        Recurrent.Mode cell;
        try {
            cell = cell(c.metadata().get("lm.cell"), this.cell);   // files from before lm.cell hold the model's own cell
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": unknown cell '" + c.metadata().get("lm.cell") + "' in its metadata (lm.cell)");
        }
        LanguageModel m = new LanguageModel(new LanguageModel.Vocab(cfg.words(), tokens), cell, cfg.embedding(), cfg.hidden(), cfg.layers(), new Generator(0));
        return dev.glassbox.models.Checkpoints.restore(m, c.tensors(), file);
    }

    static LanguageModel cast(Module m) {
        if (!(m instanceof LanguageModel lm)) throw new IllegalArgumentException("a " + m.getClass().getSimpleName() + " is not a language model");
        return lm;
    }

    /** Held-out loss and perplexity on the last 10% of a text. */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed) throws IOException {
        LanguageModel m = cast(model);
        List<String> toks = tokens(text(data), m.vocab.words());
        int[] held = encodeLenient(toks.subList((int) (toks.size() * 0.9), toks.size()), m.vocab);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", name);
        out.put("data", data == null ? EMBEDDED : data);
        double val = heldOutLoss(m, held, 64);
        out.put("val_loss", val);
        out.put("perplexity", Math.exp(val));
        return out;
    }

    @Override
    public String predict(Module model, List<String> input) {
        return sample(cast(model), String.join(" ", input), 80, 0.8f, 42);
    }

    @Override
    public Explanation explain(Module model, List<String> input, String target, float lr, long seed) {
        throw new IllegalArgumentException("explain " + name + ": the step-by-step trace is the course's small model: glassbox explain rnn");
    }
}
