package dev.glassbox.models;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.course.Cnn;
import dev.glassbox.models.course.Dcgan;
import dev.glassbox.models.course.Vae;
import dev.glassbox.models.rnn.LanguageModel;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.models.transformer.TransformerLM;
import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import dev.glassbox.tensor.Threads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Training steps of small networks run in the background while a command gets ready to train —
 * reads its data set, builds its model — so the JIT compiles the engine's hot code (the SGEMM
 * kernels, the layers' forward and backward, Adam) on a core that would otherwise wait, and the
 * first epoch does not run it interpreted. It gains what the reading leaves it: while
 * Fashion-MNIST took 1 s to read, W2's first epoch went 30–39k → 41–51k samples/s and W8's first
 * steps 6.7k → 9.1–11.0k; read in 0.4 s as bytes, W2's first epoch 6–21% (docs/benchmarks.md).
 *
 * <p>The steps are the engine's own (W2's MLP, the VAE, W4's CNN, an LSTM and a Transformer
 * language model, a DCGAN, in small sizes) on random data and private generators, their kernels on
 * the warm-up's thread alone ({@link Threads#alone}): nothing of a real run is shared, so its
 * results are the same bits with or without one. {@link #stop()} — called as a {@link
 * dev.glassbox.models.train.Trainer} starts — ends it after the operation it is in; so does a
 * budget of three seconds ({@code -Dglassbox.warmupMillis}). One a process, started by the command
 * line for the commands that train ({@link #kindsOf} the recipe); {@code -Dglassbox.warmup=false}
 * turns it off.
 */
public final class Warmup {
    /** The kinds of network the warm-up can step, so a command warms what it is about to train. */
    public enum Kind { DENSE, CONV, RECURRENT, ATTENTION, GAN }

    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("glassbox.warmup"));
    private static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("glassbox.warmupMillis", 3000L));
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicInteger STEPS = new AtomicInteger();
    private static volatile boolean stopped;
    private static volatile Thread thread;
    private static volatile Throwable failure;

    private Warmup() {}

    /**
     * The kinds of network the training of the recipe named {@code recipe} runs: none for word2vec
     * (kernels of its own), dense for the models not named here (the MLPs, the autoencoder, the VAE).
     */
    public static List<Kind> kindsOf(String recipe) {
        return switch (recipe) {
            case "word2vec" -> List.of();
            case "cnn" -> List.of(Kind.CONV);
            case "dcgan" -> List.of(Kind.GAN);
            case "rnn", "lstm", "gru", "seq2seq" -> List.of(Kind.RECURRENT);
            case "transformer" -> List.of(Kind.ATTENTION);
            default -> List.of(Kind.DENSE);
        };
    }

    /**
     * Starts the warm-up of {@code kinds} (in turn, over and over) on a daemon thread, unless one
     * has been started in this process or it is turned off; returns whether this call started it.
     */
    public static boolean start(Kind... kinds) {
        return ENABLED && start(BUDGET_NANOS, List.of(kinds));
    }

    /** {@link #start(Kind...)} with a budget of its own (tests), whether or not turned off. */
    static boolean start(long budgetNanos, List<Kind> order) {
        if (order.isEmpty() || !STARTED.compareAndSet(false, true)) return false;
        stopped = false;   // a stop asked before (a training that ran earlier in this process) was for no warm-up
        long deadline = System.nanoTime() + budgetNanos;
        Thread t = new Thread(() -> Threads.alone(() -> run(order, deadline)), "glassbox-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.setUncaughtExceptionHandler((th, e) -> failure = e);   // a warm-up never troubles the command: it just ends
        thread = t;
        t.start();
        return true;
    }

    /** Ends the running warm-up after the operation it is in (a no-op when none runs). */
    public static void stop() { stopped = true; }

    /** Training steps the warm-up has finished. */
    static int steps() { return STEPS.get(); }

    /** What ended the warm-up early, or null. */
    static Throwable failure() { return failure; }

    /** Whether the warm-up's thread is running. */
    static boolean running() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** Waits up to {@code millis} for the warm-up's thread to end; true if it has (or none was started). */
    static boolean awaitEnd(long millis) throws InterruptedException {
        Thread t = thread;
        if (t == null) return true;
        t.join(millis);
        return !t.isAlive();
    }

    private static void run(List<Kind> order, long deadline) {
        BooleanSupplier over = () -> stopped || System.nanoTime() - deadline >= 0;
        try {
            List<Step> steps = new ArrayList<>();
            for (Kind k : order) steps.add(step(k));   // the networks built here, on the warm-up's thread
            while (!over.getAsBoolean()) {
                for (Step s : steps) {
                    if (over.getAsBoolean() || !s.run(over)) return;
                    STEPS.incrementAndGet();
                }
            }
        } catch (RuntimeException e) {
            failure = e;   // a warm-up that fails ends; the command goes on
        }
    }

    /** One training step of a small network; false if it stopped part way. */
    @FunctionalInterface
    private interface Step {
        boolean run(BooleanSupplier over);
    }

    private static Step step(Kind kind) {
        return switch (kind) {
            case DENSE -> dense();
            case CONV -> conv();
            case RECURRENT -> recurrent();
            case ATTENTION -> attention();
            case GAN -> gan();
        };
    }

    /** A step of {@code model} and an Adam on it: the loss of a batch of random data, backward, the update. */
    private static Step training(Module model, Function<Module, Tensor> loss) {
        Adam opt = new Adam(model.parameters(), 1e-3f);
        return over -> {
            opt.zeroGrad();
            Tensor l = loss.apply(model);
            if (over.getAsBoolean()) return false;
            l.backward();
            if (over.getAsBoolean()) return false;
            opt.step();
            return true;
        };
    }

    /** W2's MLP (784-256-128-10, cross-entropy, batch 128) and a VAE step (784-400-20, BCE and KL, batch 64), in turn. */
    private static Step dense() {
        Generator g = new Generator(101);
        TensorDataset data = images(g);
        int[] y = IntStream.range(0, 128).map(i -> i % 10).toArray();
        Step mlp = training(new Sequential(new Linear(784, 256, g), new Activations.ReLU(), new Linear(256, 128, g),
                new Activations.ReLU(), new Linear(128, 10, g)), m -> F.crossEntropy(m.forward(batch(data, g, 128).reshape(-1, 784)), y));
        Step vae = training(new Vae(784, 400, 20, g), m -> ((Vae) m).pass(batch(data, g, 64), g).loss().mean());
        return over -> mlp.run(over) && vae.run(over);
    }

    /** W4's CNN on 28 × 28 images, batch 16. */
    private static Step conv() {
        Generator g = new Generator(102);
        TensorDataset data = images(g);
        int[] y = IntStream.range(0, 16).map(i -> i % 10).toArray();
        return training(new Cnn("w4", 28, g), m -> F.crossEntropy(m.forward(batch(data, g, 16)), y));
    }

    /** 512 random 28 × 28 images of bytes, as Fashion-MNIST is kept: batches gather through the same path. */
    private static TensorDataset images(Generator g) {
        byte[] pixels = new byte[512 * 784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) g.nextInt(256);
        return TensorDataset.ofByteImages(pixels, new int[] {512, 1, 28, 28}, 255f, new int[512]);
    }

    private static Tensor batch(TensorDataset data, Generator g, int n) {
        return data.batch(ids(g, n, data.size())).inputs();
    }

    private static Vocab letters() {
        return new Vocab(Vocab.Tokens.CHARACTERS, IntStream.range(0, 40).mapToObj(i -> String.valueOf((char) ('a' + i))).toList());
    }

    private static int[] ids(Generator g, int n, int v) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = g.nextInt(v);
        return out;
    }

    /** An LSTM language model (embedding 32, hidden 64), 8 windows of 32 characters. */
    private static Step recurrent() {
        Generator g = new Generator(103);
        Vocab v = letters();
        int n = 8, t = 32;
        int[] x = ids(g, n * t, v.size()), y = ids(g, n * t, v.size());
        return training(new LanguageModel(v, Recurrent.Mode.LSTM, 32, 64, 1, g),
                m -> F.crossEntropy(((LanguageModel) m).step(x, n, t, null, null).logits().reshape(n * t, v.size()), y));
    }

    /** A Transformer language model (d_model 64, 4 heads, 1 layer, feed-forward 128), 4 windows of 32 characters. */
    private static Step attention() {
        Generator g = new Generator(104);
        Vocab v = letters();
        int n = 4, t = 32;
        int[] x = ids(g, n * t, v.size()), y = ids(g, n * t, v.size());
        return training(new TransformerLM(v, new TransformerLM.Config(64, 4, 1, 128, t), g),
                m -> F.crossEntropy(((TransformerLM) m).logits(x, n, t).reshape(n * t, v.size()), y));
    }

    /** A DCGAN on 28 × 28 images (batch 8): D's step on real and detached fakes, then G's through a frozen D. */
    private static Step gan() {
        Generator g = new Generator(105);
        TensorDataset data = images(g);
        Dcgan m = new Dcgan(28, 16, 16, 32, 16, 32, g);
        Adam dOpt = new Adam(m.discriminator.parameters(), 2e-4f), gOpt = new Adam(m.generator.parameters(), 2e-4f);
        return over -> {
            Tensor fake = m.generator.forward(Tensor.randn(g, 8, m.latent));
            dOpt.zeroGrad();
            Dcgan.discriminatorLoss(m.discriminate(batch(data, g, 8).reshape(8, 784)), m.discriminator.forward(fake.detach())).backward();
            if (over.getAsBoolean()) return false;
            dOpt.step();
            gOpt.zeroGrad();
            try (var ignored = Parameter.freeze(m.discriminator.parameters())) {
                Dcgan.against(m.discriminator.forward(fake), 1f).backward();
            }
            if (over.getAsBoolean()) return false;
            gOpt.step();
            return true;
        };
    }
}
