package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    @Test
    void linearInitialisesLikeTorch() {
        Linear l = new Linear(25, 400, new Generator(1));
        float bound = 1f / 5f;   // 1/sqrt(25)
        float max = 0f;
        for (float v : l.weight.data()) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.9f * bound, "uniform over the whole range");
        for (float v : l.bias.data()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[] {400, 25}, l.weight.shape());
        assertNull(new Linear(3, 2, new Generator(1), Linear.Bias.NONE).bias);
    }

    @Test
    void parameterNamesFollowTorch() {
        Sequential s = new Sequential(new Linear(4, 3), new Activations.Sigmoid(), new Linear(3, 2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), List.copyOf(s.namedParameters().keySet()));
        assertEquals(4 * 3 + 3 + 3 * 2 + 2, s.parameterCount());
        assertArrayEquals(new int[] {5, 2}, s.forward(Tensor.zeros(5, 4)).shape());
        assertTrue(s.toString().contains("(0): Linear(in_features=4, out_features=3, bias=true)"), s.toString());
    }

    @Test
    void stateDictRoundTripsAndChecksShapes() {
        Sequential a = new Sequential(new Linear(4, 3, new Generator(1)));
        Sequential b = new Sequential(new Linear(4, 3, new Generator(2)));
        assertNotEquals(a.stateDict().get("0.weight").get(0, 0), b.stateDict().get("0.weight").get(0, 0));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.stateDict().get("0.weight").data(), b.stateDict().get("0.weight").data());
        var e = assertThrows(IllegalArgumentException.class,
                () -> b.loadStateDict(Map.of("0.weight", Tensor.zeros(3, 5), "0.bias", Tensor.zeros(3))));
        assertEquals("loadStateDict: size mismatch for 0.weight: the file has [3, 5], the model has [3, 4]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(Map.of("0.weight", Tensor.zeros(3, 4), "x", Tensor.zeros(1))));
        assertTrue(e.getMessage().contains("missing keys [0.bias]") && e.getMessage().contains("unexpected keys [x]"), e.getMessage());
    }

    /**
     * Frozen parameters take no gradient while the input's still flows through them; parameters
     * already off stay off, the others come back on when the scope closes.
     */
    @Test
    void freezeStopsWeightGradientsButNotTheInputs() {
        Linear first = new Linear(4, 3, new Generator(1)), second = new Linear(3, 2, new Generator(2));
        second.bias.requiresGrad(false);   // off before: stays off
        Tensor x = Tensor.rand(new Generator(3), 5, 4).requiresGrad(true);
        Tensor want = second.forward(first.forward(x)).sum();
        want.backward();
        float[] wantX = x.grad().data().clone(), wantFirst = first.weight.grad().data().clone();
        x.zeroGrad();
        first.weight.zeroGrad();
        second.weight.zeroGrad();
        try (var ignored = Parameter.freeze(second.parameters())) {
            assertTrue(!second.weight.requiresGrad() && !second.bias.requiresGrad());
            second.forward(first.forward(x)).sum().backward();
        }
        assertArrayEquals(wantX, x.grad().data(), 0f, "the input's gradient through the frozen layer");
        assertArrayEquals(wantFirst, first.weight.grad().data(), 0f, "the layer before it trains as before");
        assertNull(second.weight.grad(), "no gradient for the frozen weight");
        assertTrue(second.weight.requiresGrad(), "on again after the scope");
        assertTrue(!second.bias.requiresGrad(), "a parameter that was off stays off");
    }

    @Test
    void dropoutOnlyInTraining() {
        Dropout d = new Dropout(0.5f, new Generator(4));
        Tensor x = Tensor.ones(1000);
        Tensor y = d.forward(x);
        int zeros = 0;
        for (float v : y.data()) {
            assertTrue(v == 0f || v == 2f);
            if (v == 0f) zeros++;
        }
        assertTrue(zeros > 400 && zeros < 600, "about half dropped: " + zeros);
        d.eval();
        assertSame(x, d.forward(x));
    }

    @Test
    void embeddingLooksUpRowsAndRejectsUnknownIds() {
        Embedding e = new Embedding(5, 3, new Generator(1));
        Tensor v = e.forward(new int[] {4, 0, 4, 1}, 2, 2);
        assertArrayEquals(new int[] {2, 2, 3}, v.shape());
        assertEquals(e.weight.get(4, 2), v.get(0, 0, 2));
        v.sum().backward();
        assertEquals(2f, e.weight.grad().get(4, 0));
        assertEquals(0f, e.weight.grad().get(2, 0));
        var ex = assertThrows(IndexOutOfBoundsException.class, () -> e.forward(new int[] {5}));
        assertEquals("Embedding: id 5 at position 0 is out of range for 5 embeddings", ex.getMessage());
    }

    @Test
    void lossesRejectMismatchedInputs() {
        var e = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(Tensor.zeros(4, 1), Tensor.zeros(4)));
        assertEquals("mse_loss: input [4, 1] and target [4] differ in shape", e.getMessage());
        var ix = assertThrows(IndexOutOfBoundsException.class, () -> F.crossEntropy(Tensor.zeros(2, 3), new int[] {0, 3}));
        assertEquals("cross_entropy: label 3 at position 1 is out of range for 3 classes", ix.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.binaryCrossEntropy(Tensor.full(1.5f, 2), Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("probabilities"), e.getMessage());
    }

    @Test
    void fusedOpsAgreeWithTheirCompositions() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 4, 6), w = Tensor.randn(g, 3, 6), b = Tensor.randn(g, 3);
        assertArrayEquals(x.matmul(w.t()).add(b).data(), F.linear(x, w, b).data(), 1e-5f);
        int[] labels = {0, 2, 1, 2};
        Tensor logits = Tensor.randn(g, 4, 3);
        assertEquals(F.nllLoss(logits.logSoftmax(1), labels).item(), F.crossEntropy(logits, labels).item(), 1e-6f);
        Tensor z = Tensor.randn(g, 8), t = Tensor.rand(g, 8);
        Tensor composed = z.relu().sub(z.mul(t)).add(z.abs().neg().exp().add(1f).log()).mean();
        assertEquals(composed.item(), F.binaryCrossEntropyWithLogits(z, t).item(), 1e-6f);
        assertEquals(F.binaryCrossEntropy(z.sigmoid(), t).item(), F.binaryCrossEntropyWithLogits(z, t).item(), 1e-5f);
    }

    /** reduction='sum' is one node: the same bits as the elementwise losses summed, forward and backward, both inputs. */
    @Test
    void bceWithLogitsSumIsTheElementwiseLossesSummed() {
        Generator g = new Generator(6);
        for (int n : new int[] {5, 128 * 784}) {
            Tensor z1 = Tensor.randn(g, n).mul(3f).requiresGrad(true), t1 = Tensor.rand(g, n).requiresGrad(true);
            Tensor z2 = z1.detach().requiresGrad(true), t2 = t1.detach().requiresGrad(true);
            Tensor fused = F.binaryCrossEntropyWithLogits(z1, t1, Reduction.SUM);
            Tensor composed = F.binaryCrossEntropyWithLogits(z2, t2, Reduction.NONE).sum();
            assertEquals(Float.floatToIntBits(composed.item()), Float.floatToIntBits(fused.item()), "n=" + n);
            fused.mul(0.7f).backward();
            composed.mul(0.7f).backward();
            assertArrayEquals(z2.grad().data(), z1.grad().data(), 0f, "d/dz, n=" + n);
            assertArrayEquals(t2.grad().data(), t1.grad().data(), 0f, "d/dt, n=" + n);
        }
    }
}
