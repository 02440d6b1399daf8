package dev.glassbox.spark;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.course.AutoencoderRecipe;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.tensor.Tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs whose training has more than one kind of step: the autoencoder's four stages, each a
 * phase of the same workers. On {@code local[2]} each follows the single-process run.
 */
class PhasesTest {
    private record Trained(List<Float> losses, List<Integer> stages, Recipe.Run run) {}

    private static Trained train(Recipe<TrainSettings> recipe, TrainSettings s, RunOptions options) throws Exception {
        List<Float> losses = new ArrayList<>();
        List<Integer> stages = new ArrayList<>();
        Recipe.Run r = recipe.train(s, options, e -> {
            if (e instanceof TrainingEvent.Step st) losses.add(st.loss());
            if (e instanceof TrainingEvent.Stage st) stages.add(st.stage());
        });
        return new Trained(losses, stages, r);
    }

    /**
     * The same loss at every step and the same final weights and buffers, within {@code tolerance}
     * — but for the key third of an attention's {@code in_proj_bias}: a key bias adds the same to
     * every score of a query, which softmax ignores, so its gradient is zero but for rounding, and
     * Adam's step (g / √v) makes that rounding a step of the full rate either way.
     */
    static void assertSameRun(Trained local, Trained spark, double tolerance) {
        SameLosses.assertSameLosses(local.losses(), spark.losses(), tolerance);
        Map<String, Tensor> theirs = spark.run().model().stateDict();
        local.run().model().stateDict().forEach((name, mine) -> {
            float[] a = mine.data(), b = theirs.get(name).data();
            int keysFrom = name.endsWith("in_proj_bias") ? a.length / 3 : a.length, keysTo = name.endsWith("in_proj_bias") ? 2 * a.length / 3 : a.length;
            for (int i = 0; i < a.length; i++) {
                if (i >= keysFrom && i < keysTo) continue;
                assertEquals(a[i], b[i], tolerance * Math.max(1, Math.abs(a[i])), name + "[" + i + "]");
            }
        });
    }

    /**
     * The course's small models train on all three of its sentences each step: spread over two
     * workers (one sentence, then two), the sum of the shares is the step one process takes.
     */
    @Test
    void courseRnnAndTransformerOnTwoPartitionsFollowTheSingleProcessRun() throws Exception {
        for (Recipe<TrainSettings> recipe : List.of(new dev.glassbox.models.rnn.RnnRecipe(), new dev.glassbox.models.transformer.TransformerRecipe())) {
            TrainSettings s = recipe.settings("course").withEpochs(30);
            Trained local = train(recipe, s, RunOptions.NONE);
            Trained spark = train(recipe, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
            assertEquals(30, spark.losses().size(), recipe.name() + ": one step an epoch");
            assertSameRun(local, spark, 1e-4);
            assertEquals(local.run().metrics().get("acc"), spark.run().metrics().get("acc"), recipe.name());
        }
    }

    /** Each stage trains its own parameters from the images the workers hold, Z1 and Z2 encoded there: the same run, stage by stage. */
    @Test
    void autoencoderStagesOnTwoPartitionsFollowTheSingleProcessRun() throws Exception {
        AutoencoderRecipe ae = new AutoencoderRecipe();
        TrainSettings s = ae.settings("course").withEpochs(2);
        Trained local = train(ae, s, RunOptions.NONE);
        Trained spark = train(ae, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
        assertEquals(List.of(1, 2, 3, 4), spark.stages());
        assertTrue(local.losses().size() > 4 * 2 * 10, "four stages of two epochs of batches of 32");
        assertSameRun(local, spark, 1e-4);
        for (String k : List.of("recon_loss_stage1", "recon_loss_stage2", "acc_before_finetune", "acc")) {
            assertEquals(((Number) local.run().metrics().get(k)).doubleValue(), ((Number) spark.run().metrics().get(k)).doubleValue(), 1e-4, k);
        }
        assertEquals(2, spark.run().metrics().get("workers"));
    }

    /**
     * The DCGAN's two turns a batch, D's then G's through the updated D, with z drawn on the
     * driver: on one worker exactly the single-process run (BatchNorm's running statistics come
     * back with every step); on two, each normalises its half of the batch by its own statistics,
     * so the run differs, but it trains.
     */
    @Test
    void dcganTakesItsTwoTurnsOnTheWorkers() throws Exception {
        dev.glassbox.models.course.DcganRecipe gan = new dev.glassbox.models.course.DcganRecipe();
        TrainSettings s = gan.settings("course").withEpochs(1).withSteps(25);
        Trained local = train(gan, s, RunOptions.NONE);
        Trained one = train(gan, s, RunOptions.NONE.onCluster(new Cluster("local[1]", 0)));
        assertSameRun(local, one, 1e-4);
        for (String k : List.of("d_loss", "g_loss", "d_real", "d_fake", "test_d_real", "test_d_fake")) {
            assertEquals(((Number) local.run().metrics().get(k)).doubleValue(), ((Number) one.run().metrics().get(k)).doubleValue(), 1e-4, k);
        }
        Trained two = train(gan, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
        assertEquals(25, two.losses().size());
        double dReal = ((Number) two.run().metrics().get("test_d_real")).doubleValue(), dFake = ((Number) two.run().metrics().get("test_d_fake")).doubleValue();
        assertTrue(dReal > dFake, "D tells the held-out images (" + dReal + ") from G's (" + dFake + ")");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> gan.train(s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0, 4)), ev -> {}));
        assertEquals("syncEvery must be 1 for the dcgan: D and G step one after the other on each batch, G through the D of that step", e.getMessage());
    }
}
