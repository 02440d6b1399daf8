package dev.glassbox.bench.jmh;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The fixed cost of one op on a tiny tensor, with and without the graph recorded, and a backward. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class OpOverheadBenchmarks {
    private Tensor a, b, w;

    @Setup
    public void setup() {
        a = Tensor.rand(new Generator(1), 2, 3);
        b = Tensor.rand(new Generator(2), 2, 3);
        w = Tensor.rand(new Generator(3), 2, 3).requiresGrad(true);
    }

    @Benchmark
    public Tensor add() { return a.add(b); }

    @Benchmark
    public Tensor sigmoid() { return a.sigmoid(); }

    @Benchmark
    public Tensor mulRecorded() { return w.mul(b); }

    @Benchmark
    public Tensor mulSumBackward() {
        w.zeroGrad();
        w.mul(b).sum().backward();
        return w.grad();
    }
}
