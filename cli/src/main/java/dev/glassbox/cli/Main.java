package dev.glassbox.cli;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.RecipeSettings;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.train.DivergedException;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SettingError;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import dev.glassbox.nn.Module;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The glassbox command line. */
@Command(name = "glassbox", mixinStandardHelpOptions = true, version = "glassbox 0.1.0",
        description = "Train, evaluate and look inside the classic neural networks, in pure Java.",
        subcommands = {TrainCommand.class, Main.Eval.class, Main.Predict.class, Main.Explain.class, Main.Tour.class,
                Main.Models.class, WordCommands.Similar.class, WordCommands.Analogy.class, SampleCommand.class, ScoreCommand.class, StudioCommand.class, Bench.class, DataCommands.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Models: linear, logistic, dnn, cnn, autoencoder, word2vec, rnn, lstm, gru, seq2seq, transformer, vae, dcgan. Start with: glassbox tour"})
public final class Main implements Runnable {
    /** Where commands write; replaced by {@link #run(PrintStream, PrintStream, String...)} for tests. */
    static PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(OUT); }

    public static void main(String[] args) {
        String bad = dev.glassbox.models.Engine.optionProblem();
        if (bad != null) {   // before any kernel loads: a JVM option's typo is one line, not a trace
            ERR.println("glassbox: " + bad + " (in GLASSBOX_JAVA_OPTS or the JVM's options)");
            System.exit(2);
        }
        System.exit(run(args));
    }

    /** Runs with the given output streams (for tests). */
    static int run(PrintStream out, PrintStream err, String... args) {
        PrintStream o = OUT, e = ERR;
        OUT = out;
        ERR = err;
        try {
            return run(args);
        } finally {
            OUT = o;
            ERR = e;
        }
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 failed, 2 bad usage. */
    static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(OUT, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
            }
            ERR.println("glassbox: " + ex.getMessage() + hint);
            ERR.println("Try 'glassbox " + commandPath(ex.getCommandLine()) + "--help' for more.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (t instanceof SettingError bad) msg = "--" + flag(bad.setting()) + " " + bad.problem();
            if (t instanceof DivergedException) msg += "; try a smaller learning rate (--lr)";
            boolean usage = t instanceof IllegalArgumentException && !(t instanceof NumberFormatException);
            ERR.println("glassbox: " + msg);
            if (!(t instanceof IllegalArgumentException || t instanceof IOException || t instanceof ArithmeticException
                    || t instanceof IndexOutOfBoundsException || t instanceof IllegalStateException)) {
                t.printStackTrace(ERR);   // a bug of ours, not bad input: keep the trace for the report
            }
            return usage ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** The flag of a setting: {@code minCount} is {@code --min-count}. */
    static String flag(String setting) {
        return setting.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String commandPath(CommandLine c) {
        String p = c.getCommandSpec().qualifiedName(" ");
        p = p.startsWith("glassbox") ? p.substring("glassbox".length()).trim() : p;
        return p.isEmpty() ? "" : p + " ";
    }

    /** Options shared by commands that read a model's data. */
    static class DataOptions {
        @Option(names = "--data", paramLabel = "NAME|PATH", description = "An embedded data set or a file (default: the model's own).")
        String data;

        @Option(names = "--seed", defaultValue = "42", description = "Seed for data, initialisation and shuffling (default: ${DEFAULT-VALUE}).")
        long seed;
    }

    static Map<String, Object> withSeconds(Map<String, Object> m, double secs) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("seconds", Math.round(secs * 1000) / 1000.0);
        return out;
    }

    static Module load(Recipe<?> r, Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        return r.load(file);
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a saved model on data.",
            footer = {"", "word2vec: glassbox eval word2vec FILE --wordsim F --analogies F [--restrict N] [--json]"})
    static final class Eval implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "linear, logistic, dnn, cnn, autoencoder or word2vec.")
        String model;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "The saved model (or use --load).")
        Path file;

        @Option(names = "--load", paramLabel = "FILE", description = "A model saved by 'glassbox train --save'.")
        Path load;

        @CommandLine.Mixin
        DataOptions dataOptions = new DataOptions();

        @Option(names = "--wordsim", paramLabel = "FILE", description = "word2vec: word pairs with human scores (WordSim-353 format).")
        Path wordsim;

        @Option(names = "--analogies", paramLabel = "FILE", description = "word2vec: analogy questions (questions-words format).")
        Path analogies;

        @Option(names = "--restrict", defaultValue = "30000",
                description = "word2vec: answer analogies from the N most frequent words (default: ${DEFAULT-VALUE}).")
        int restrict;

        @Option(names = "--json", description = "Print the metrics as one JSON object on the last line.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Recipe<?> r = Recipes.get(model);
            if (file != null && load != null) throw new IllegalArgumentException("give the model file once: as FILE or with --load");
            Path f = file != null ? file : load;
            if (f == null) throw new IllegalArgumentException("eval " + model + ": which model? give FILE (or --load FILE)");
            Map<String, Object> m;
            if (r instanceof Word2VecRecipe) {
                if (wordsim == null && analogies == null) throw new IllegalArgumentException("eval word2vec: give --wordsim FILE, --analogies FILE or both");
                m = Word2VecRecipe.evaluate(Word2VecRecipe.vectors(load(r, f)),
                        wordsim, analogies, restrict);
            } else {
                if (wordsim != null || analogies != null) throw new IllegalArgumentException("--wordsim and --analogies apply to word2vec, not " + model);
                m = r.evaluate(load(r, f), dataOptions.data, dataOptions.seed, new Progress(ERR, Progress.isTerminal(), "eval " + model));
            }
            OUT.print(json ? Json.write(requireFinite(m)) + "\n" : Tables.metrics(requireFinite(m)));
            return 0;
        }
    }

    /**
     * Metrics that came out NaN or infinite are an error, not a result (a damaged model or data
     * the checks above let through): the first such metric is named.
     */
    static Map<String, Object> requireFinite(Map<String, Object> m) {
        for (var e : m.entrySet()) {
            if (e.getValue() instanceof Number n && !Double.isFinite(n.doubleValue())) {
                throw new IllegalStateException("the metric " + e.getKey() + " came out " + n + ": the model or the data hold numbers"
                        + " that cannot be scored, so there is no result to report");
            }
        }
        return m;
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Run a saved model on one input.",
            footer = {"", "Inputs: linear: x; logistic: x1 x2; dnn: 25 digits 0/1 or five rows of five; cnn and autoencoder: 64 pixel values in [0, 1] (784 for their 28x28 presets); word2vec: a word (its nearest words)."})
    static final class Predict implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "linear, logistic, dnn, cnn or autoencoder (glassbox models lists them).")
        String model;

        @Option(names = "--load", required = true, paramLabel = "FILE", description = "A model saved by 'glassbox train --save'.")
        Path load;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "The input values.")
        List<String> input = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            Recipe<?> r = Recipes.get(model);
            Module m = load(r, load);
            try {
                OUT.println(r.predict(m, input));
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);   // an input the model refuses: exit 1, not a usage error
            }
            return 0;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "One training step told node by node: weighted sums, activations, loss, gradients, new weights.")
    static final class Explain implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL", description = "linear, logistic, dnn, cnn, autoencoder, word2vec, rnn, lstm or seq2seq (glassbox models lists them).")
        String model;

        @Option(names = "--load", paramLabel = "FILE", description = "Start from a saved model (default: a fresh one from --seed).")
        Path load;

        @Option(names = "--input", arity = "1..*", paramLabel = "VALUE",
                description = "The example's input (default: the model's usual example, e.g. the course's '2' for dnn, a sentence's words for rnn and lstm).")
        List<String> input = new ArrayList<>();

        @Option(names = "--target", description = "The example's target: y for linear, 0/1 for logistic, a digit for dnn.")
        String target;

        @Option(names = "--lr", description = "Learning rate of the step (default: the model's training rate).")
        Float lr;

        @Option(names = "--stage", description = "autoencoder: the stage to explain, 1-4 (default 4, fine-tuning).")
        Integer stage;

        @Option(names = "--seed", defaultValue = "42", description = "Seed of a fresh model (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--lang", defaultValue = "en", description = "en or ko (default: ${DEFAULT-VALUE}).")
        String lang;

        @Option(names = "--json", description = "Print the whole trace as one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Messages.of(lang);   // a language there is, or the error names it
            Recipe<?> r = Recipes.get(model);
            if (load == null && r.explainPreparation() != null) ERR.println("glassbox: " + r.explainPreparation() + "; --load FILE explains a saved one");
            float rate = lr != null ? lr : r.explainLr();
            var request = new ExplainRequest(input, target, rate, seed, stage == null ? 0 : stage);
            Explanation t = r.explain(load == null ? null : load(r, load), request);
            OUT.println(json ? Json.write(t) : new ExplainText(lang).render(t));
            return 0;
        }
    }

    /** What the tour says last: where to look next. */
    static final String STUDIO_HINT = "Next: ./glassbox studio — every model drawn, stepped node by node and trained live, in your browser";

    @Command(name = "tour", mixinStandardHelpOptions = true,
            description = "Train every model on its embedded data, in turn, and print a summary.",
            footer = {"", "Progress goes to standard error; the summary (or with --json one JSON object) to standard output."})
    static final class Tour implements Callable<Integer> {
        @Option(names = "--json", description = "Print the summary as one JSON object (the only thing on standard output).")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("model", "preset", "data", "metric", "value", "seconds"));
            List<Map<String, Object>> results = new ArrayList<>();
            List<Recipe<?>> all = Recipes.all();
            for (int i = 0; i < all.size(); i++) {
                Recipe<?> r = all.get(i);
                ERR.printf(Locale.ROOT, "[%d/%d] %s: %s%n", i + 1, all.size(), r.name(), r.title());
                for (String preset : r.tourPresets()) {
                    Recipe.Run run = tour(r, preset, new Progress(ERR, Progress.isTerminal(), "  " + r.name() + "/" + preset, 5));
                    String metric = r.headlineMetric(preset);
                    rows.add(List.of(r.name(), preset, run.data(), metric, Tables.format(run.metrics().get(metric)),
                            String.format(Locale.ROOT, "%.1f", run.seconds())));
                    results.add(withSeconds(run.metrics(), run.seconds()));
                }
            }
            if (json) {
                OUT.println(Json.write(Map.of("tour", results)));
            } else {
                OUT.println();
                OUT.print(Tables.table(rows));
            }
            (json ? ERR : OUT).println(STUDIO_HINT);
            return 0;
        }

        private static <S extends RecipeSettings<S>> Recipe.Run tour(Recipe<S> r, String preset, EventListener events) throws IOException {
            return r.train(r.tourSettings(preset), RunOptions.NONE, events);
        }
    }

    @Command(name = "models", mixinStandardHelpOptions = true, description = "List the models, their presets and data.")
    static final class Models implements Callable<Integer> {
        @Override
        public Integer call() {
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("model", "presets", "data", "what it is"));
            for (Recipe<?> r : Recipes.all()) {
                rows.add(List.of(r.name(), String.join(", ", r.presets()), String.join(", ", r.dataNames()), r.title()));
            }
            OUT.print(Tables.table(rows));
            return 0;
        }
    }
}
