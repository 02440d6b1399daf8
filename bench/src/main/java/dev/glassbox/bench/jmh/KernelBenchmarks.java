package dev.glassbox.bench.jmh;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.ScalarKernels;
import dev.glassbox.kernels.UnaryOp;
import dev.glassbox.kernels.VectorKernels;
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
 * JMH micro-benchmarks of the elementwise, reduction and softmax kernels, each beside its scalar twin. Run with
 * {@code bench/jmh.sh [regex]} (see bench/README.md); the workloads W1–W9 are in
 * {@code glassbox bench}, these are for tuning one kernel at a time.
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

    private float[] x, y, out;

    @Setup
    public void setup() {
        Random r = new Random(1);
        x = rand(r, n);
        y = rand(r, n);
        out = new float[n];
    }

    /** Seeded normal values. */
    static float[] rand(Random r, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    @Benchmark
    public float[] addVector() {
        VectorKernels.binary(BinaryOp.ADD, n, x, 0, 1, y, 0, 1, out, 0);
        return out;
    }

    @Benchmark
    public float[] addScalarTwin() {
        ScalarKernels.binary(BinaryOp.ADD, n, x, 0, 1, y, 0, 1, out, 0);
        return out;
    }

    @Benchmark
    public float[] sigmoidVector() {
        VectorKernels.unary(UnaryOp.SIGMOID, n, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float[] sigmoidScalarTwin() {
        ScalarKernels.unary(UnaryOp.SIGMOID, n, x, 0, out, 0);
        return out;
    }

    @Benchmark
    public float sumVector() { return VectorKernels.sum(n, x, 0); }

    @Benchmark
    public float sumScalarTwin() { return ScalarKernels.sum(n, x, 0); }

    @Benchmark
    public float[] softmaxRowsVector() {
        VectorKernels.softmaxRows(n / 1023 == 0 ? 1 : n / 1023, Math.min(n, 1023), x, 0, out, 0, false);
        return out;
    }

    @Benchmark
    public float[] softmaxRowsScalarTwin() {
        ScalarKernels.softmaxRows(n / 1023 == 0 ? 1 : n / 1023, Math.min(n, 1023), x, 0, out, 0, false);
        return out;
    }
}
