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
    private record Trained(List<Float> losses, float[] weights, Map<String, Object> metrics, List<Boolean> workerEvents) {
        Trained(List<Float> losses, float[] weights, Map<String, Object> metrics) { this(losses, weights, metrics, List.of()); }
    }

    private static Trained train(Recipe<TrainSettings> recipe, TrainSettings s, RunOptions run) throws Exception {
        return train(recipe, s, run, new ArrayList<>());
    }

    private static Trained train(Recipe<TrainSettings> recipe, TrainSettings s, RunOptions run, List<Map<String, Float>> figures) throws Exception {
        List<Float> losses = new ArrayList<>();
        List<Boolean> workers = new ArrayList<>();
        EventListener events = e -> {
            if (e instanceof TrainingEvent.Workers w) workers.add(w.ready());
            if (e instanceof TrainingEvent.Step st) {
                losses.add(st.loss());
                figures.add(st.metrics());
            }
        };
        Recipe.Run r = recipe.train(s, run, events);
        return new Trained(losses, Weights.get(r.model().parameters()), r.metrics(), workers);
    }

    private static void assertSameRun(Trained local, Trained spark, double tolerance) {
        SameLosses.assertSameLosses(local.losses(), spark.losses(), tolerance);
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
        assertEquals(List.of(false, true), spark.workerEvents(), "the workers' start, then their being ready, told as events");
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

    /** One worker taking rounds of five local steps is the single-process run: the optimizer's state goes there and back whole. */
    @Test
    void roundsOfLocalStepsOnOneWorkerAreTheSingleProcessRun() throws Exception {
        CnnRecipe cnn = new CnnRecipe();
        TrainSettings s = cnn.settings("course").withEpochs(2);
        Trained local = train(cnn, s, RunOptions.NONE);
        Trained rounds = train(cnn, s, RunOptions.NONE.onCluster(new Cluster("local[1]", 0, 5)));
        int batches = local.losses().size() / 2;
        assertEquals(2 * ((batches + 4) / 5), rounds.losses().size(), "a step is a round of up to five batches, an epoch's last one shorter");
        double worst = 0;
        for (int i = 0; i < local.weights().length; i++) worst = Math.max(worst, Math.abs(local.weights()[i] - rounds.weights()[i]));
        assertTrue(worst < 1e-4, "final weights differ by up to " + worst);
        assertEquals(5, rounds.metrics().get("sync_every"));
        double mean = 0;
        for (int i = 0; i < 5; i++) mean += local.losses().get(i) / 5;
        assertEquals(mean, rounds.losses().get(0), 1e-4, "a round's loss is the mean of its batches' losses");
    }

    /** Two workers averaging every four steps train the CNN nearly as well as summing every step does, in a quarter of the synchronisations. */
    @Test
    void averagingEveryFourStepsOnTwoWorkersLearns() throws Exception {
        CnnRecipe cnn = new CnnRecipe();
        TrainSettings s = cnn.settings("course").withEpochs(3);
        Trained local = train(cnn, s, RunOptions.NONE);
        Trained averaged = train(cnn, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0, 4)));
        assertEquals((local.losses().size() / 3 + 3) / 4 * 3, averaged.losses().size(), "rounds of four batches");
        float first = averaged.losses().get(0), last = averaged.losses().get(averaged.losses().size() - 1);
        assertTrue(last < 0.5f * first, "loss " + first + " -> " + last);
        double acc = (double) averaged.metrics().get("acc");
        assertTrue(acc > 0.6 && acc > (double) local.metrics().get("acc") - 0.15, "held-out accuracy " + acc + ", one process " + local.metrics().get("acc"));
    }

    /** A Spark run checkpoints and resumes as a local run does: a local run's checkpoint continued on Spark ends where the local run ends. */
    @Test
    void aLocalCheckpointResumesOnSpark(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        DnnRecipe dnn = new DnnRecipe();
        TrainSettings s = dnn.settings("course").withEpochs(2);
        Trained whole = train(dnn, s, RunOptions.NONE);
        java.nio.file.Path file = dir.resolve("dnn.safetensors");
        train(dnn, s.withSteps(30), RunOptions.saveTo(file));
        Trained resumed = train(dnn, s, RunOptions.resumeFrom(file).onCluster(new Cluster("local[2]", 0)));
        assertEquals(whole.losses().size() - 30, resumed.losses().size());
        assertSameRun(new Trained(whole.losses().subList(30, whole.losses().size()), whole.weights(), whole.metrics()), resumed, 1e-5);
    }

    /** The VAE's ε is drawn on the driver for the whole batch and each worker takes its rows: the run is the single-process run, figures too. */
    @Test
    void vaeOnTwoPartitionsFollowsTheSingleProcessRun() throws Exception {
        dev.glassbox.models.course.VaeRecipe vae = new dev.glassbox.models.course.VaeRecipe();
        TrainSettings s = vae.settings("course").withEpochs(1).withSteps(40);
        List<Map<String, Float>> localFigures = new ArrayList<>(), sparkFigures = new ArrayList<>();
        Trained local = train(vae, s, RunOptions.NONE, localFigures);
        Trained spark = train(vae, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), sparkFigures);
        assertSameRun(local, spark, 1e-4);
        for (int i = 0; i < localFigures.size(); i++) {
            for (String k : List.of("recon_loss", "kl_loss")) {
                assertEquals(localFigures.get(i).get(k), sparkFigures.get(i).get(k), 1e-4 * Math.max(1, Math.abs(localFigures.get(i).get(k))), k + " at step " + (i + 1));
            }
        }
    }

    /** The LSTM language model: each worker keeps a stretch of the text, the window starts are drawn on the driver as one process draws them. */
    @Test
    void lstmLanguageModelOnTwoPartitionsFollowsTheSingleProcessRun() throws Exception {
        var lstm = (dev.glassbox.models.rnn.LanguageModelRecipe) dev.glassbox.models.Recipes.get("lstm");
        var s = lstm.settings("char");
        s = s.withTrain(s.train().withSteps(12));
        var runs = bothWays(lstm, s, 12);
        assertEquals((double) runs[0].metrics().get("val_loss"), (double) runs[1].metrics().get("val_loss"), 1e-4);
        var tbptt = s.withBatching(dev.glassbox.models.rnn.LanguageModelRecipe.Settings.Batching.TRACKS);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> lstm.train(tbptt, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), ev -> {}));
        assertEquals("spark does not combine with batching in tracks (truncated BPTT): the state carried from window to window lives in one process", e.getMessage());
    }

    /** The char Transformer (W6's network) and the dates Transformer (seq2seq's route) likewise. */
    @Test
    void charAndDatesTransformersOnTwoPartitionsFollowTheSingleProcessRun() throws Exception {
        var transformer = new dev.glassbox.models.transformer.TransformerRecipe();
        TrainSettings s = transformer.settings("char").withSteps(6);
        Trained local = train(transformer, s, RunOptions.NONE);
        Trained spark = train(transformer, s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)));
        assertSameRun(local, spark, 1e-4);
        TrainSettings dates = transformer.settings("dates").withSteps(6);
        assertSameRun(train(transformer, dates, RunOptions.NONE), train(transformer, dates, RunOptions.NONE.onCluster(new Cluster("local[2]", 0))), 1e-4);
    }

    /** A failure on the workers (here, a model they do not know) ends the run with one line naming the master and the cause. */
    @Test
    void aFailureOnTheWorkersIsOneLine() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> SparkGradients.start(
                new Cluster("local[2]", 0), "nonexistent", "{}", new dev.glassbox.nn.Linear(2, 2, new dev.glassbox.tensor.Generator(0))));
        assertTrue(e.getMessage().startsWith("Spark at local[2] failed: unknown model 'nonexistent'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** Seq2seq's dates are generated: drawn on the driver as one process draws them, each worker sent its rows, padded as the whole batch. */
    @Test
    void seq2seqOnGeneratedDatesFollowsTheSingleProcessRun() throws Exception {
        var seq2seq = new dev.glassbox.models.seq2seq.Seq2SeqRecipe();
        var s = seq2seq.settings("dates");
        s = s.withTrain(s.train().withSteps(12));
        var runs = bothWays(seq2seq, s, 12);
        assertEquals(runs[0].metrics().get("char_acc"), runs[1].metrics().get("char_acc"));
    }

    /** A recipe trained in this process and on local[2] with the same settings: the same loss at each of its {@code steps} steps; both runs. */
    private static <S extends dev.glassbox.models.RecipeSettings<S>> Recipe.Run[] bothWays(Recipe<S> recipe, S s, int steps) throws Exception {
        List<Float> local = new ArrayList<>(), spark = new ArrayList<>();
        Recipe.Run a = recipe.train(s, RunOptions.NONE, e -> { if (e instanceof TrainingEvent.Step st) local.add(st.loss()); });
        Recipe.Run b = recipe.train(s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), e -> { if (e instanceof TrainingEvent.Step st) spark.add(st.loss()); });
        assertEquals(steps, local.size());
        SameLosses.assertSameLosses(local, spark, 1e-4);
        return new Recipe.Run[] {a, b};
    }

    /** A checkpoint counts steps of so many batches: resuming it with another --sync-every would misread its place, so it is refused. */
    @Test
    void aCheckpointResumesOnlyWithItsOwnBatchesAStep(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        DnnRecipe dnn = new DnnRecipe();
        TrainSettings s = dnn.settings("course").withEpochs(2);
        java.nio.file.Path file = dir.resolve("dnn.safetensors");
        train(dnn, s.withSteps(30), RunOptions.saveTo(file));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> train(dnn, s, RunOptions.resumeFrom(file).onCluster(new Cluster("local[2]", 0, 4))));
        assertEquals("syncEvery is 4 but " + file + " was written by a run of 1 batch a step; resume it with the same", e.getMessage());
    }
}
