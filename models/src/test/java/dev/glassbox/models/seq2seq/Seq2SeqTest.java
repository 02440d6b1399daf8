package dev.glassbox.models.seq2seq;

import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Seq2SeqTraceCheck;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Seq2SeqTest {
    @TempDir
    Path dir;

    @Test
    void datesAreWrittenTheWaysPeopleWriteThem() {
        LocalDate d = LocalDate.of(1998, 3, 7);   // a Saturday
        assertEquals("saturday, march 7 1998", Dates.write(d, 0));
        assertEquals("7/3/98", Dates.write(d, 1));
        assertEquals("07.03.1998", Dates.write(d, 4));
        assertEquals("mar 7 98", Dates.write(d, 5));
        assertEquals("1998-03-07", Dates.write(d, 9));
        assertEquals("sat 7 mar 98", Dates.write(LocalDate.of(1998, 3, 7), 11));
        assertEquals("5/1/07", Dates.write(LocalDate.of(2007, 1, 5), 1));
        for (Dates.Example e : Dates.sample(500, 3)) {
            assertEquals(10, e.output().length());
            int year = Integer.parseInt(e.output().substring(0, 4));
            assertTrue(year >= 1950 && year <= 2049, e.toString());
            for (char c : e.input().toCharArray()) assertTrue(Dates.INPUT_CHARS.indexOf(c) >= 0, e.toString());
        }
    }

    /** A short run already decodes most held-out dates; attention weights are a distribution that ignores the padding. */
    @Test
    void attentionModelLearnsDatesAndReloads() throws IOException {
        Path f = dir.resolve("s2s.safetensors");
        var run = Runs.train("seq2seq", null, t -> t.withBatch(32).withSeed(5).withSteps(250), RunOptions.saveTo(f), EventListener.NONE);
        double exact = ((Number) run.metrics().get("exact_match")).doubleValue();
        assertTrue(exact > 0.5, run.metrics().toString());
        Seq2Seq m = (Seq2Seq) Recipes.get("seq2seq").load(f);
        assertEquals(exact, ((Number) Recipes.get("seq2seq").evaluate(m, null, 1).get("exact_match")).doubleValue(), 1e-12);
        var dec = Seq2SeqRecipe.greedy(m, List.of("7/3/98", "saturday, march 7 1998"));
        int ti = dec.inputLength(), to = Dates.OUTPUT_LENGTH;
        for (int t = 0; t < to; t++) {
            double sum = 0;
            for (int s = 0; s < ti; s++) sum += dec.weights()[t * ti + s];
            assertEquals(1.0, sum, 1e-4, "weights of output step " + t);
            // "7/3/98" is left-padded to the longer input: no weight on the padding
            for (int s = 0; s < ti - "7/3/98".length(); s++) assertEquals(0f, dec.weights()[t * ti + s], 1e-6f);
        }
        // explain: the model decoding by itself (as it stands: the step then changes it), then one real training step
        String greedyBefore = Seq2SeqRecipe.greedy(m, List.of("7/3/98")).outputs().getFirst();
        Trace t = (Trace) Recipes.get("seq2seq").explain(m, ExplainRequest.of(0.1f, 1).withInput(List.of("7/3/98"), null));
        assertEquals(List.of("7/3/98", "1998-03-07"), t.example().words(), "the target read from the input");
        Seq2SeqTraceCheck.verify(t);
        Demo.Decoding d = (Demo.Decoding) t.demos().getFirst();
        assertEquals(6, d.inputChars().size());
        assertEquals(10, d.steps().size());
        assertEquals(greedyBefore, d.greedy());
        assertEquals(3, d.beam().size());
        for (int i = 1; i < 3; i++) assertTrue(d.beam().get(i - 1).logProbability() >= d.beam().get(i).logProbability());
        double greedyLogp = 0;
        for (var st : d.steps()) {
            greedyLogp += Math.log(st.probability());
            double sum = 0;
            for (float w : st.weights()) sum += w;
            assertEquals(1.0, sum, 1e-4);
        }
        assertTrue(d.beam().getFirst().logProbability() >= greedyLogp - 1e-3, d.beam() + " vs greedy " + greedyLogp);
        Trace other = (Trace) Recipes.get("seq2seq").explain(m, ExplainRequest.of(0.1f, 1).withInput(List.of("hello"), "2001-02-03"));
        assertEquals("2001-02-03", other.example().words().get(1));
        Seq2SeqTraceCheck.verify(other);
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> Recipes.get("seq2seq").explain(m, ExplainRequest.of(0.1f, 1).withInput(List.of("hello"), null)));
        assertTrue(unknown.getMessage().startsWith("target is needed: 'hello' is not written in one of the task's formats"), unknown.getMessage());
        var badTarget = assertThrows(IllegalArgumentException.class,
                () -> Recipes.get("seq2seq").explain(m, ExplainRequest.of(0.1f, 1).withInput(List.of("7/3/98"), "1998/03/07")));
        assertTrue(badTarget.getMessage().startsWith("target must be an ISO date"), badTarget.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Recipes.get("seq2seq").predict(m, List.of("7#3#98")));
        assertTrue(bad.getMessage().contains("'#'"), bad.getMessage());
        var att = assertThrows(IllegalArgumentException.class, () -> Seq2SeqRecipe.attention("global"));
        assertEquals("unknown attention 'global': none, bahdanau or luong", att.getMessage());
    }

    @Test
    void bahdanauAndNoAttentionTrainToo() throws IOException {
        for (String a : List.of("bahdanau", "none")) {
            var recipe = new Seq2SeqRecipe();
            var s = recipe.settings("dates");
            var run = recipe.train(s.withTrain(s.train().withBatch(16).withSeed(2).withSteps(20)).withAttention(Seq2SeqRecipe.attention(a)),
                    RunOptions.NONE, EventListener.NONE);
            var m = run.metrics();
            assertEquals(a, m.get("attention"));
            double loss = ((Number) m.get("loss")).doubleValue();
            assertTrue(loss < Math.log(11), a + ": below guessing among 11 characters: " + loss);
            Trace t = (Trace) recipe.explain(run.model(), ExplainRequest.of(3e-3f, 1));
            Seq2SeqTraceCheck.verify(t);
            assertEquals(a, ((Demo.Decoding) t.demos().getFirst()).attention());
        }
    }
}
