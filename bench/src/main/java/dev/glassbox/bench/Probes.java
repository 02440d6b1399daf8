package dev.glassbox.bench;

import dev.glassbox.kernels.KernelRates;
import dev.glassbox.models.course.Cnn;
import dev.glassbox.models.course.Vae;
import dev.glassbox.models.rnn.LanguageModel;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.nn.Reduction;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Blas;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import dev.glassbox.tensor.Threads;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Timing probes behind some figures of docs/benchmarks.md and docs/architecture.md: where a
 * training step's time goes, on fixed random data, with no peer. They explain the workloads'
 * figures; the workloads (glassbox bench) are the figures. Run with bench/probe.sh NAME.
 * <ul>
 *   <li>{@code w4-steps}: the W4 network, batch 64, each stage of a step timed (mean of 200
 *       steps after 100 warm-up steps); each convolution runs with its ReLU and its max pooling
 *       as one node, as the model does ({@code -Dprobe.unfused=true}: as three, each timed;
 *       {@code -Dprobe.ab=true}: the model's step against convolution + ReLU as one node and
 *       the pooling apart, alternating blocks of 20 steps in one process).</li>
 *   <li>{@code w8-steps}: W8's VAE, batch 128 of random pixels, each stage of a step timed
 *       (mean of 1,000 steps after 1,000 warm-up steps).</li>
 *   <li>{@code lstm}: W5's network (embedding 64, LSTM 256) on random characters, batch 32 of
 *       64 steps, tokens/s over eight runs of 15 steps (median, range, and per CPU-second of
 *       the process, which the VM's stolen time does not move).</li>
 *   <li>{@code gemm-openblas M N K [threads] [NN|NT|TN]}: our SGEMM and the system OpenBLAS
 *       (Debian's libopenblas0-pthread, called through the FFM API) in alternating pairs in one
 *       process (each side of a pair repeats the product for about 10 ms; 40 pairs after 3 s of
 *       warming up): the median of each and the median of the
 *       pairs' ratios. The machine's slow phases hit both sides of a pair alike, so the ratio
 *       is steadier than two separate runs; set {@code OPENBLAS_THREAD_TIMEOUT=4}, or
 *       OpenBLAS's threads spin for a long time after each call and take our threads'
 *       cores.</li>
 *   <li>{@code kernel-peak} (run by probe.sh from core's {@code KernelRates}, which stays with the
 *       kernels it times): on one core, SGEMM's micro-kernel over panels kept in L1 against a
 *       loop of FMAs on registers (the core's peak), in alternating pairs — the most of the peak
 *       any product built on the micro-kernel can reach.</li>
 * </ul>
 */
public final class Probes {
    private Probes() {}

    public static void main(String[] args) {
        String name = args.length == 0 ? "" : args[0];
        switch (name) {
            case "w4-steps" -> w4Steps();
            case "lstm" -> lstm();
            case "w2-steps" -> w2Steps();
            case "w8-steps" -> w8Steps();
            case "gemm-openblas" -> gemmOpenBlas(Arrays.copyOfRange(args, 1, args.length));
            default -> {
                System.err.println("usage: bench/probe.sh w2-steps|w4-steps|w8-steps|lstm|kernel-peak|gemm-openblas M N K [threads] [NN|NT|TN|TT]"
                        + " (kernel-peak is core's KernelRates)");
                System.exit(2);
            }
        }
    }

    /** W2's MLP (784-256-128-10, ReLU, Adam 1e-3), batch 128 of random data: each stage of a step timed. */
    static void w2Steps() {
        Generator g = new Generator(0);
        var l1 = new Linear(784, 256, g);
        var l2 = new Linear(256, 128, g);
        var l3 = new Linear(128, 10, g);
        var model = new Sequential(l1, new Activations.ReLU(), l2,
                new Activations.ReLU(), l3);
        Adam opt = new Adam(model.parameters(), 1e-3f);
        Tensor x = Tensor.rand(new Generator(1), 128, 784);
        int[] y = IntStream.range(0, 128).map(i -> i % 10).toArray();
        String[] names = {"zero_grad", "fc1", "relu1", "fc2", "relu2", "fc3", "loss", "backward", "adam"};
        timeStages(names, 500, 1000, t -> {
            int k = 0;
            t[k++] = System.nanoTime();
            opt.zeroGrad();
            t[k++] = System.nanoTime();
            Tensor h = l1.forward(x);
            t[k++] = System.nanoTime();
            h = h.relu();
            t[k++] = System.nanoTime();
            h = l2.forward(h);
            t[k++] = System.nanoTime();
            h = h.relu();
            t[k++] = System.nanoTime();
            h = l3.forward(h);
            t[k++] = System.nanoTime();
            Tensor loss = F.crossEntropy(h, y);
            t[k++] = System.nanoTime();
            backwardAndStep(loss, opt, t, k);
        }, 128);
    }

    /** W8's VAE (784-400-20-400-784, Adam 1e-3), batch 128 of random pixels: each stage of a step timed. */
    static void w8Steps() {
        Vae vae = new Vae(784, 400, 20, new Generator(0));
        Adam opt = new Adam(vae.parameters(), 1e-3f);
        Tensor x = Tensor.rand(new Generator(1), 128, 784);
        Generator noise = new Generator(2);
        String[] names = {"zero_grad", "encoder", "relu", "mu+logvar", "z", "dec_hidden", "dec_out", "bce", "kl", "backward", "adam"};
        timeStages(names, 1000, 1000, t -> {
            int k = 0;
            t[k++] = System.nanoTime();
            opt.zeroGrad();
            t[k++] = System.nanoTime();
            Tensor h = vae.encoder.forward(x);
            t[k++] = System.nanoTime();
            h = h.relu();
            t[k++] = System.nanoTime();
            Tensor mu = vae.mu.forward(h), logvar = vae.logvar.forward(h);
            t[k++] = System.nanoTime();
            Tensor z = mu.add(logvar.mul(0.5f).exp().mul(Tensor.randn(noise, 128, 20)));
            t[k++] = System.nanoTime();
            Tensor d = vae.decoderHidden.forward(z).relu();
            t[k++] = System.nanoTime();
            Tensor logits = vae.decoderOut.forward(d);
            t[k++] = System.nanoTime();
            Tensor recon = F.binaryCrossEntropyWithLogits(logits, x, Reduction.SUM).div(128f);
            t[k++] = System.nanoTime();
            Tensor loss = recon.add(logvar.add(1f).sub(mu.square()).sub(logvar.exp()).sum().mul(-0.5f / 128));
            t[k++] = System.nanoTime();
            backwardAndStep(loss, opt, t, k);
        }, 128);
    }

    /** A probed step's last two stages, each stamped into t from index k: backward, then the optimizer's step. */
    private static void backwardAndStep(Tensor loss, Adam opt, long[] t, int k) {
        loss.backward();
        t[k] = System.nanoTime();
        opt.step();
        t[k + 1] = System.nanoTime();
    }

    /** Runs {@code step} (which fills names.length + 1 time stamps) warm + counted times; prints each stage's mean. */
    static void timeStages(String[] names, int warm, int counted, Consumer<long[]> step, int batch) {
        double[] total = new double[names.length];
        for (int s = 0; s < warm + counted; s++) {
            long[] t = new long[names.length + 1];
            step.accept(t);
            if (s < warm) continue;
            for (int i = 0; i < names.length; i++) total[i] += (t[i + 1] - t[i]) / 1e6;
        }
        double sum = 0;
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-9s %6.3f ms%n", names[i], total[i] / counted);
            sum += total[i] / counted;
        }
        System.out.printf(Locale.ROOT, "step      %6.3f ms = %.0f samples/s%n", sum, batch / sum * 1000);
    }

    static void w4Steps() {
        Cnn m = new Cnn("w4", 28, new Generator(0));
        Adam opt = new Adam(m.parameters(), 1e-3f);
        Tensor x = Tensor.rand(new Generator(1), 64, 1, 28, 28);
        int[] y = IntStream.range(0, 64).map(i -> i % 10).toArray();
        if (Boolean.getBoolean("probe.ab")) {   // three ops in one node against conv+relu in one and the pooling apart
            double[][] ms = new double[2][15];
            for (int block = -4; block < 15; block++) {
                for (int v = 0; v < 2; v++) {
                    long t0 = System.nanoTime();
                    for (int s = 0; s < 20; s++) {
                        opt.zeroGrad();
                        Tensor h = v == 0 ? m.conv1.forwardReluMaxPool(x, m.pool1) : m.pool1.forward(m.conv1.forwardRelu(x));
                        h = v == 0 ? m.conv2.forwardReluMaxPool(h, m.pool2) : m.pool2.forward(m.conv2.forwardRelu(h));
                        F.crossEntropy(m.output.forward(m.fc1.forward(h.flatten(1, -1)).relu()), y).backward();
                        opt.step();
                    }
                    if (block >= 0) ms[v][block] = (System.nanoTime() - t0) / 20e6;
                }
            }
            Arrays.sort(ms[0]);
            Arrays.sort(ms[1]);
            System.out.printf(Locale.ROOT, "step, median of 15 alternating blocks: conv+relu+pool as one node %.2f ms, conv+relu and pool %.2f ms%n",
                    ms[0][7], ms[1][7]);
            return;
        }
        // the model's own path: each convolution, its ReLU and its pooling as one node (-Dprobe.unfused=true: three nodes)
        boolean unfused = Boolean.getBoolean("probe.unfused");
        String[] names = {"conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "fc1+relu", "out+loss", "backward", "adam"};
        double[] total = new double[names.length];
        int counted = 0;
        for (int s = 0; s < 300; s++) {
            long[] t = new long[names.length + 1];
            int k = 0;
            opt.zeroGrad();
            t[k++] = System.nanoTime();
            Tensor h = unfused ? m.conv1.forward(x) : m.conv1.forwardReluMaxPool(x, m.pool1);
            t[k++] = System.nanoTime();
            if (unfused) h = h.relu();
            t[k++] = System.nanoTime();
            if (unfused) h = m.pool1.forward(h);
            t[k++] = System.nanoTime();
            h = unfused ? m.conv2.forward(h) : m.conv2.forwardReluMaxPool(h, m.pool2);
            t[k++] = System.nanoTime();
            if (unfused) h = h.relu();
            t[k++] = System.nanoTime();
            if (unfused) h = m.pool2.forward(h);
            t[k++] = System.nanoTime();
            h = m.fc1.forward(h.flatten(1, -1)).relu();
            t[k++] = System.nanoTime();
            Tensor loss = F.crossEntropy(m.output.forward(h), y);
            t[k++] = System.nanoTime();
            loss.backward();
            t[k++] = System.nanoTime();
            opt.step();
            t[k] = System.nanoTime();
            if (s < 100) continue;
            counted++;
            for (int i = 0; i < names.length; i++) total[i] += (t[i + 1] - t[i]) / 1e6;
        }
        if (!unfused) {   // the ReLUs and poolings are inside the convolutions' lines
            names[0] = "conv1+relu+pool";
            names[3] = "conv2+relu+pool";
        }
        double sum = 0;
        for (int i = 0; i < names.length; i++) {
            if (!unfused && (i == 1 || i == 2 || i == 4 || i == 5)) continue;
            System.out.printf(Locale.ROOT, "%-15s %6.2f ms%n", names[i], total[i] / counted);
            sum += total[i] / counted;
        }
        System.out.printf(Locale.ROOT, "%-15s %6.2f ms = %.0f samples/s%n", "step", sum, 64 / sum * 1000);
    }

    static void lstm() {
        var vocab = new Vocab(Vocab.Tokens.CHARACTERS, IntStream.range(0, 60).mapToObj(i -> String.valueOf((char) ('!' + i))).toList());
        var m = new LanguageModel(vocab, Recurrent.Mode.LSTM, 64, 256, 1, new Generator(1));
        Adam opt = new Adam(m.parameters(), 2e-3f);
        Generator g = new Generator(2);
        int batch = 32, seq = 64;
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        int runs = Integer.getInteger("probe.runs", 8), steps = 15;
        double[] wall = new double[runs], cpu = new double[runs];
        for (int run = -1; run < runs; run++) {   // run -1 warms up
            long t0 = System.nanoTime(), c0 = os.getProcessCpuTime();
            for (int s = 0; s < steps; s++) {
                int[] x = new int[batch * seq], y = new int[batch * seq];
                for (int i = 0; i < x.length; i++) {
                    x[i] = g.nextInt(60);
                    y[i] = g.nextInt(60);
                }
                opt.zeroGrad();
                F.crossEntropy(m.step(x, batch, seq, null, null).logits().reshape(batch * seq, 60), y).backward();
                opt.step();
            }
            if (run < 0) continue;
            wall[run] = steps * batch * seq / ((System.nanoTime() - t0) / 1e9);
            cpu[run] = steps * batch * seq / ((os.getProcessCpuTime() - c0) / 1e9);
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "tokens/s: median %.0f (runs %.0f..%.0f); per CPU-second: median %.0f%n",
                wall[runs / 2], wall[0], wall[runs - 1], cpu[runs / 2]);
    }

    static void gemmOpenBlas(String[] a) {
        if (a.length < 3) {
            System.err.println("usage: bench/probe.sh gemm-openblas M N K [threads] [NN|NT|TN|TT]");
            System.exit(2);
        }
        int m, n, k, threads;
        try {
            m = Integer.parseInt(a[0]);
            n = Integer.parseInt(a[1]);
            k = Integer.parseInt(a[2]);
            threads = a.length > 3 ? Integer.parseInt(a[3]) : Threads.count();
        } catch (NumberFormatException e) {
            System.err.println("gemm-openblas: M, N, K and threads must be whole numbers (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        if (m < 1 || n < 1 || k < 1 || threads < 1) {
            System.err.println("gemm-openblas: M, N, K and threads must be at least 1");
            System.exit(2);
        }
        String form = a.length > 4 ? a[4] : "NN";
        if (!form.matches("[NT][NT]")) {
            System.err.println("gemm-openblas: the form must be NN, NT, TN or TT, got " + form);
            System.exit(2);
        }
        boolean ta = form.charAt(0) == 'T', tb = form.charAt(1) == 'T';
        Blas.Op opA = ta ? Blas.Op.T : Blas.Op.N, opB = tb ? Blas.Op.T : Blas.Op.N;
        Path lib = Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0");
        if (!Files.exists(lib)) {
            System.err.println("gemm-openblas: " + lib + " not found; install it with: apt-get install -y libopenblas0-pthread");
            System.exit(1);
        }
        Threads.set(threads);
        Linker linker = Linker.nativeLinker();
        SymbolLookup blas = SymbolLookup.libraryLookup(lib, Arena.global());
        MethodHandle setThreads = linker.downcallHandle(blas.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        MethodHandle gemm = linker.downcallHandle(blas.find("cblas_sgemm").orElseThrow(), FunctionDescriptor.ofVoid(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        int lda = ta ? m : k, ldb = tb ? k : n;
        Generator g = new Generator(1);
        float[] x = Tensor.rand(g, m, k).toArray(), y = Tensor.rand(g, k, n).toArray(), c = new float[m * n];
        MemorySegment sx = Arena.global().allocateFrom(ValueLayout.JAVA_FLOAT, x);
        MemorySegment sy = Arena.global().allocateFrom(ValueLayout.JAVA_FLOAT, y);
        MemorySegment sc = Arena.global().allocate((long) m * n * Float.BYTES, 64);
        // each side of a pair repeats the product for about 10 ms, after 3 s of warming up
        int reps = (int) Math.max(1, Math.min(10_000, 10e-3 * 50e9 / (2.0 * m * n * k)));
        double flops = 2.0 * m * n * k * reps;
        int pairs = 40;
        double[] ours = new double[pairs], theirs = new double[pairs], ratio = new double[pairs];
        try {
            setThreads.invokeExact(threads);
            long warm = System.nanoTime() + 3_000_000_000L;
            for (int i = -1; i < pairs; i++) {   // i = -1 repeats until the warm-up time is over
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) Blas.sgemm(opA, opB, m, n, k, 1f, x, 0, lda, y, 0, ldb, 0f, c, 0, n);
                long t1 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    gemm.invokeExact(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1f, sx, lda, sy, ldb, 0f, sc, n);
                }
                long t2 = System.nanoTime();
                if (i < 0) {
                    if (t2 < warm) i--;
                    continue;
                }
                ours[i] = flops / (t1 - t0);
                theirs[i] = flops / (t2 - t1);
                ratio[i] = ours[i] / theirs[i];
            }
        } catch (Throwable e) {
            throw new IllegalStateException("calling OpenBLAS failed: " + e, e);
        }
        Arrays.sort(ours);
        Arrays.sort(theirs);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "%dx%dx%d %s, %d thread(s): glassbox %.1f GFLOPS, OpenBLAS %.1f GFLOPS, ratio %.3f (median of %d pairs)%n",
                m, n, k, form, threads, ours[pairs / 2], theirs[pairs / 2], ratio[pairs / 2], pairs);
    }
}
