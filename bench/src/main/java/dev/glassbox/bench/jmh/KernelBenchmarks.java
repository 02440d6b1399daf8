package dev.glassbox.bench.jmh;

import dev.glassbox.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH micro-benchmarks of the elementwise, reduction and softmax kernels, through the tensor
 * operations that run them (the bench module stays above core's kernels); {@link ScalarTwins}
 * runs the same in a JVM started with {@code -Dglassbox.simd=false}, so each kernel is timed
 * beside its scalar twin. Run with {@code bench/jmh.sh [regex]} (see bench/README.md); the
 * workloads W1–W9 are in {@code glassbox bench}, these are for tuning one kernel at a time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class KernelBenchmarks {
    @Param({"1023", "65536"})
    public int n;

    private Tensor x, y, rows;

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = Tensor.of(rand(r, n), n);
        y = Tensor.of(rand(r, n), n);
        int width = Math.min(n, 1023);
        rows = Tensor.of(rand(r, n / width * width), n / width, width);
    }

    /** Seeded normal values. */
    static float[] rand(Random r, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Benchmark
    public Tensor add() { return x.add(y); }

    @Benchmark
    public Tensor sigmoid() { return x.sigmoid(); }

    @Benchmark
    public Tensor sum() { return x.sum(); }

    @Benchmark
    public Tensor softmaxRows() { return rows.softmax(-1); }

    /** The same benchmarks on the scalar twins. */
    @Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dglassbox.simd=false"})
    public static class ScalarTwins extends KernelBenchmarks {}
}
