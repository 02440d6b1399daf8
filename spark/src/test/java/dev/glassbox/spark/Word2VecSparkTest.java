package dev.glassbox.spark;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import dev.glassbox.models.word2vec.WordVectors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** word2vec on Spark: skip-gram by per-part epochs averaged (as MLlib), the course's toy by its pairs' gradients. */
class Word2VecSparkTest {
    private final Word2VecRecipe w2v = new Word2VecRecipe();

    /** One part is the whole corpus: its epoch on one thread is the single-process run on one thread, vector for vector. */
    @Test
    void onePartForOneEpochIsTheOneThreadRun() throws Exception {
        Word2VecRecipe.Settings s = w2v.settings("skipgram").withThreads(1);
        s = s.withTrain(s.train().withEpochs(1));
        Recipe.Run local = w2v.train(s, RunOptions.NONE, e -> {});
        Recipe.Run spark = w2v.train(s, RunOptions.NONE.onCluster(new Cluster("local[1]", 0)), e -> {});
        assertArrayEquals(((WordVectors) local.model()).embeddings.data(), ((WordVectors) spark.model()).embeddings.data(), 1e-6f);
        assertArrayEquals(((WordVectors) local.model()).nce.data(), ((WordVectors) spark.model()).nce.data(), 1e-6f);
        assertEquals(((Number) local.metrics().get("loss")).floatValue(), ((Number) spark.metrics().get("loss")).floatValue(), 1e-5f);
        assertEquals(local.metrics().get("vocab"), spark.metrics().get("vocab"));
    }

    /** Two parts averaged each epoch: every epoch reported, the vectors trained (the loss near one process's), the figures of a Spark run. */
    @Test
    void twoPartsAveragedEachEpochTrain() throws Exception {
        Word2VecRecipe.Settings s = w2v.settings("skipgram");
        List<Integer> epochs = new ArrayList<>();
        Recipe.Run local = w2v.train(s, RunOptions.NONE, e -> {});
        Recipe.Run spark = w2v.train(s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), e -> {
            if (e instanceof TrainingEvent.Words w) epochs.add(w.epoch());
        });
        assertEquals(List.of(1, 2, 3, 4, 5), epochs);
        float a = ((Number) local.metrics().get("loss")).floatValue(), b = ((Number) spark.metrics().get("loss")).floatValue();
        assertTrue(b < 1.1f * a, "loss " + b + " on two parts, " + a + " in one process");
        assertEquals(2, spark.metrics().get("workers"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> w2v.train(s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0, 4)), ev -> {}));
        assertEquals("syncEvery does not apply to word2vec: its workers train a whole epoch each and are averaged at its end", e.getMessage());
    }

    /** The course's full-softmax toy spreads its pairs over the workers: the same loss at every step as one process. */
    @Test
    void courseToyFollowsTheSingleProcessRun() throws Exception {
        Word2VecRecipe.Settings s = w2v.settings("course");
        s = s.withTrain(s.train().withEpochs(40));
        List<Float> local = new ArrayList<>(), spark = new ArrayList<>();
        Recipe.Run a = w2v.train(s, RunOptions.NONE, e -> { if (e instanceof TrainingEvent.Step st) local.add(st.loss()); });
        Recipe.Run b = w2v.train(s, RunOptions.NONE.onCluster(new Cluster("local[2]", 0)), e -> { if (e instanceof TrainingEvent.Step st) spark.add(st.loss()); });
        assertEquals(40, local.size());
        SameLosses.assertSameLosses(local, spark, 1e-4);
        assertEquals(a.metrics().get("acc"), b.metrics().get("acc"));
    }
}
