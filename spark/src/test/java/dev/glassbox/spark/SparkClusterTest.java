package dev.glassbox.spark;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.course.CnnRecipe;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cluster on this machine: a standalone Master and three Workers, each a JVM of its own on
 * 127.0.0.1. The CNN trained on two of its executors follows the single-process run; with one
 * worker killed in the middle of a run, Spark re-runs the lost tasks (reloading the lost part of
 * the training set on the third worker) and the run still ends as the single-process run does.
 */
class SparkClusterTest {
    @TempDir static Path dir;
    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneCluster.start(3, 1536, dir);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    private record Trained(List<Float> losses, float[] weights, Object acc) {}

    private static Trained train(RunOptions run, Runnable atStep5) throws Exception {
        CnnRecipe cnn = new CnnRecipe();
        TrainSettings s = cnn.settings("course").withEpochs(1).withSteps(20);
        List<Float> losses = new ArrayList<>();
        EventListener events = e -> {
            if (e instanceof TrainingEvent.Step st) {
                losses.add(st.loss());
                if (st.step() == 5) atStep5.run();
            }
        };
        Recipe.Run r = cnn.train(s, run, events);
        return new Trained(losses, Weights.get(r.model().parameters()), r.metrics().get("acc"));
    }

    private static void assertSame(Trained local, Trained spark) {
        SameLosses.assertSameLosses(local.losses(), spark.losses(), 1e-4);
        for (int i = 0; i < local.weights().length; i++) assertEquals(local.weights()[i], spark.weights()[i], 1e-4, "weight " + i);
        assertEquals(local.acc(), spark.acc());
    }

    @Test
    void cnnOnTwoExecutorsFollowsTheSingleProcessRunAndSurvivesAWorkerKilled() throws Exception {
        Trained local = train(RunOptions.NONE, () -> {});
        RunOptions onCluster = RunOptions.NONE.onCluster(new Cluster(cluster.url(), 2));
        assertSame(local, train(onCluster, () -> {}));

        int[] killed = {-1};
        Trained faulty = train(onCluster, () -> {
            killed[0] = cluster.workerWithExecutor();
            cluster.killWorker(killed[0]);
        });
        assertTrue(killed[0] >= 0, "a worker ran an executor");
        assertSame(local, faulty);
    }

    @Test
    void moreExecutorsThanTheClusterHasIsAnErrorAfterTheTimeout() {
        System.setProperty("glassbox.spark.timeout", "5");
        try {
            var e = assertThrows(InvalidSettingException.class, () -> train(RunOptions.NONE.onCluster(new Cluster(cluster.url(), 5)), () -> {}));
            assertTrue(e.getMessage().startsWith("spark the master at " + cluster.url() + " gave ") && e.getMessage().contains(" of the 5 executors asked for within 5 s"),
                    e.getMessage());
        } finally {
            System.clearProperty("glassbox.spark.timeout");
        }
    }

    @Test
    void aMasterThatDoesNotAnswerIsNamedAtOnce() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "spark://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        var e = assertThrows(InvalidSettingException.class, () -> train(RunOptions.NONE.onCluster(new Cluster(url, 2)), () -> {}));
        assertTrue(e.getMessage().startsWith("spark no Spark master answers at " + url), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "no waiting for Spark's retries");
    }
}
