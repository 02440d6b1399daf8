package dev.glassbox.tensor;

import dev.glassbox.nn.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A weight's gradient written into the array of its previous one ({@link Tensor#gradArray}):
 * only where no caller was given that gradient, with the same values as a new array, and with a
 * weight used twice in one graph summed as before.
 */
class GradRecyclingTest {
    /** One step of y = x·Wᵀ + b, the loss Σ y ⊙ r, its gradients from none. */
    private static void step(Tensor x, Tensor w, Tensor b, Tensor r) {
        w.zeroGrad();
        b.zeroGrad();
        F.linear(x, w, b).mul(r).sum().backward();
    }

    @Test
    void aGradientNobodyWasGivenLendsItsArrayToTheNextStep() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 128, 784), w = Tensor.randn(g, 256, 784).requiresGrad(true), b = Tensor.randn(g, 256).requiresGrad(true);
        Tensor r = Tensor.randn(g, 128, 256);
        step(x, w, b, r);
        float[] first = w.gradData(), firstValues = first.clone();
        step(x, w, b, Tensor.randn(g, 128, 256));      // other values, written over the same array
        assertSame(first, w.gradData(), "the weight's gradient reuses the array of the last one");
        step(x, w, b, r);
        assertArrayEquals(firstValues, w.gradData(), 0f, "the same inputs give the same bits in a reused array");
        w.zeroGrad();
        F.linear(x, w.mul(1f), b).mul(r).sum().backward();   // the weight's gradient now comes through mul's rule
        assertNull(w.spareGrad, "a kept array no rule took is let go once the gradient arrives");
    }

    @Test
    void aGradientGivenToACallerIsNeverWrittenAgain() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, 64, 100), w = Tensor.randn(g, 30, 100).requiresGrad(true), b = Tensor.randn(g, 30).requiresGrad(true);
        step(x, w, b, Tensor.randn(g, 64, 30));
        Tensor kept = w.grad();                         // the caller keeps it
        float[] keptValues = kept.data().clone();
        step(x, w, b, Tensor.randn(g, 64, 30));
        assertNotSame(kept.data(), w.gradData(), "a gradient handed out keeps its own array");
        assertArrayEquals(keptValues, kept.data(), 0f, "and its values");
        Tensor set = Tensor.zeros(30, 100);
        w.setGrad(set);                                 // so does one a caller set
        w.zeroGrad();
        step(x, w, b, Tensor.randn(g, 64, 30));
        assertNotSame(set.data(), w.gradData());
        assertArrayEquals(new float[30 * 100], set.data(), 0f);
    }

    @Test
    void aWeightUsedTwiceSumsBothGradientsInAReusedArray() {
        Generator g = new Generator(5);
        Tensor x1 = Tensor.randn(g, 16, 40), x2 = Tensor.randn(g, 16, 40), w = Tensor.randn(g, 24, 40).requiresGrad(true);
        Tensor r1 = Tensor.randn(g, 16, 24), r2 = Tensor.randn(g, 16, 24);
        F.linear(x1, w, null).mul(r1).sum().add(F.linear(x2, w, null).mul(r2).sum()).backward();
        float[] expected = w.grad().data().clone();    // handed out: the next step has a new array
        for (int round = 0; round < 3; round++) {
            w.zeroGrad();
            assertNull(w.gradData());
            F.linear(x1, w, null).mul(r1).sum().add(F.linear(x2, w, null).mul(r2).sum()).backward();
            assertArrayEquals(expected, w.gradData(), 1e-5f, "round " + round);
        }
    }
}
