package dev.glassbox.optim;

import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Parameter;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An optimizer's state taken after some steps continues the run exactly in a fresh optimizer. */
class OptimizerStateTest {
    private static final Tensor X = Tensor.rand(new Generator(3), 8, 4);
    private static final int[] Y = {0, 1, 2, 0, 1, 2, 0, 1};

    private static void steps(Linear net, Optimizer opt, int n) {
        for (int i = 0; i < n; i++) {
            opt.zeroGrad();
            F.crossEntropy(net.forward(X), Y).backward();
            opt.step();
        }
    }

    private static void continuesExactly(Function<List<Parameter>, Optimizer> make) {
        Linear straight = new Linear(4, 3, new Generator(1));
        Optimizer a = make.apply(straight.parameters());
        steps(straight, a, 3);
        Optimizer.State mid = a.state();
        var weightsMid = straight.stateDict().values().stream().map(t -> t.data().clone()).toList();
        steps(straight, a, 4);

        Linear resumed = new Linear(4, 3, new Generator(99));
        var own = resumed.stateDict().values().stream().toList();
        for (int i = 0; i < own.size(); i++) System.arraycopy(weightsMid.get(i), 0, own.get(i).data(), 0, weightsMid.get(i).length);
        Optimizer b = make.apply(resumed.parameters());
        b.loadState(mid);
        assertEquals(3, b.steps());
        steps(resumed, b, 4);
        assertArrayEquals(straight.weight.data(), resumed.weight.data(), 0f);
        assertArrayEquals(straight.bias.data(), resumed.bias.data(), 0f);
    }

    @Test
    void adamAdamWAndSgdWithMomentumContinueBitForBit() {
        continuesExactly(p -> new Adam(p, 0.05f));
        continuesExactly(p -> new AdamW(p, 0.05f));
        continuesExactly(p -> new SGD(p, 0.1f).momentum(0.9f).nesterov());
    }

    @Test
    void stateUsesPyTorchsBufferNamesAndCopies() {
        Linear net = new Linear(4, 3, new Generator(1));
        Adam adam = new Adam(net.parameters(), 0.01f);
        assertTrue(adam.state().buffers().isEmpty(), "no buffers before the first step");
        steps(net, adam, 1);
        var s = adam.state();
        assertEquals(List.of("0.exp_avg", "0.exp_avg_sq", "1.exp_avg", "1.exp_avg_sq"), s.buffers().keySet().stream().sorted().toList());
        s.buffers().get("0.exp_avg")[0] = 1e9f;
        assertTrue(adam.state().buffers().get("0.exp_avg")[0] != 1e9f, "state() hands out copies");
        SGD sgd = new SGD(net.parameters(), 0.1f).momentum(0.5f);
        steps(net, sgd, 1);
        assertEquals(List.of("0.momentum_buffer", "1.momentum_buffer"), sgd.state().buffers().keySet().stream().sorted().toList());
    }

    @Test
    void aStateOfAnotherShapeOrKindIsRefusedByName() {
        Linear net = new Linear(4, 3, new Generator(1));
        Adam adam = new Adam(net.parameters(), 0.01f);
        steps(net, adam, 1);
        SGD sgd = new SGD(net.parameters(), 0.1f);
        var e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(adam.state()));
        assertTrue(e.getMessage().contains("no buffer '0.exp_avg'"), e.getMessage());
        Linear bigger = new Linear(5, 3, new Generator(1));
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Adam(bigger.parameters(), 0.01f).loadState(adam.state()));
        assertTrue(e2.getMessage().contains("12 values for a parameter of 15"), e2.getMessage());
    }

    @Test
    void aSchedulerResumesAtItsLastEpoch() {
        Linear net = new Linear(4, 3, new Generator(1));
        SGD opt = new SGD(net.parameters(), 1f);
        var cos = new LRScheduler.CosineAnnealingLR(opt, 10, 0f);
        for (int i = 0; i < 4; i++) cos.step();
        float at4 = opt.lr();
        SGD other = new SGD(net.parameters(), 1f);
        var resumed = new LRScheduler.CosineAnnealingLR(other, 10, 0f);
        resumed.setLastEpoch(4);
        assertEquals(at4, other.lr(), 0f);
        cos.step();
        resumed.step();
        assertEquals(opt.lr(), other.lr(), 0f);
        assertEquals(5, resumed.lastEpoch());
    }

    @Test
    void gradNormIsNotFiniteWhenAGradientIsNot() {
        Linear net = new Linear(4, 3, new Generator(1));
        F.crossEntropy(net.forward(X), Y).backward();
        assertTrue(Float.isFinite(ClipGrad.gradNorm(net.parameters())));
        assertTrue(ClipGrad.gradIsFinite(net.weight));
        net.bias.grad().data()[1] = Float.NaN;
        assertTrue(Float.isNaN(ClipGrad.gradNorm(net.parameters())));
        assertTrue(!ClipGrad.gradIsFinite(net.bias) && ClipGrad.gradIsFinite(net.weight));
        net.weight.grad().data()[0] = 1e30f;   // finite, but its square overflows a float
        assertTrue(ClipGrad.gradIsFinite(net.weight));
    }
}
