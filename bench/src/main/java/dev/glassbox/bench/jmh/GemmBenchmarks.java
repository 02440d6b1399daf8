package dev.glassbox.bench.jmh;

import dev.glassbox.tensor.Blas;
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
 * JMH micro-benchmark of SGEMM at the W1 sizes, the transposed forms and W2's layer shapes. Run with
 * {@code bench/jmh.sh [regex]} (see bench/README.md); the workloads W1–W9 are in
 * {@code glassbox bench}, these are for tuning one kernel at a time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmarks {
    /** GEMM shape as "m,n,k,transA,transB": square sizes and the transposed forms backward passes use. */
    @Param({"256,256,256,f,f", "512,512,512,f,f", "1024,1024,1024,f,f", "1024,1024,1024,t,f", "1024,1024,1024,f,t",
            "128,256,784,f,t", "256,784,128,t,f"})
    public String gemm;

    private int m, nn, k;
    private Blas.Op opA, opB;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] s = gemm.split(",");
        m = Integer.parseInt(s[0]);
        nn = Integer.parseInt(s[1]);
        k = Integer.parseInt(s[2]);
        opA = s[3].equals("t") ? Blas.Op.T : Blas.Op.N;
        opB = s[4].equals("t") ? Blas.Op.T : Blas.Op.N;
        Random r = new Random(1);
        a = KernelBenchmarks.rand(r, m * k);
        b = KernelBenchmarks.rand(r, k * nn);
        c = new float[m * nn];
    }

    @Benchmark
    public float[] sgemm() {
        Blas.sgemm(opA, opB, m, nn, k, 1f, a, 0, opA == Blas.Op.T ? m : k, b, 0, opB == Blas.Op.T ? k : nn, 0f, c, 0, nn);
        return c;
    }
}
