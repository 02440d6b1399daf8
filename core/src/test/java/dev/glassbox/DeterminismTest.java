package dev.glassbox;

import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A seeded run gives the same bits every time, whichever JIT tier runs the kernels (the Vector
 * API's own exp and lane sums did not: results drifted while the JIT recompiled).
 */
class DeterminismTest {
    private static float[] train() {
        Generator g = new Generator(0);
        Sequential m = new Sequential(new Linear(100, 64, g), new Activations.Tanh(), new Linear(64, 32, g),
                new Activations.Sigmoid(), new Linear(32, 10, g));
        Adam opt = new Adam(m.parameters(), 1e-2f);
        Generator d = new Generator(5);
        for (int s = 0; s < 40; s++) {
            Tensor x = Tensor.randn(d, 64, 100);
            int[] y = new int[64];
            for (int i = 0; i < 64; i++) y[i] = d.nextInt(10);
            opt.zeroGrad();
            F.crossEntropy(m.forward(x), y).backward();
            opt.step();
        }
        return m.parameters().get(0).toArray();
    }

    @Test
    void seededTrainingIsBitIdenticalAcrossRuns() {
        float[] first = train();
        for (int run = 0; run < 4; run++) assertArrayEquals(first, train(), 0f, "run " + (run + 2) + " differs from run 1");
    }
}
