package dev.glassbox.models.rnn;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.train.EventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanguageModelTest {
    @TempDir
    Path dir;

    private static double num(Map<String, Object> m, String k) { return ((Number) m.get(k)).doubleValue(); }

    /** A few dozen steps take the loss well below guessing among the 40 characters (ln 40 = 3.69). */
    @Test
    void lstmLearnsCharactersSavesAndSamples() throws IOException {
        Path f = dir.resolve("lm.safetensors");
        var run = Recipes.get("lstm").train(new Recipe.Options(null, null, null, null, null, 7, f, Map.of("steps", 40)), EventListener.NONE);
        var m = run.metrics();
        assertEquals(40, ((Number) m.get("steps")).intValue());
        assertTrue(num(m, "loss") < 3.0 && num(m, "val_loss") < 3.0, m.toString());
        assertEquals(Math.exp(num(m, "val_loss")), num(m, "perplexity"), 1e-9);
        var loaded = (LanguageModel) Recipes.get("lstm").load(f);
        var eval = Recipes.get("lstm").evaluate(loaded, null, 1);
        assertEquals(num(m, "val_loss"), num(eval, "val_loss"), 1e-6, "the same held-out part gives the same loss after reloading");
        String a = LanguageModelRecipe.sample(loaded, "the ", 50, 0.8f, 3), b = LanguageModelRecipe.sample(loaded, "the ", 50, 0.8f, 3);
        assertEquals(a, b, "a seed repeats a sample");
        assertEquals(54, a.length());
        assertTrue(a.startsWith("the "));
        var unknown = assertThrows(IllegalArgumentException.class, () -> LanguageModelRecipe.sample(loaded, "Zebra", 5, 1f, 1));
        assertTrue(unknown.getMessage().contains("'Z' is not in this model's vocabulary"), unknown.getMessage());
        var wrong = assertThrows(IOException.class, () -> Recipes.get("gru").load(f));
        assertTrue(wrong.getMessage().contains("holds a 'lstm' model"), wrong.getMessage());
    }

    /** --cell picks the recurrent layer; the checkpoint remembers it, so loading rebuilds the same network. */
    @Test
    void cellSettingTrainsAnElmanRnnAndTheCheckpointKeepsIt() throws IOException {
        Path f = dir.resolve("rnn.safetensors");
        var m = Recipes.get("lstm").train(new Recipe.Options(null, null, null, null, null, 5, f, Map.of("steps", 30, "cell", "rnn")),
                EventListener.NONE).metrics();
        assertEquals("rnn", m.get("cell"));
        assertTrue(num(m, "val_loss") < 3.2, m.toString());
        var loaded = (LanguageModel) Recipes.get("lstm").load(f);
        assertEquals(dev.glassbox.nn.Recurrent.Mode.RNN_TANH, loaded.cell);
        assertTrue(loaded.namedParameters().containsKey("rnn.weight_hh_l0"));
        int[] whh = loaded.namedParameters().get("rnn.weight_hh_l0").shape();
        assertEquals(whh[1], whh[0], "an Elman layer's W_hh is [hidden, hidden], not [4·hidden, hidden]");
        assertEquals(num(m, "val_loss"), num(Recipes.get("lstm").evaluate(loaded, null, 1), "val_loss"), 1e-6);
        var bad = assertThrows(IllegalArgumentException.class, () -> Recipes.get("gru").train(
                new Recipe.Options(null, null, null, null, null, 1, null, Map.of("cell", "transformer")), EventListener.NONE));
        assertTrue(bad.getMessage().contains("--cell must be lstm, gru, rnn or rnn_relu"), bad.getMessage());
    }

    @Test
    void gruAndWordLevelTrainOnAFile() throws IOException {
        Path text = dir.resolve("t.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append(i % 2 == 0 ? "the cat sat on the mat\n" : "a dog lay on a rug\n");
        Files.writeString(text, sb);
        var m = Recipes.get("gru").train(new Recipe.Options("word", text.toString(), null, null, null, 3, null, Map.of("steps", 30)),
                EventListener.NONE).metrics();
        assertTrue(num(m, "val_loss") < 1.5, "a repetitive text is easy: " + m);
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "too short");
        var e = assertThrows(IOException.class, () -> Recipes.get("lstm").train(new Recipe.Options(null, tiny.toString(), null, null, null, 1, null),
                EventListener.NONE));
        assertTrue(e.getMessage().contains("needs at least"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> Recipes.get("lstm").train(
                new Recipe.Options(null, null, null, null, null, 1, null, Map.of("steps", 0)), EventListener.NONE));
        assertEquals("--steps must be positive, got 0", bad.getMessage());
        assertEquals(List.of("char", "word", "w5"), Recipes.get("gru").presets());
    }

    /** Truncated BPTT: each track's windows follow on from each other, and a pass starts over at the end. */
    @Test
    void truncatedBpttWalksContiguousTracks() throws IOException {
        int[] tokens = new int[100];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        var t = new dev.glassbox.models.train.TruncatedBptt(tokens, 4, 6);   // tracks 0-24, 25-49, 50-74, 75-99
        assertEquals(4, t.windows());
        int[] x = new int[24], y = new int[24];
        assertTrue(t.atStart());
        t.next(x, y);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), java.util.Arrays.stream(x, 0, 6).boxed().toList());
        assertEquals(List.of(26, 27, 28, 29, 30, 31), java.util.Arrays.stream(y, 6, 12).boxed().toList());
        t.next(x, y);
        assertEquals(6, x[0]);
        assertEquals(56, x[12]);
        t.next(x, y);
        t.next(x, y);
        assertEquals(18, x[0]);
        assertEquals(24, y[5], "the last target of track 0 is its last token");
        assertTrue(t.atStart(), "after the last window a pass starts over");
        var e = assertThrows(IllegalArgumentException.class, () -> new dev.glassbox.models.train.TruncatedBptt(new int[10], 4, 6));
        assertTrue(e.getMessage().contains("windows of 6 need at least 7"), e.getMessage());
        var m = Recipes.get("gru").train(new Recipe.Options(null, null, null, null, null, 3, null, Map.of("steps", 20, "tbptt", true)),
                EventListener.NONE).metrics();
        assertTrue(num(m, "loss") < Math.log(40), m.toString());
    }
}
