package dev.glassbox.models.rnn;

import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.RnnTrace;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RnnTest {
    @TempDir
    Path dir;

    /** After '오늘' the next word depends on the first word: only the carried state can tell, and it learns to. */
    @Test
    void courseRnnLearnsEveryNextWordAndReloads() throws IOException {
        Path f = dir.resolve("rnn.safetensors");
        var run = Runs.train("rnn", null, t -> t, RunOptions.saveTo(f), EventListener.NONE);
        assertEquals(1.0, ((Number) run.metrics().get("acc")).doubleValue(), run.metrics().toString());
        assertEquals(9, run.metrics().get("steps"));
        assertEquals("rnn", run.metrics().get("model"), "every run's metrics name the model, as the other models' do");
        assertEquals("course", run.metrics().get("data"));
        var loaded = Recipes.get("rnn").load(f);
        assertEquals(1.0, ((Number) Recipes.get("rnn").evaluate(loaded, null, 1).get("acc")).doubleValue());
        assertTrue(Recipes.get("rnn").predict(loaded, List.of("너는", "오늘")).startsWith("너는 오늘 -> 학교에"),
                Recipes.get("rnn").predict(loaded, List.of("너는", "오늘")));
        assertTrue(Recipes.get("rnn").predict(loaded, List.of("나는", "오늘")).startsWith("나는 오늘 -> 집에"));
        var bad = assertThrows(IllegalArgumentException.class, () -> Recipes.get("rnn").predict(loaded, List.of("고양이")));
        assertTrue(bad.getMessage().contains("not in the course's vocabulary"), bad.getMessage());
    }

    /** Every number of the unrolled trace follows from the others. */
    @Test
    void explanationIsConsistent() throws IOException {
        float lr = 0.5f;
        RnnTrace t = assertInstanceOf(RnnTrace.class, Recipes.get("rnn").explain(null, ExplainRequest.of(lr, 42)));
        assertEquals("나는 오늘 집에 간다", t.sentence());
        assertEquals(3, t.steps().size());
        float total = 0;
        float[] prev = new float[CourseRnn.HIDDEN];
        for (RnnTrace.Step s : t.steps()) {
            for (int j = 0; j < prev.length; j++) {
                assertEquals(prev[j], s.previousState()[j], 0f, "S(t-1) is the previous step's S(t)");
                assertEquals(Math.tanh(s.inputTerm()[j] + s.recurrentTerm()[j]), s.state()[j], 1e-5);
            }
            float sum = 0;
            for (float p : s.probabilities()) sum += p;
            assertEquals(1f, sum, 1e-5f);
            assertEquals(-Math.log(s.probabilities()[t.vocabulary().indexOf(s.target())]), s.loss(), 1e-5);
            total += s.loss();
            prev = s.state();
        }
        assertEquals(total, t.totalLoss(), 1e-4f);
        for (RnnTrace.Weight w : t.weights()) {
            for (int i = 0; i < w.before().length; i++) {
                for (int j = 0; j < w.before()[i].length; j++) {
                    assertEquals(w.before()[i][j] - lr * w.gradient()[i][j], w.after()[i][j], 1e-6f, w.name());
                }
            }
        }
        // The first step's state has no recurrent part; the input word's row of W_ih is its input term.
        assertEquals(0f, t.steps().getFirst().recurrentTerm()[0]);
        assertEquals(t.weights().getFirst().before()[t.vocabulary().indexOf("나는")][2], t.steps().getFirst().inputTerm()[2]);
    }
}
