package dev.glassbox.spark;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.course.CnnRecipe;
import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Parameter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run on Spark ({@code local[2]}: two partitions, each computing the gradient of its share of
 * every batch) follows the single-process run with the same seed and batch: the same loss at every
 * step and the same final weights, within float rounding of the shares' sums.
 */
class DataParallelTest {
    private record Trained(List<Float> losses, float[] weights, Map<String, Object> metrics) {}

    private static Trained train(Recipe<TrainSettings> recipe, TrainSettings s, RunOptions run) throws Exception {
        List<Float> losses = new ArrayList<>();
        EventListener events = e -> {
            if (e instanceof TrainingEvent.Step st) losses.add(st.loss());
        };
        Recipe.Run r = recipe.train(s, run, events);
        return new Trained(losses, Weights.get(r.model().parameters()), r.metrics());
    }

    private static void assertSameRun(Trained local, Trained spark, double tolerance) {
        assertEquals(local.losses().size(), spark.losses().size(), "steps");
        for (int i = 0; i < local.losses().size(); i++) {
            float a = local.losses().get(i), b = spark.losses().get(i);
            assertEquals(a, b, tolerance * Math.max(1, Math.abs(a)), "loss at step " + (i + 1));
        }
        double worst = 0;
        for (int i = 0; i < local.weights().length; i++) {
            worst = Math.max(worst, Math.abs(local.weights()[i] - spark.weights()[i]) / Math.max(1, Math.abs(local.weights()[i])));
        }
        assertTrue(worst < tolerance, "final weights differ by up to " + worst);
    }

    @Test
    void dnnOnTwoPartitionsFollowsTheSingleProcessRun() throws Exception {
        DnnRecipe dnn = new DnnRecipe();
        TrainSettings s = dnn.settings("course").withEpochs(1);
        Trained local = train(dnn, s, RunOptions.NONE);
        Trained spark = train(dnn, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
        assertTrue(local.losses().size() >= 50, "an epoch of batches of 10");
        assertSameRun(local, spark, 1e-5);
        assertEquals(2, spark.metrics().get("workers"));
        assertTrue(((Double) spark.metrics().get("sync_ms_per_step")) >= 0);
        assertEquals(local.metrics().get("acc"), spark.metrics().get("acc"));
    }

    @Test
    void cnnWithAdamOnTwoPartitionsFollowsTheSingleProcessRun() throws Exception {
        CnnRecipe cnn = new CnnRecipe();
        TrainSettings s = cnn.settings("course").withEpochs(1).withSteps(40);
        Trained local = train(cnn, s, RunOptions.NONE);
        Trained spark = train(cnn, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
        assertEquals(40, spark.losses().size());
        assertSameRun(local, spark, 1e-4);
    }
}
