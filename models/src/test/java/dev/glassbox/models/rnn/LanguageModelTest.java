package dev.glassbox.models.rnn;

import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.text.Tracks;
import dev.glassbox.models.text.Window;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.tensor.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        var run = Runs.train("lstm", null, t -> t.withSeed(7).withSteps(40), RunOptions.saveTo(f), EventListener.NONE);
        var m = run.metrics();
        assertEquals(40, ((Number) m.get("steps")).intValue());
        assertTrue(num(m, "loss") < 3.0 && num(m, "val_loss") < 3.0, m.toString());
        assertEquals(Math.exp(num(m, "val_loss")), num(m, "perplexity"), 1e-9);
        var loaded = (LanguageModel) Recipes.get("lstm").load(f);
        var eval = Recipes.get("lstm").evaluate(loaded, null, 1);
        assertEquals(num(m, "val_loss"), num(eval, "val_loss"), 1e-6, "the same held-out part gives the same loss after reloading");
        String a = Sampling.sample(loaded, "the ", 50, 0.8f, 3), b = Sampling.sample(loaded, "the ", 50, 0.8f, 3);
        assertEquals(a, b, "a seed repeats a sample");
        assertEquals(54, a.length());
        assertTrue(a.startsWith("the "));
        var unknown = assertThrows(IllegalArgumentException.class, () -> Sampling.sample(loaded, "Zebra", 5, 1f, 1));
        assertTrue(unknown.getMessage().contains("'Z' is not in this model's vocabulary"), unknown.getMessage());
        var wrong = assertThrows(IOException.class, () -> Recipes.get("gru").load(f));
        assertTrue(wrong.getMessage().contains("holds a 'lstm' model"), wrong.getMessage());
    }

    /** --cell picks the recurrent layer; the checkpoint remembers it, so loading rebuilds the same network. */
    @Test
    void cellSettingTrainsAnElmanRnnAndTheCheckpointKeepsIt() throws IOException {
        Path f = dir.resolve("rnn.safetensors");
        var recipe = new LanguageModelRecipe("lstm", Recurrent.Mode.LSTM);
        var s = recipe.settings("char");
        var m = recipe.train(s.withTrain(s.train().withSeed(5).withSteps(30)).withCell(LanguageModelRecipe.cell("rnn")), RunOptions.saveTo(f),
                EventListener.NONE).metrics();
        assertEquals("rnn", m.get("cell"));
        assertTrue(num(m, "val_loss") < 3.2, m.toString());
        var loaded = (LanguageModel) Recipes.get("lstm").load(f);
        assertEquals(Recurrent.Mode.RNN_TANH, loaded.cell);
        assertTrue(loaded.namedParameters().containsKey("rnn.weight_hh_l0"));
        int[] whh = loaded.namedParameters().get("rnn.weight_hh_l0").shape();
        assertEquals(whh[1], whh[0], "an Elman layer's W_hh is [hidden, hidden], not [4·hidden, hidden]");
        assertEquals(num(m, "val_loss"), num(Recipes.get("lstm").evaluate(loaded, null, 1), "val_loss"), 1e-6);
        var bad = assertThrows(IllegalArgumentException.class, () -> LanguageModelRecipe.cell("transformer"));
        assertEquals("unknown cell 'transformer': lstm, gru, rnn or rnn_relu", bad.getMessage());
    }

    @Test
    void gruAndWordLevelTrainOnAFile() throws IOException {
        Path text = dir.resolve("t.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++) sb.append(i % 2 == 0 ? "the cat sat on the mat\n" : "a dog lay on a rug\n");
        Files.writeString(text, sb);
        var m = Runs.train("gru", "word", t -> t.withData(text.toString()).withSeed(3).withSteps(30)).metrics();
        assertTrue(num(m, "val_loss") < 1.5, "a repetitive text is easy: " + m);
        Path tiny = dir.resolve("tiny.txt");
        Files.writeString(tiny, "too short");
        var e = assertThrows(IOException.class, () -> Runs.train("lstm", null, t -> t.withData(tiny.toString())));
        assertTrue(e.getMessage().contains("needs at least"), e.getMessage());
        var bad = assertThrows(InvalidSettingException.class, () -> Runs.train("lstm", null, t -> t.withSteps(-1)));
        assertEquals("steps", bad.setting());
        assertEquals(List.of("char", "word", "w5"), Recipes.get("gru").presets());
    }

    /** Truncated BPTT: each track's windows follow on from each other, and a pass starts over at the end. */
    @Test
    void truncatedBpttWalksContiguousTracks() throws IOException {
        int[] tokens = new int[100];
        for (int i = 0; i < tokens.length; i++) tokens[i] = i;
        var t = new Tracks(tokens, 4, 6);   // tracks 0-24, 25-49, 50-74, 75-99
        assertEquals(4, t.windows());
        t.startEpoch();
        Window w = t.next();
        assertTrue(w.passStart());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), Arrays.stream(w.x(), 0, 6).boxed().toList());
        assertEquals(List.of(26, 27, 28, 29, 30, 31), Arrays.stream(w.y(), 6, 12).boxed().toList());
        w = t.next();
        assertFalse(w.passStart());
        assertEquals(6, w.x()[0]);
        assertEquals(56, w.x()[12]);
        t.next();
        w = t.next();
        assertEquals(18, w.x()[0]);
        assertEquals(24, w.y()[5], "the last target of track 0 is its last token");
        assertTrue(t.next().passStart(), "after the last window a pass starts over");
        var e = assertThrows(IllegalArgumentException.class, () -> new Tracks(new int[10], 4, 6));
        assertTrue(e.getMessage().contains("windows of 6 need at least 7"), e.getMessage());
        var recipe = new LanguageModelRecipe("gru", Recurrent.Mode.GRU);
        var s = recipe.settings("char");
        var m = recipe.train(s.withTrain(s.train().withSeed(3).withSteps(20)).withBatching(LanguageModelRecipe.Settings.Batching.TRACKS),
                RunOptions.NONE, EventListener.NONE).metrics();
        assertTrue(num(m, "loss") < Math.log(40), m.toString());
    }

    /** Truncated BPTT carries the recurrent state from window to window: a checkpoint keeps it, so a resume is exact. */
    @Test
    void truncatedBpttResumesWithItsCarriedState() throws IOException {
        Path text = dir.resolve("part.txt");
        Files.writeString(text, TextData.read(TextData.EMBEDDED).substring(0, 30_000));
        var recipe = new LanguageModelRecipe("gru", Recurrent.Mode.GRU);
        var base = recipe.settings("char");
        var s = base.withTrain(base.train().withData(text.toString()).withEpochs(3).withSeed(4)).withBatching(LanguageModelRecipe.Settings.Batching.TRACKS);
        int threads = Threads.count();
        Threads.set(1);
        try {
            var straight = (LanguageModel) recipe.train(s, RunOptions.NONE, EventListener.NONE).model();
            Path f = dir.resolve("tracks.safetensors");
            var every = RunOptions.CheckpointEvery.steps(4);
            assertThrows(IllegalStateException.class, () -> recipe.train(s, RunOptions.saveTo(f).checkpointingEvery(every), e -> {
                if (e instanceof TrainingEvent.Checkpoint c && c.step() == 8) throw new IllegalStateException("stop here");
            }));
            var resumed = (LanguageModel) recipe.train(s, RunOptions.resumeFrom(f), EventListener.NONE).model();
            for (var k : straight.stateDict().keySet()) {
                assertArrayEquals(straight.stateDict().get(k).data(), resumed.stateDict().get(k).data(), 0f, k);
            }
        } finally {
            Threads.set(threads);
        }
    }
}
