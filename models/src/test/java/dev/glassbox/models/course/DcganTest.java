package dev.glassbox.models.course;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DcganTest {
    @TempDir
    Path dir;

    /** The shapes of the course's and W9's networks: z → image of the side, image → one logit. */
    @Test
    void shapesAreTheCoursesAndW9s() {
        Dcgan course = new Dcgan(8, 16, 32, 16, 16, 32, new Generator(1));
        assertArrayEquals(new int[] {3, 1, 8, 8}, course.generator.forward(Tensor.randn(new Generator(2), 3, 16)).shape());
        assertArrayEquals(new int[] {3, 1}, course.forward(Tensor.randn(new Generator(2), 3, 16)).shape());
        Dcgan w9 = new Dcgan(28, 100, 128, 64, 64, 128, new Generator(1));
        Tensor img = w9.generator.forward(Tensor.randn(new Generator(2), 2, 100));
        assertArrayEquals(new int[] {2, 1, 28, 28}, img.shape());
        for (float v : img.data()) assertTrue(v > -1f && v < 1f, "tanh's range");
        assertArrayEquals(new int[] {2, 1}, w9.discriminator.forward(img).shape());
        assertThrows(IllegalArgumentException.class, () -> new Dcgan(10, 16, 8, 8, 8, 8, new Generator(1)));
    }

    /** D's step changes only D's weights, G's step only G's: over a run each net moves, and D's steps alone never touch G. */
    @Test
    void eachStepUpdatesItsOwnNetwork() throws IOException {
        DcganRecipe r = (DcganRecipe) Recipes.get("dcgan");
        Dcgan fresh = r.build("course", new Generator(42));
        Map<String, float[]> g0 = values(fresh.generator.namedParameters()), d0 = values(fresh.discriminator.namedParameters());
        List<Float> dLoss = new ArrayList<>(), gLoss = new ArrayList<>();
        var run = Runs.train("dcgan", "course", t -> t.withSteps(3), RunOptions.NONE, e -> {
            if (e instanceof TrainingEvent.Step s) {
                dLoss.add(s.metrics().get("d_loss"));
                gLoss.add(s.metrics().get("g_loss"));
            }
        });
        Dcgan trained = (Dcgan) run.model();
        Map<String, float[]> g1 = values(trained.generator.namedParameters()), d1 = values(trained.discriminator.namedParameters());
        for (String k : g0.keySet()) assertFalse(Arrays.equals(g0.get(k), g1.get(k)), "G's " + k + " moved");
        for (String k : d0.keySet()) assertFalse(Arrays.equals(d0.get(k), d1.get(k)), "D's " + k + " moved");
        assertEquals(3, dLoss.size());
        // the first D loss is 2·ln 2-ish for an untrained D (both halves near 0.5), G's near ln 2
        assertEquals(2 * Math.log(2), dLoss.getFirst(), 0.3);
        assertEquals(Math.log(2), gLoss.getFirst(), 0.3);
    }

    /**
     * G's step computes no gradient for D's weights (PyTorch's loop computes them and D's next
     * step clears them unread): one training step gives the same bits in both networks as the
     * plain loop that lets D's weights take G's gradients, D's gradients are those of D's own
     * step, and D's parameters require gradients again after it.
     */
    @Test
    void generatorStepLeavesDsGradientsAloneWithTheSameUpdates() throws IOException {
        Tensor images = Tensor.rand(new Generator(5), 16, 64);
        TensorDataset data = TensorDataset.ofLabels(images, new int[16]);
        Dcgan fast = new Dcgan(8, 16, 32, 16, 16, 32, new Generator(3)), plain = new Dcgan(8, 16, 32, 16, 16, 32, new Generator(3));
        new Trainer<>(DcganRecipe.trainingTask(fast, 2e-3f, new LoaderBatches(data, 16, new Generator(1)), new Generator(2))).maxSteps(1).fit(e -> { });

        LoaderBatches batches = new LoaderBatches(data, 16, new Generator(1));
        batches.startEpoch();
        TensorDataset.Batch b = batches.next();
        Adam dOpt = new Adam(plain.discriminator.parameters(), 2e-3f).betas(0.5f, 0.999f), gOpt = new Adam(plain.generator.parameters(), 2e-3f).betas(0.5f, 0.999f);
        Tensor fake = plain.generator.forward(Tensor.randn(new Generator(2), 16, plain.latent));
        dOpt.zeroGrad();
        Dcgan.discriminatorLoss(plain.discriminate(b.inputs()), plain.discriminator.forward(fake.detach())).backward();
        dOpt.step();
        Map<String, float[]> dGrads = new java.util.LinkedHashMap<>();
        plain.discriminator.namedParameters().forEach((k, p) -> dGrads.put(k, p.grad().data().clone()));
        gOpt.zeroGrad();
        Dcgan.against(plain.discriminator.forward(fake), 1f).backward();   // D's weights take gradients too
        gOpt.step();

        Map<String, float[]> want = values(plain.namedParameters()), got = values(fast.namedParameters());
        for (String k : want.keySet()) assertArrayEquals(want.get(k), got.get(k), 0f, k + " after one step");
        fast.discriminator.namedParameters().forEach((k, p) -> {
            assertTrue(p.requiresGrad(), "D's " + k + " requires a gradient again");
            assertArrayEquals(dGrads.get(k), p.gradData(), 0f, "D's " + k + " has only its own step's gradient");
        });
    }

    /**
     * The workers' G turn (a run on a cluster) is the single-process G step: D's weights take no
     * gradient and require one again after, G's gradients are those of the plain backward.
     */
    @Test
    void workersGeneratorTurnLeavesDsWeightsWithoutGradients() throws IOException {
        DcganRecipe r = new DcganRecipe();
        var replica = r.replica(dev.glassbox.models.SettingsJson.write(r.settings("course")));
        Dcgan frozen = (Dcgan) replica.model().get(), plain = (Dcgan) replica.model().get();
        plain.loadStateDict(frozen.stateDict());
        TensorDataset.Batch b = replica.train().part(0, 16).batch(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        Tensor z = Tensor.randn(new Generator(4), 8, frozen.latent);

        replica.phase(1).backward(frozen, b, z, 1f);
        replica.phase(1).loss().apply(plain, b, z).loss().backward();   // D's weights take gradients too
        frozen.discriminator.namedParameters().forEach((k, p) -> {
            assertNull(p.grad(), "D's " + k + " took a gradient in G's turn");
            assertTrue(p.requiresGrad(), "D's " + k + " requires a gradient again");
            assertNotNull(plain.discriminator.namedParameters().get(k).grad(), "without freezing, D's " + k + " has one");
        });
        frozen.generator.namedParameters().forEach((k, p) ->
                assertArrayEquals(plain.generator.namedParameters().get(k).grad().data(), p.grad().data(), 0f, "G's " + k));
    }

    /** The course's GAN trains, saves, reloads to the same scores, and draws new images in [0, 1]. */
    @Test
    void courseGanTrainsSavesAndSamples() throws IOException {
        DcganRecipe r = (DcganRecipe) Recipes.get("dcgan");
        Path f = dir.resolve("gan.safetensors");
        var run = Runs.train("dcgan", "course", t -> t.withEpochs(4), RunOptions.saveTo(f), EventListener.NONE);
        Map<String, Object> m = run.metrics();
        for (String k : List.of("d_loss", "g_loss", "d_real", "d_fake", "test_d_real", "test_d_fake")) assertTrue(m.containsKey(k), k + " in " + m);
        for (String k : List.of("d_real", "d_fake")) {
            double p = ((Number) m.get(k)).doubleValue();
            assertTrue(p > 0 && p < 1, k + " is a probability: " + p);
        }
        var loaded = r.load(f);
        assertEquals(m.get("test_d_real"), r.evaluate(loaded, null, 42).get("test_d_real"), "the reloaded D scores the same");
        Map<String, Object> scored = r.evaluate(loaded, null, 42, EventListener.NONE);
        for (String k : List.of("sample_fd", "sample_confidence", "sample_class_entropy")) {
            assertEquals(m.get(k), scored.get(k), k + ": eval samples the reloaded G as training did (the same z, the same scorer)");
        }
        ImageSampler.Images im = r.sampleImages(loaded, 5, 3);
        assertEquals(5 * 64, im.pixels().length);
        for (float v : im.pixels()) assertTrue(v >= 0f && v <= 1f, "a pixel " + v);
    }

    private static Map<String, float[]> values(Map<String, ? extends Tensor> params) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    /** explain dcgan: D's step then G's, each moving only its own network, every number recomputed; a trained model too. */
    @Test
    void explanationIsTheEnginesStep() throws IOException {
        DcganRecipe r = (DcganRecipe) Recipes.get("dcgan");
        var t = (dev.glassbox.models.explain.Trace) r.explain(null, dev.glassbox.models.explain.ExplainRequest.of(2e-3f, 42));
        dev.glassbox.models.explain.GanTraceCheck.verify(t);
        var trained = Runs.train("dcgan", "course", x -> x.withEpochs(2)).model();
        dev.glassbox.models.explain.GanTraceCheck.verify((dev.glassbox.models.explain.Trace) r.explain(trained,
                dev.glassbox.models.explain.ExplainRequest.of(1e-3f, 7)));
        var input = assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> r.explain(null, dev.glassbox.models.explain.ExplainRequest.of(2e-3f, 42).withInput(List.of("0.5"), null)));
        assertEquals("input", input.setting());
    }

    /** A GAN can diverge: the run stops at the step, naming the network whose loss ran away, and an earlier checkpoint stays as it was. */
    @Test
    void divergenceNamesTheNetworkAndKeepsTheCheckpoint() throws IOException {
        Path f = dir.resolve("gan.safetensors");
        Runs.train("dcgan", "course", t -> t.withEpochs(1), RunOptions.saveTo(f), EventListener.NONE);
        byte[] before = java.nio.file.Files.readAllBytes(f);
        var e = assertThrows(dev.glassbox.models.train.DivergedException.class,
                () -> Runs.train("dcgan", "course", t -> t.withEpochs(3).withLr(1000f), RunOptions.saveTo(f), EventListener.NONE));
        assertTrue(e.getMessage().matches("training diverged at step \\d+: the (discriminator|generator)'s loss .*"), e.getMessage());
        assertArrayEquals(before, java.nio.file.Files.readAllBytes(f), "the last good checkpoint is untouched");
    }
}
