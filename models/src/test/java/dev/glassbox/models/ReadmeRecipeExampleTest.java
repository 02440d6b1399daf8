package dev.glassbox.models;

import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.train.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's recipe example, as written there (the file in a temporary folder). */
class ReadmeRecipeExampleTest {
    @Test
    void readmeRecipeExampleRuns(@TempDir Path dir) throws IOException {
        DnnRecipe dnn = new DnnRecipe();
        TrainSettings s = dnn.settings("course").withEpochs(300).withLr(0.5f);   // the course's 25-3-3-10
        Recipe.Run run = dnn.train(s, RunOptions.saveTo(dir.resolve("dnn.safetensors")), event -> { });
        double acc = ((Number) run.metrics().get("acc")).doubleValue();
        assertTrue(acc > 0.5 && acc <= 1, "held-out accuracy " + acc);
        assertTrue(Files.size(dir.resolve("dnn.safetensors")) > 0);
    }
}
