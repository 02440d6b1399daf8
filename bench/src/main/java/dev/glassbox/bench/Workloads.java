package dev.glassbox.bench;

import dev.glassbox.data.MnistFormat;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.Warmup;
import dev.glassbox.models.course.Cnn;
import dev.glassbox.models.course.DnnClassifier;
import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.FixedBatches;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.word2vec.Corpus;
import dev.glassbox.models.word2vec.Word2Vec;
import dev.glassbox.models.word2vec.Word2VecConfig;
import dev.glassbox.models.word2vec.WordEval;
import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Blas;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import dev.glassbox.tensor.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark workloads, defined in ../shared/BENCHMARKS.md; the training workloads run on the
 * models' own {@link Trainer}, as every recipe does. Each returns one result map with
 * {@code "id"} and that workload's keys; a workload whose data cannot be read returns
 * {@code "skipped"} with the reason, never a made-up figure. {@code OPS} is our own addition: the
 * per-op overhead on tiny tensors.
 */
public final class Workloads {
    public static final List<String> IDS = List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W9", "OPS");

    /** How long to run: {@code quick} for tests and smoke runs, otherwise the definition's full size. */
    public record Settings(boolean quick, int repeats) {}

    private Workloads() {}

    /** Runs one workload; {@code progress} receives short human-readable notes. */
    public static Map<String, Object> run(String id, Settings s, Consumer<String> progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        // the engine's code warmed on a spare core while the data loads, as `glassbox train` does (the training stops it)
        switch (id) {
            case "W2", "W8" -> Warmup.start(Warmup.Kind.DENSE);
            case "W4" -> Warmup.start(Warmup.Kind.CONV);
            case "W5" -> Warmup.start(Warmup.Kind.RECURRENT);
            case "W6" -> Warmup.start(Warmup.Kind.ATTENTION);
            case "W9" -> Warmup.start(Warmup.Kind.GAN);
            default -> { }   // W1, W3, W7 and OPS time kernels or peers of their own
        }
        try {
            switch (id) {
                case "W1" -> w1(out, s, progress);
                case "W2" -> w2(out, s, progress);
                case "W3" -> w3(out, s, progress);
                case "W4" -> w4(out, s, progress);
                case "W5" -> LanguageWorkloads.w5(out, s, progress);
                case "W6" -> LanguageWorkloads.w6(out, s, progress);
                case "W7" -> w7(out, s, progress);
                case "W8" -> GenerativeWorkloads.w8(out, s, progress);
                case "W9" -> GenerativeWorkloads.w9(out, s, progress);
                case "OPS" -> ops(out, s, progress);
                default -> throw new IllegalArgumentException("unknown workload '" + id + "'; workloads: " + String.join(", ", IDS));
            }
        } catch (IOException e) {
            out.put("skipped", id + " could not read its data: " + e.getMessage());
        }
        out.put("threads", Threads.count());
        out.put("cpu", Blas.cpuModel());
        out.put("vector_bits", Blas.vectorLength() * 32);
        out.put("l1d_kb", Blas.l1dCacheBytes() >> 10);
        out.put("l2_kb", Blas.l2CacheBytes() >> 10);
        out.put("sgemm", Blas.sgemmBlocking());
        out.put("jvm", Runtime.version().toString());
        out.put("date", LocalDate.now().toString());
        return out;
    }

    /** W1: C = A·B, square n, 1 and 2 threads; GFLOPS = 2n³/s, median of repeats after warm-up. */
    static void w1(Map<String, Object> out, Settings s, Consumer<String> progress) {
        int[] sizes = s.quick() ? new int[] {128, 256} : new int[] {128, 256, 512, 1024, 2048};
        int before = Threads.count();
        try {
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                for (int n : sizes) {
                    double g = gflops(n, Blas.Op.N, Blas.Op.N, s.quick() ? 3 : Math.max(3, s.repeats()));
                    out.put("gflops_n" + n + "_t" + threads, round1(g));
                    progress.accept(String.format(Locale.ROOT, "W1 n=%d threads=%d: %.1f GFLOPS", n, threads, g));
                }
            }
            // the transposed forms backward passes use, at 1024 (512 when quick), 2 threads
            Threads.set(Math.min(2, Runtime.getRuntime().availableProcessors()));
            int n = s.quick() ? 256 : 1024;
            out.put("gflops_n" + n + "_t2_AtB", round1(gflops(n, Blas.Op.T, Blas.Op.N, s.quick() ? 3 : Math.max(3, s.repeats()))));
            out.put("gflops_n" + n + "_t2_ABt", round1(gflops(n, Blas.Op.N, Blas.Op.T, s.quick() ? 3 : Math.max(3, s.repeats()))));
        } finally {
            Threads.set(before);
        }
    }

    static double gflops(int n, Blas.Op opA, Blas.Op opB, int repeats) {
        Generator g = new Generator(n);
        float[] a = Tensor.rand(g, n, n).data(), b = Tensor.rand(g, n, n).data(), c = new float[n * n];
        int inner = Math.max(1, (int) (2e8 / (2.0 * n * n * n)));   // at least ~0.1 s a sample
        // warm up for a second (and at least 3 samples' worth), so the JIT has compiled every level
        long warm = System.nanoTime();
        for (int w = 0; w < 3 || System.nanoTime() - warm < 1_000_000_000L; w++) {
            for (int i = 0; i < inner; i++) Blas.sgemm(opA, opB, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        }
        int samples = Math.max(5, repeats);
        double[] gf = new double[samples];
        for (int r = 0; r < samples; r++) {
            long t = System.nanoTime();
            for (int i = 0; i < inner; i++) Blas.sgemm(opA, opB, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            gf[r] = inner * 2.0 * n * n * n / (System.nanoTime() - t);
        }
        return Stats.median(gf);
    }

    /** Fashion-MNIST, or null after recording in {@code out} why it was skipped. */
    static MnistFormat.Split loadFashionMnist(Map<String, Object> out) {
        try {
            return MnistFormat.load(fashionMnist());
        } catch (IOException e) {
            out.put("skipped", "Fashion-MNIST not readable (" + e.getMessage() + "); run ./glassbox data fetch fashion-mnist, "
                    + "install Debian's dataset-fashion-mnist, or pass -Dglassbox.fashionMnist=DIR");
            return null;
        }
    }

    /**
     * Fashion-MNIST: {@code -Dglassbox.fashionMnist=DIR}, else where {@code --data fashion-mnist}
     * reads it (Debian's install place, else the copy {@code glassbox data fetch} made).
     */
    static Path fashionMnist() {
        String dir = System.getProperty("glassbox.fashionMnist");
        return dir != null && !dir.isBlank() ? Path.of(dir) : ImageData.fashionMnistHome();
    }

    /**
     * W2: MLP 784-256-128-10 with ReLU, cross-entropy, Adam 1e-3, batch 128, on Fashion-MNIST
     * (inputs in [0, 1]), on the Trainer. Training samples/s over all epochs (batching included,
     * loading from disk and evaluation not), test accuracy after epochs 1 and 5, and the
     * process's peak RSS with its RSS after each epoch (flat means no per-step growth); timed
     * after one epoch of a throwaway model of other seeds ({@code warmup_samples_per_s}: the cold
     * start). {@code quick}: one epoch on 6,000 images, after one of the same.
     */
    static void w2(Map<String, Object> out, Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(6000) : data.train();
        // timing after a warm-up (BENCHMARKS.md): one untimed epoch of a throwaway model of other seeds, as the peer does
        Trainer.Result cold = new Trainer<>(w2Task(train, data, 10, 11, false)).epochs(1).fit(e -> { });
        out.put("warmup_epochs", 1);
        out.put("warmup_samples_per_s", Math.round(train.size() / cold.trainSeconds()));
        int epochs = s.quick() ? 1 : 5;
        SimpleTask<TensorDataset.Batch> task = w2Task(train, data, 0, 1, true);
        List<Double> rss = new ArrayList<>();
        Trainer.Result r = new Trainer<>(task).epochs(epochs).fit(e -> {
            if (!(e instanceof TrainingEvent.EpochEnd ee)) return;
            rss.add(Memory.rssMb());
            String acc = "";
            if (ee.metrics().get("acc") instanceof Double a) {
                out.put("acc_" + ee.epoch() + "ep", Math.round(a * 10000) / 10000.0);
                acc = String.format(Locale.ROOT, ", test accuracy %.4f", a);
            }
            progress.accept(String.format(Locale.ROOT, "W2 epoch %d%s (%.1f s)", ee.epoch(), acc, ee.seconds()));
        });
        out.put("samples_per_s", Math.round(epochs * (double) train.size() / r.trainSeconds()));
        out.put("epochs", epochs);
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
        out.put("rss_mb_per_epoch", rss.stream().map(v -> (double) Math.round(v)).toList());
    }

    /** W2's MLP and its Adam step from seeds {@code modelSeed} and {@code shuffleSeed}; with {@code evaluate}, test accuracy after epochs 1 and 5. */
    private static SimpleTask<TensorDataset.Batch> w2Task(TensorDataset train, MnistFormat.Split data, long modelSeed, long shuffleSeed, boolean evaluate) {
        Generator g = new Generator(modelSeed);
        var model = new Sequential(new Linear(784, 256, g), new Activations.ReLU(), new Linear(256, 128, g), new Activations.ReLU(),
                new Linear(128, 10, g));
        var task = new SimpleTask<>(model, new Adam(model.parameters(), 1e-3f), new LoaderBatches(train, 128, new Generator(shuffleSeed)),
                (TensorDataset.Batch b) -> F.crossEntropy(model.forward(b.inputs().reshape(-1, 784)), b.labels()));
        return evaluate ? task.evaluateWith(epoch -> epoch == 1 || epoch == 5
                ? Map.of("acc", Evaluation.accuracy(model, x -> model.forward(x.reshape(-1, 784)), data.test(), 1000)) : Map.of()) : task;
    }

    /**
     * W4: the CNN conv(1→32, 3×3) ReLU pool 2, conv(32→64, 3×3) ReLU pool 2, fc(1600→128) ReLU,
     * fc(128→10); Adam 1e-3, batch 64, Fashion-MNIST, on the Trainer; training samples/s and test
     * accuracy after one epoch, timed after {@link #W4_WARMUP_STEPS} steps of a throwaway CNN of
     * other seeds ({@code warmup_samples_per_s}: the cold start). {@code quick}: 640 images after
     * 2 steps, speed only.
     */
    static void w4(Map<String, Object> out, Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(640) : data.train();
        // timing after a warm-up (BENCHMARKS.md): untimed steps of a throwaway CNN of other seeds, as the peer does
        int warmup = s.quick() ? 2 : W4_WARMUP_STEPS;
        Trainer.Result cold = new Trainer<>(w4Task(train, data, 10, 11, false)).maxSteps(warmup).fit(e -> { });
        out.put("warmup_steps", warmup);
        out.put("warmup_samples_per_s", Math.round(64.0 * warmup / cold.trainSeconds()));
        var task = w4Task(train, data, 0, 1, !s.quick());
        Trainer.Result r = new Trainer<>(task).fit(e -> {
            if (e instanceof TrainingEvent.Step st && st.step() % 100 == 0) {
                progress.accept(String.format(Locale.ROOT, "W4 step %d of %d", st.step(), st.totalSteps()));
            }
        });
        out.put("samples_per_s", Math.round(train.size() / r.trainSeconds()));
        if (r.evaluation().get("acc") instanceof Double acc) out.put("acc_1ep", Math.round(10000.0 * acc) / 10000.0);
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /** Steps W4 trains a throwaway CNN first, untimed (a fifth of its epoch of 938). */
    static final int W4_WARMUP_STEPS = 190;

    /** W4's CNN and its Adam step from seeds for the weights and the shuffle; with {@code evaluate}, test accuracy at the epoch's end. */
    private static SimpleTask<TensorDataset.Batch> w4Task(TensorDataset train, MnistFormat.Split data, long modelSeed, long shuffleSeed, boolean evaluate) {
        var model = new Cnn("w4", 28, new Generator(modelSeed));
        var task = new SimpleTask<>(model, new Adam(model.parameters(), 1e-3f), new LoaderBatches(train, 64, new Generator(shuffleSeed)),
                (TensorDataset.Batch b) -> F.crossEntropy(model.forward(b.inputs()), b.labels()));
        return evaluate ? task.evaluateWith(epoch -> Map.of("acc", Evaluation.accuracy(model, model::forward, data.test(), 500))) : task;
    }

    /**
     * Where the benchmark corpora live: {@code -Dglassbox.benchData}, {@code $GLASSBOX_BENCH_DATA}, else {@code ../shared/data}
     * beside the project ({@code -Dglassbox.home}, set by ./glassbox, or the working directory).
     */
    static Path benchData() {
        String prop = System.getProperty("glassbox.benchData");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        String env = System.getenv("GLASSBOX_BENCH_DATA");
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("glassbox.home", ".")).toAbsolutePath().resolve("../shared/data").normalize();
    }

    /**
     * W7: word2vec skip-gram, negative 5, window 5, dim 100, min-count 5, sample 1e-3, 5 epochs
     * on Brown with 1 and 2 threads; raw words/s and wall seconds of training (reading the corpus
     * included, the vocabulary pass not, as gensim counts), then WordSim-353 Spearman and analogy
     * accuracy restricted to the 30,000 most frequent words, with their out-of-vocabulary counts.
     * {@code quick}: 1 epoch, 2 threads only.
     */
    static void w7(Map<String, Object> out, Settings s, Consumer<String> progress) {
        var dir = benchData();
        var brown = dir.resolve("brown.txt");
        if (!Files.isRegularFile(brown)) {
            out.put("skipped", "the Brown corpus is not at " + brown + "; set GLASSBOX_BENCH_DATA to the folder holding brown.txt, "
                    + "wordsim353.tsv and questions-words.txt (tools/make_brown.py makes brown.txt)");
            return;
        }
        try {
            var corpus = Corpus.of(brown);
            var cfg = Word2VecConfig.defaults(1).withEpochs(s.quick() ? 1 : 5);
            if (!s.quick()) {
                var one = Word2Vec.train(corpus, cfg.withThreads(1), EventListener.NONE);
                out.put("words_per_s_t1", Math.round(one.wordsPerSecond()));
                out.put("wall_s_t1", Math.round(one.seconds() * 1000) / 1000.0);
                progress.accept(String.format(Locale.ROOT, "W7 1 thread: %,.0f words/s", one.wordsPerSecond()));
            }
            int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
            var r = Word2Vec.train(corpus, cfg.withThreads(threads), EventListener.NONE);
            out.put("words_per_s", Math.round(r.wordsPerSecond()));
            out.put("wall_s", Math.round(r.seconds() * 1000) / 1000.0);
            out.put("loss", Math.round(r.loss() * 10000) / 10000.0);
            progress.accept(String.format(Locale.ROOT, "W7 %d threads: %,.0f words/s", threads, r.wordsPerSecond()));
            var ws = dir.resolve("wordsim353.tsv");
            if (Files.isRegularFile(ws)) {
                var e = WordEval.wordSim(r.vectors(), ws);
                out.put("wordsim_spearman", Math.round(e.spearman() * 10000) / 10000.0);
                out.put("wordsim_oov", e.oov());
            }
            var q = dir.resolve("questions-words.txt");
            if (Files.isRegularFile(q)) {
                var a = WordEval.analogies(r.vectors(), q, 30000);
                out.put("analogy_acc", Math.round(a.accuracy() * 10000) / 10000.0);
                out.put("analogy_asked", a.asked());
                out.put("analogy_oov", a.oov());
            }
            out.put("w7_threads", threads);
        } catch (IOException e) {
            out.put("skipped", "W7 could not read its data: " + e.getMessage());
        }
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /**
     * W3: the course's DNN 25-3-3-10 (sigmoid hidden, softmax output, cross-entropy), SGD lr 0.5,
     * batch 32, 20,000 steps over 3,200 fixed random examples, on the Trainer (a quarter of that
     * first to warm up); steps/s is framework overhead, the Trainer's included.
     */
    static void w3(Map<String, Object> out, Settings s, Consumer<String> progress) throws IOException {
        int steps = s.quick() ? 2000 : 20000, batch = 32, n = 3200;
        Generator g = new Generator(3);
        Tensor x = Tensor.rand(g, n, 25);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = g.nextInt(10);
        List<TensorDataset.Batch> batches = new ArrayList<>();
        for (int b = 0; b < n / batch; b++) {
            batches.add(new TensorDataset.Batch(x.slice(0, b * batch, (b + 1) * batch), null, Arrays.copyOfRange(y, b * batch, (b + 1) * batch)));
        }
        double[] rates = new double[Math.max(1, s.quick() ? 1 : s.repeats())];
        for (int r = 0; r < rates.length; r++) {
            DnnClassifier model = new DnnClassifier(3, 3, new Generator(r));
            var task = new SimpleTask<>(model, new SGD(model.parameters(), 0.5f), new FixedBatches<>(batches),
                    (TensorDataset.Batch b) -> F.crossEntropy(model.forward(b.inputs()), b.labels()));
            new Trainer<>(task).epochs(Integer.MAX_VALUE).maxSteps(steps / 4).fit(EventListener.NONE);   // warm-up
            Trainer.Result timed = new Trainer<>(task).epochs(Integer.MAX_VALUE).maxSteps(steps).fit(EventListener.NONE);
            rates[r] = steps / timed.trainSeconds();
            progress.accept(String.format(Locale.ROOT, "W3 run %d: %,.0f steps/s", r + 1, rates[r]));
        }
        out.put("steps_per_s", Math.round(Stats.median(rates)));
    }

    /**
     * OPS (ours, not in BENCHMARKS.md): the fixed cost of one op on a tiny tensor, in ns — what
     * decides how fast the course's small networks train. Shapes [2, 3]; median of repeats.
     */
    static void ops(Map<String, Object> out, Settings s, Consumer<String> progress) {
        Tensor a = Tensor.rand(new Generator(1), 2, 3), b = Tensor.rand(new Generator(2), 2, 3);
        Tensor w = Tensor.rand(new Generator(3), 2, 3).requiresGrad(true);
        int n = s.quick() ? 20_000 : 1_000_000;
        int samples = s.quick() ? 3 : Math.max(5, s.repeats());
        float[] sink = new float[1];
        Map<String, Runnable> cases = new LinkedHashMap<>();
        cases.put("ns_add", () -> sink[0] += a.add(b).data()[0]);
        cases.put("ns_sigmoid", () -> sink[0] += a.sigmoid().data()[0]);
        cases.put("ns_mul_recorded", () -> sink[0] += w.mul(b).data()[0]);
        cases.put("ns_mul_sum_backward", () -> {
            w.zeroGrad();
            w.mul(b).sum().backward();
            sink[0] += w.grad().data()[0];
        });
        for (var e : cases.entrySet()) {
            for (int i = 0; i < n / 4; i++) e.getValue().run();
            double[] ns = new double[samples];
            for (int r = 0; r < samples; r++) {
                long t = System.nanoTime();
                for (int i = 0; i < n; i++) e.getValue().run();
                ns[r] = (System.nanoTime() - t) / (double) n;
            }
            double med = Stats.median(ns);
            out.put(e.getKey(), round1(med));
            progress.accept(String.format(Locale.ROOT, "OPS %s: %.0f ns", e.getKey(), med));
        }
        if (Float.isNaN(sink[0])) out.put("note", "NaN");   // keeps the work observable
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }
}
