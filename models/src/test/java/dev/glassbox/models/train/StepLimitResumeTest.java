package dev.glassbox.models.train;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.course.DnnRecipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run stopped by a step limit part-way through an epoch, then resumed with more steps, finishes
 * that epoch's batches and ends exactly where a run never stopped ends (it used to start a new
 * epoch at the cut and run out of batches).
 */
class StepLimitResumeTest {
    @Test
    void aRunCutMidEpochResumesToTheUncutRunsEnd(@TempDir Path dir) throws Exception {
        DnnRecipe dnn = new DnnRecipe();
        TrainSettings s = dnn.settings("course").withEpochs(2);
        List<Float> whole = new ArrayList<>(), resumed = new ArrayList<>();
        Recipe.Run uncut = dnn.train(s, RunOptions.NONE, e -> {
            if (e instanceof TrainingEvent.Step st) whole.add(st.loss());
        });
        Path file = dir.resolve("dnn.safetensors");
        dnn.train(s.withSteps(30), RunOptions.saveTo(file), e -> {});
        Recipe.Run rest = dnn.train(s, RunOptions.resumeFrom(file), e -> {
            if (e instanceof TrainingEvent.Step st) resumed.add(st.loss());
        });
        assertEquals(whole.subList(30, whole.size()), resumed);
        assertEquals(uncut.metrics().get("loss"), rest.metrics().get("loss"), "the first epoch's mean counts its first 30 steps too");
        assertArrayEquals(uncut.model().parameters().get(0).data(), rest.model().parameters().get(0).data());
    }
}
