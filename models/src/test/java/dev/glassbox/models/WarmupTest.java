package dev.glassbox.models;

import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The background warm-up (one a process, so one test) steps every kind of network and leaves a real run's bits alone. */
class WarmupTest {
    @Test
    void stepsEveryKindBesideATrainingThatGivesTheSameBitsAndStopsWhenAsked() throws InterruptedException {
        float[] alone = train();

        List<Warmup.Kind> kinds = List.of(Warmup.Kind.values());
        assertTrue(Warmup.start(TimeUnit.SECONDS.toNanos(120), kinds), "the first start starts it");
        assertFalse(Warmup.start(Warmup.Kind.DENSE), "one a process");
        float[] beside = train();   // the pool's threads on this thread's kernels, the warm-up's on its own
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        while (Warmup.steps() < kinds.size() && Warmup.running() && System.nanoTime() < until) Thread.sleep(20);
        assertNull(Warmup.failure(), "the warm-up failed");
        assertTrue(Warmup.steps() >= kinds.size(), "each kind took a step: " + Warmup.steps() + " steps");
        Warmup.stop();
        assertTrue(Warmup.awaitEnd(30_000), "the warm-up ends after the operation it is in");

        assertArrayEquals(alone, beside, 0f, "a training beside the warm-up has the bits it has alone");
    }

    /** Each recipe warms the kind of network it trains. */
    @Test
    void eachRecipeWarmsItsKind() {
        assertEquals(List.of(Warmup.Kind.CONV), Warmup.kindsOf("cnn"));
        assertEquals(List.of(Warmup.Kind.GAN), Warmup.kindsOf("dcgan"));
        assertEquals(List.of(Warmup.Kind.RECURRENT), Warmup.kindsOf("lstm"));
        assertEquals(List.of(Warmup.Kind.ATTENTION), Warmup.kindsOf("transformer"));
        assertEquals(List.of(Warmup.Kind.DENSE), Warmup.kindsOf("vae"));
        assertEquals(List.of(), Warmup.kindsOf("word2vec"), "word2vec runs kernels of its own");
        for (Recipe<?> r : Recipes.all()) assertTrue(Warmup.kindsOf(r.name()).size() <= 1, r.name());
    }

    /** Twenty Adam steps of a small MLP on fixed data: its first layer's weights after them. */
    private static float[] train() {
        Generator g = new Generator(7);
        Linear first = new Linear(64, 96, g);
        var model = new Sequential(first, new Activations.ReLU(), new Linear(96, 10, g));
        Adam opt = new Adam(model.parameters(), 1e-2f);
        Tensor x = Tensor.rand(g, 256, 64);
        int[] y = IntStream.range(0, 256).map(i -> i % 10).toArray();
        for (int s = 0; s < 20; s++) {
            opt.zeroGrad();
            F.crossEntropy(model.forward(x), y).backward();
            opt.step();
        }
        return first.weight.data().clone();
    }
}
