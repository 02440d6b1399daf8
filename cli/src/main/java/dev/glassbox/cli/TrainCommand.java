package dev.glassbox.cli;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.RecipeSettings;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.Warmup;
import dev.glassbox.models.rnn.LanguageModelRecipe;
import dev.glassbox.models.seq2seq.Seq2Seq;
import dev.glassbox.models.seq2seq.Seq2SeqRecipe;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import dev.glassbox.nn.Recurrent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code glassbox train}: turns the flags into the recipe's typed settings (the preset's
 * defaults, or a resumed checkpoint's settings, with the flags given on top), trains with
 * progress on standard error, and prints the metrics on standard output — a table, or with
 * {@code --json} exactly one JSON object.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model and report its metrics.",
        footer = {"", "Progress goes to standard error; the metrics (or with --json one JSON object) to standard output."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model (glassbox models lists them).")
    String model;

    @Option(names = "--preset", description = "Settings: the course's own (the default) or another the model offers.")
    String preset;

    @Option(names = "--data", paramLabel = "NAME|PATH", description = "An embedded data set or a file (default: the model's own).")
    String data;

    @Option(names = "--seed", description = "Seed for data, initialisation and shuffling (default: 42).")
    Long seed;

    @Option(names = "--epochs", description = "Passes over the training data (default: the preset's).")
    Integer epochs;

    @Option(names = "--steps", description = "Stop after this many steps in all (the last epoch is cut short).")
    Long steps;

    @Option(names = "--lr", description = "Learning rate (default: the preset's).")
    Float lr;

    @Option(names = "--batch", description = "Examples per step (default: the preset's).")
    Integer batch;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model here (safetensors), with its training state.")
    Path save;

    @Option(names = "--checkpoint-every", paramLabel = "N|Ne", converter = CheckpointEveryConverter.class,
            description = "Also write --save every N steps, or every N epochs with Ne (e.g. 500 or 2e); a crash loses at most that much.")
    RunOptions.CheckpointEvery checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run a checkpoint was written by, exactly (its settings; --epochs or --steps may extend it).")
    Path resume;

    @Option(names = "--every-epoch", paramLabel = "DIR", description = "vae, dcgan: after every epoch, write a grid of 64 images from the same noise to DIR/epoch-NNN.png.")
    Path everyEpoch;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train data-parallel on Apache Spark: local[N] (N workers in this "
            + "process) or spark://HOST:PORT (a standalone cluster); for linear, logistic, dnn, cnn, lstm, gru, seq2seq, transformer (char, dates) and vae.")
    String spark;

    @Option(names = "--executors", description = "With --spark spark://HOST:PORT: executors to ask for (default 2), one core and one part of the data each.")
    Integer executors;

    @Option(names = "--sync-every", paramLabel = "K", description = "With --spark: each worker takes K steps of its own between "
            + "synchronisations, then the weights are averaged (local SGD; default 1: gradients summed every step).")
    Integer syncEvery;

    @Option(names = "--log", paramLabel = "FILE.jsonl", description = "Write every training event here as a JSON line.")
    Path log;

    @Option(names = "--json", description = "Print the final metrics as one JSON object (the only thing on standard output).")
    boolean json;

    @Option(names = "--dim", description = "word2vec: vector size (default 100).")
    Integer dim;

    @Option(names = "--window", description = "word2vec: context words each side, before the random shrink (default 5).")
    Integer window;

    @Option(names = "--negative", description = "word2vec: noise words per pair (default 5).")
    Integer negative;

    @Option(names = "--min-count", description = "word2vec: ignore words seen fewer times (default 5).")
    Integer minCount;

    @Option(names = "--sample", description = "word2vec: subsampling threshold of frequent words (default 1e-3; 0 = off).")
    Double sample;

    @Option(names = "--threads", description = "word2vec: training threads (default: all cores).")
    Integer threads;

    @Option(names = "--attention", converter = AttentionConverter.class, description = "seq2seq: none, bahdanau or luong (default luong).")
    Seq2Seq.Attention attention;

    @Option(names = "--tbptt", description = "lstm, gru: contiguous tracks with the state carried between windows (truncated BPTT).")
    boolean tbptt;

    @Option(names = "--cell", converter = CellConverter.class,
            description = "lstm, gru: the recurrent cell of the language model: lstm, gru, rnn (tanh) or rnn_relu (default: the model's name).")
    Recurrent.Mode cell;

    @Override
    public Integer call() throws IOException {
        return train(Recipes.get(model));
    }

    private <S extends RecipeSettings<S>> int train(Recipe<S> r) throws IOException {
        if (save != null && Files.isDirectory(save)) {
            // said before training, not after it, when the run would be lost
            throw new IllegalArgumentException("--save " + save + " is a folder; give a file name, for example "
                    + save.resolve(model + ("word2vec".equals(r.name()) ? ".bin" : ".safetensors")));
        }
        if ((checkpointEvery != null || resume != null) && !r.checkpoints()) {
            throw new IllegalArgumentException((resume != null ? "--resume" : "--checkpoint-every") + " does not apply to " + model
                    + ": it writes its result at the end only");
        }
        if (checkpointEvery != null && save == null && resume == null) {
            throw new IllegalArgumentException("--checkpoint-every needs --save FILE: the checkpoints are written there");
        }
        if (resume != null && !Files.isRegularFile(resume)) throw new IOException(resume + ": no such file");
        if (everyEpoch != null && !(r instanceof ImageSampler)) {
            throw new IllegalArgumentException("--every-epoch applies to the models that make images (vae, dcgan), not " + model);
        }
        Cluster cluster = cluster(r);
        S settings = settings(r);
        RunOptions run = new RunOptions(save, checkpointEvery, resume, everyEpoch, cluster);
        Warmup.start(Warmup.kindsOf(r.name()).toArray(Warmup.Kind[]::new));   // on a spare core while the data loads; the training stops it
        Recipe.Run result;
        try (EventLog events = EventLog.open(log)) {
            EventListener l = new Progress(Main.ERR, Progress.isTerminal(), model).andThen(events);
            result = r.train(settings, run, l);
        }
        Map<String, Object> m = Main.requireFinite(Main.withSeconds(result.metrics(), result.seconds()));
        Main.OUT.print(json ? Json.write(m) + "\n" : Tables.metrics(m));
        return 0;
    }

    /** Where a --spark run computes its gradients, or null; checked before any data is read. */
    private Cluster cluster(Recipe<?> r) {
        if (spark == null) {
            if (executors != null) throw new IllegalArgumentException("--executors applies to a run on Spark: add --spark spark://HOST:PORT");
            if (syncEvery != null) throw new IllegalArgumentException("--sync-every applies to a run on Spark: add --spark MASTER");
            return null;
        }
        if (!(r instanceof DataParallel dp && dp.trainsDataParallel())) {
            String able = String.join(", ", Recipes.all().stream()
                    .filter(x -> x instanceof DataParallel dp && dp.trainsDataParallel()).map(Recipe::name).toList());
            throw new IllegalArgumentException("--spark: " + r.name() + " does not train on Spark yet; the models that do: " + able);
        }
        if (threads != null && threads != 1 && r instanceof Word2VecRecipe) {   // another model's --threads: modelFlags names who takes it
            // word2vec's workers each train their part of the corpus on one thread, as Spark MLlib's do
            throw new IllegalArgumentException("--threads " + threads + " applies to a run in this process: on Spark each worker trains "
                    + "word2vec on one thread; for more, more workers (--spark local[N], or --executors N on a cluster)");
        }
        return new Cluster(spark, executors == null ? 0 : executors, syncEvery == null ? 1 : syncEvery);
    }

    /** The preset's defaults (or the resumed run's settings), with every flag given on top. */
    private <S extends RecipeSettings<S>> S settings(Recipe<S> r) throws IOException {
        S s;
        if (resume != null) {
            TrainingCheckpoint cp = TrainingCheckpoint.read(resume);
            String held = cp.metadata().get("glassbox.model");
            if (!r.name().equals(held)) throw new IOException(resume + " holds a '" + (held == null ? "non-Glassbox" : held) + "' model, not '" + model + "'");
            s = SettingsJson.read(cp.settings(), r.settingsType(), resume.toString());
            if (preset != null && !preset.equals(s.train().preset())) {
                throw new InvalidSettingException("preset", "is " + preset + " but the checkpoint's run has " + s.train().preset()
                        + "; a resumed run keeps the settings it was trained with (only epochs and steps may change)");
            }
        } else {
            s = r.settings(preset);
        }
        TrainSettings t = s.train();
        if (data != null) t = t.withData(data);
        if (seed != null) t = t.withSeed(seed);
        if (epochs != null) t = t.withEpochs(epochs);
        if (steps != null) {
            if (steps <= 0) throw new InvalidSettingException("steps", "must be positive, got " + steps);
            t = t.withSteps(steps);
        }
        if (lr != null) t = t.withLr(lr);
        if (batch != null) t = t.withBatch(batch);
        return modelFlags(r, s.withTrain(t));
    }

    /** The flags only some models take, applied to their settings; given to another model, an error naming who takes them. */
    private <S extends RecipeSettings<S>> S modelFlags(Recipe<S> r, S s) {
        Map<String, Object> w2v = given("dim", dim, "window", window, "negative", negative, "min-count", minCount, "sample", sample,
                "threads", threads);
        Map<String, Object> lm = given("tbptt", tbptt ? Boolean.TRUE : null, "cell", cell);
        Map<String, Object> s2s = given("attention", attention);
        Object out = s;
        if (out instanceof Word2VecRecipe.Settings w) {
            if (dim != null) w = w.withDim(dim);
            if (window != null) w = w.withWindow(window);
            if (negative != null) w = w.withNegative(negative);
            if (minCount != null) w = w.withMinCount(minCount);
            if (sample != null) w = w.withSample(sample);
            if (threads != null) w = w.withThreads(threads);
            out = w;
        } else {
            refuse(w2v, Word2VecRecipe.Settings.class);
        }
        if (out instanceof LanguageModelRecipe.Settings l) {
            if (cell != null) l = l.withCell(cell);
            if (tbptt) l = l.withBatching(LanguageModelRecipe.Settings.Batching.TRACKS);
            out = l;
        } else {
            refuse(lm, LanguageModelRecipe.Settings.class);
        }
        if (out instanceof Seq2SeqRecipe.Settings q) {
            if (attention != null) q = q.withAttention(attention);
            out = q;
        } else {
            refuse(s2s, Seq2SeqRecipe.Settings.class);
        }
        return r.settingsType().cast(out);
    }

    private static Map<String, Object> given(Object... flagsAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) if (flagsAndValues[i + 1] != null) m.put((String) flagsAndValues[i], flagsAndValues[i + 1]);
        return m;
    }

    private void refuse(Map<String, Object> given, Class<?> settingsType) {
        if (given.isEmpty()) return;
        List<String> takers = Recipes.all().stream().filter(x -> x.settingsType() == settingsType).map(Recipe::name).toList();
        throw new IllegalArgumentException("--" + given.keySet().iterator().next() + " applies to " + String.join(", ", takers) + ", not " + model);
    }

    /** {@code --checkpoint-every 500} (steps) or {@code 2e} (epochs). */
    static final class CheckpointEveryConverter implements CommandLine.ITypeConverter<RunOptions.CheckpointEvery> {
        @Override
        public RunOptions.CheckpointEvery convert(String value) {
            String v = value.trim();
            boolean epochs = v.endsWith("e");
            try {
                long n = Long.parseLong(epochs ? v.substring(0, v.length() - 1) : v);
                if (n >= 1) return epochs ? RunOptions.CheckpointEvery.epochs(n) : RunOptions.CheckpointEvery.steps(n);
            } catch (NumberFormatException e) {
                // said below
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a positive number of steps (500) or epochs (2e)");
        }
    }

    static final class CellConverter implements CommandLine.ITypeConverter<Recurrent.Mode> {
        @Override
        public Recurrent.Mode convert(String value) {
            try {
                return LanguageModelRecipe.cell(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not lstm, gru, rnn or rnn_relu");
            }
        }
    }

    static final class AttentionConverter implements CommandLine.ITypeConverter<Seq2Seq.Attention> {
        @Override
        public Seq2Seq.Attention convert(String value) {
            try {
                return Seq2SeqRecipe.attention(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not none, bahdanau or luong");
            }
        }
    }
}
