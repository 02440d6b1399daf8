package dev.glassbox.models.transformer;

import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.TransformerTraceCheck;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransformerModelTest {
    @TempDir
    Path dir;

    /** After '오늘' the next word depends on the first word: attention looks back at it, and the tiny model learns every next word. */
    @Test
    void courseModelLearnsEveryNextWordAndReloads() throws IOException {
        Path f = dir.resolve("t.safetensors");
        var run = Runs.train("transformer", "course", t -> t, RunOptions.saveTo(f), EventListener.NONE);
        assertEquals(1.0, ((Number) run.metrics().get("acc")).doubleValue(), run.metrics().toString());
        var r = Recipes.get("transformer");
        var m = r.load(f);
        assertEquals(1.0, ((Number) r.evaluate(m, null, 1).get("acc")).doubleValue());
        assertTrue(r.predict(m, List.of("너는", "오늘")).startsWith("너는 오늘 -> 학교에"), r.predict(m, List.of("너는", "오늘")));
        assertTrue(r.predict(m, List.of("나는", "오늘")).startsWith("나는 오늘 -> 집에"));
        var bad = assertThrows(IllegalArgumentException.class, () -> r.predict(m, List.of("고양이")));
        assertTrue(bad.getMessage().contains("not in the course's vocabulary"), bad.getMessage());
        TransformerLM lm = (TransformerLM) m;
        assertTrue(TransformerSampling.sample(lm, "너는 오늘", 2, 0.5f, 0, 1).startsWith("너는 오늘 "));
        var unknown = assertThrows(IllegalArgumentException.class, () -> TransformerSampling.sample(lm, "고양이", 2, 1f, 0, 1));
        assertTrue(unknown.getMessage().startsWith("the word '고양이' is not in this model's vocabulary of 9 words (")
                && unknown.getMessage().contains("나는"), unknown.getMessage());
    }

    /** The key/value cache gives the full forward's scores at every position, also after the window slides. */
    @Test
    void cachedDecodingEqualsTheFullForward() {
        List<String> chars = List.of("a", "b", "c", "d", "e");
        TransformerLM m = new TransformerLM(new Vocab(Vocab.Tokens.CHARACTERS, chars), new TransformerLM.Config(16, 2, 2, 32, 8), new Generator(3));
        m.eval();
        int[] ids = {0, 3, 1, 4, 2, 2, 0, 1};
        TransformerLM.Generation g = m.generator();
        try (var ignored = GradMode.noGrad()) {
            float[] full = m.logits(ids, 1, ids.length).data();
            for (int t = 0; t < ids.length; t++) {
                float[] step = g.feed(ids[t]);
                for (int v = 0; v < chars.size(); v++) assertEquals(full[t * chars.size() + v], step[v], 1e-4f, "position " + t + " token " + v);
            }
            // the context is full: the next token keeps the last half and goes on from there
            float[] after = g.feed(3);
            int[] kept = {2, 2, 0, 1, 3};
            float[] want = m.logits(kept, 1, kept.length).select(1, kept.length - 1).reshape(-1).toArray();
            assertArrayEquals(want, after, 1e-4f);
            assertEquals(5, g.length());
        }
        var tooLong = assertThrows(IllegalArgumentException.class, () -> m.logits(new int[9], 1, 9));
        assertTrue(tooLong.getMessage().contains("longer than the model's context of 8"), tooLong.getMessage());
    }

    /** The char model trains on a text file, saves and reloads, evaluates and samples (top-k too). */
    @Test
    void charModelTrainsSamplesAndReloads() throws IOException {
        Path text = dir.resolve("t.txt"), f = dir.resolve("c.safetensors");
        Files.writeString(text, "the cat sat on the mat. the dog sat on the log. ".repeat(60));
        var run = Runs.train("transformer", "char", t -> t.withData(text.toString()).withSteps(30).withBatch(8), RunOptions.saveTo(f), EventListener.NONE);
        double loss = ((Number) run.metrics().get("loss")).doubleValue();
        assertTrue(loss < Math.log(14), "below guessing among the text's characters: " + run.metrics());
        TransformerLM m = (TransformerLM) Recipes.get("transformer").load(f);
        assertEquals(run.metrics().get("val_loss"), Recipes.get("transformer").evaluate(m, text.toString(), 1).get("val_loss"));
        String s = TransformerSampling.sample(m, "the ", 40, 0.8f, 3, 7);
        assertTrue(s.startsWith("the ") && s.length() == 44, s);
        assertEquals(s, TransformerSampling.sample(m, "the ", 40, 0.8f, 3, 7), "the same seed draws the same text");
        var k = assertThrows(InvalidSettingException.class, () -> TransformerSampling.sample(m, "", 5, 1f, -1, 1));
        assertEquals("topK", k.setting());
        var unknown = assertThrows(IllegalArgumentException.class, () -> TransformerSampling.sample(m, "the 猫", 5, 1f, 0, 1));
        assertTrue(unknown.getMessage().startsWith("the character '猫' is not in this model's vocabulary of ")
                && unknown.getMessage().contains("use only characters of the text it was trained on"), unknown.getMessage());
        var wrong = assertThrows(IOException.class, () -> Recipes.get("lstm").load(f));
        assertTrue(wrong.getMessage().contains("holds a 'transformer' model"), wrong.getMessage());
    }

    /** The encoder-decoder on the dates task: it trains, saves, reloads to the same scores, decodes a date, and refuses bad characters. */
    @Test
    void datesModelTrainsReloadsAndDecodes() throws IOException {
        Path f = dir.resolve("d.safetensors");
        var run = Runs.train("transformer", "dates", t -> t.withSteps(40).withBatch(16), RunOptions.saveTo(f), EventListener.NONE);
        double loss = ((Number) run.metrics().get("loss")).doubleValue();
        assertTrue(loss < Math.log(11), "below guessing among 11 characters: " + run.metrics());
        assertEquals(2000, run.metrics().get("held_out"));
        var r = Recipes.get("transformer");
        var m = r.load(f);
        assertEquals(run.metrics().get("char_acc"), r.evaluate(m, null, 1).get("char_acc"), "the reloaded model decodes the same");
        String p = r.predict(m, List.of("7/3/98"));
        assertTrue(p.matches("7/3/98 -> [-0-9]{10}"), p);
        var bad = assertThrows(IllegalArgumentException.class, () -> r.predict(m, List.of("7#3#98")));
        assertTrue(bad.getMessage().contains("'#'"), bad.getMessage());
        DateTransformer.Source src = DateTransformer.source(List.of("ab", "abcd"));
        assertArrayEquals(new float[] {0, 0, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 0, 0, 0, 0}, src.padding().data(), 0f, "padding on the right, masked");
    }

    /** explain transformer: one real step of the course's model, every head's numbers, recomputed by hand; a char model's too. */
    @Test
    void explanationIsTheEnginesStep() throws IOException {
        var r = Recipes.get("transformer");
        Trace t = (Trace) r.explain(null, ExplainRequest.of(0.03f, 42));
        assertEquals(List.of("나는", "오늘", "집에", "간다"), t.example().words());
        assertEquals(2, t.events(Event.AttentionHead.class).size(), "two heads, one layer");
        assertEquals(3, t.events(Event.Loss.class).size());
        TransformerTraceCheck.verify(t);
        TransformerLM ch = new TransformerLM(new Vocab(Vocab.Tokens.CHARACTERS, List.of(" ", "a", "c", "e", "h", "t")),
                new TransformerLM.Config(16, 2, 2, 32, 8), new Generator(5));
        Trace c = (Trace) r.explain(ch, ExplainRequest.of(1e-3f, 1).withInput(List.of("the cat"), null));
        assertEquals(4, c.events(Event.AttentionHead.class).size(), "two heads in each of two layers");
        TransformerTraceCheck.verify(c);
        var target = assertThrows(InvalidSettingException.class, () -> r.explain(null, ExplainRequest.of(0.03f, 1).withInput(List.of(), "간다")));
        assertEquals("target", target.setting());
        var tooLong = assertThrows(InvalidSettingException.class, () -> r.explain(null, ExplainRequest.of(0.03f, 1)
                .withInput(List.of("나는 오늘 집에 간다 너는 오늘"), null)));
        assertTrue(tooLong.getMessage().contains("takes 2 to 5 tokens"), tooLong.getMessage());
    }
}
