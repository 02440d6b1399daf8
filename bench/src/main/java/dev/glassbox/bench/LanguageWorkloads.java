package dev.glassbox.bench;

import dev.glassbox.models.rnn.LanguageModel;
import dev.glassbox.models.rnn.LanguageModelRecipe;
import dev.glassbox.models.rnn.LanguageModelTask;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.text.TextSource;
import dev.glassbox.models.text.Vocab;
import dev.glassbox.models.text.Windows;
import dev.glassbox.models.train.SampledBatches;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.transformer.TransformerLM;
import dev.glassbox.models.transformer.TransformerRecipe;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The language-model workloads on Brown: W5 (the LSTM) and W6 (the Transformer). */
final class LanguageWorkloads {
    private LanguageWorkloads() {}

    /**
     * W5: character LSTM language model on Brown (embedding 64, 1 layer, hidden 256, seq 64,
     * batch 32, Adam 2e-3, gradient norm clipped at 5), the lstm recipe's w5 network and step on
     * the Trainer; training tokens/s (batching included) and the mean loss of steps 291–300,
     * timed after {@link #W5_WARMUP_STEPS} steps of a throwaway model of other seeds.
     * {@code quick}: 30 steps after 3 (the loss key is then the mean of steps 21–30).
     */
    static void w5(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        Path brown = Workloads.benchData().resolve("brown.txt");
        if (!Files.isRegularFile(brown)) {
            out.put("skipped", "the Brown corpus is not at " + brown + "; set GLASSBOX_BENCH_DATA to the folder holding brown.txt");
            return;
        }
        int steps = s.quick() ? 30 : 300, warmup = s.quick() ? 3 : W5_WARMUP_STEPS, batch = 32;
        LanguageModelRecipe.Config c = LanguageModelRecipe.config("w5");
        TextData.Split text = TextData.split(TextSource.data(brown.toString()), Vocab.Tokens.CHARACTERS, c.seq(), "W5 language model");
        double[] cold = w5Train(text, c, warmup, batch, 11, 12);
        double[] r = w5Train(text, c, steps, batch, 1, 2);
        double tokensPerS = (double) steps * batch * c.seq() / r[0], loss = r[1];
        out.put("tokens_per_s", Math.round(tokensPerS));
        out.put("loss_300", Math.round(loss * 10000) / 10000.0);
        out.put("steps", steps);
        out.put("warmup_steps", warmup);
        out.put("warmup_tokens_per_s", Math.round((double) warmup * batch * c.seq() / cold[0]));
        out.put("vocab", text.vocab().size());
        progress.accept(String.format(Locale.ROOT, "W5: %,.0f tokens/s, loss %.4f", tokensPerS, loss));
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /** Steps W5 trains a throwaway model first, untimed (BENCHMARKS.md: "timing after a warm-up"); the peer does the same. */
    static final int W5_WARMUP_STEPS = 60;

    /** W5's model trained {@code steps} steps from seeds {@code modelSeed} and {@code batchSeed}: {training seconds, mean loss of the last 10 steps}. */
    private static double[] w5Train(TextData.Split text, LanguageModelRecipe.Config c, int steps, int batch, long modelSeed, long batchSeed)
            throws IOException {
        var m = new LanguageModel(text.vocab(), Recurrent.Mode.LSTM, c.embedding(), c.hidden(), c.layers(), new Generator(modelSeed));
        var batches = new SampledBatches<>(steps, new Generator(batchSeed), g -> Windows.random(text.train(), batch, c.seq(), g));
        var task = new LanguageModelTask(m, new Adam(m.parameters(), 2e-3f), batches, LanguageModelTask.Carry.NONE, null, c.seq());
        double[] last = new double[1];
        Trainer.Result r = new Trainer<>(task).maxSteps(steps).clipGradNorm(LanguageModelRecipe.CLIP).fit(e -> {
            if (e instanceof TrainingEvent.Step st && st.step() > steps - 10) last[0] += st.loss();
        });
        return new double[] {r.trainSeconds(), last[0] / Math.min(10, steps)};
    }

    /** Steps W6 trains a throwaway model first, untimed (BENCHMARKS.md: "timing after a warm-up"); the peer does the same. */
    static final int W6_WARMUP_STEPS = 60;

    /**
     * W6: decoder-only Transformer character language model on Brown — the transformer recipe's
     * char network (d_model 128, 4 heads, 2 pre-norm layers, feed-forward 512, GELU, context 64,
     * learned positions), batches of 32 random windows, Adam 1e-3, on the Trainer; training
     * tokens/s (batching included) and the mean loss of steps 291–300, timed after a warm-up:
     * {@link #W6_WARMUP_STEPS} steps of a throwaway model of other seeds (its rate is reported as
     * {@code warmup_tokens_per_s}: the cold start). {@code quick}: 30 steps after 3.
     */
    static void w6(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        Path brown = Workloads.benchData().resolve("brown.txt");
        if (!Files.isRegularFile(brown)) {
            out.put("skipped", "the Brown corpus is not at " + brown + "; set GLASSBOX_BENCH_DATA to the folder holding brown.txt");
            return;
        }
        int steps = s.quick() ? 30 : 300, warmup = s.quick() ? 3 : W6_WARMUP_STEPS, batch = 32;
        TransformerLM.Config c = TransformerRecipe.config("char");
        TextData.Split text = TextData.split(TextSource.data(brown.toString()), Vocab.Tokens.CHARACTERS, c.context(), "W6 language model");
        double[] cold = w6Train(text, c, warmup, batch, 11, 12);
        double[] r = w6Train(text, c, steps, batch, 1, 2);
        double tokensPerS = (double) steps * batch * c.context() / r[0], loss = r[1];
        out.put("tokens_per_s", Math.round(tokensPerS));
        out.put("loss_300", Math.round(loss * 10000) / 10000.0);
        out.put("steps", steps);
        out.put("warmup_steps", warmup);
        out.put("warmup_tokens_per_s", Math.round((double) warmup * batch * c.context() / cold[0]));
        out.put("vocab", text.vocab().size());
        progress.accept(String.format(Locale.ROOT, "W6: %,.0f tokens/s, loss %.4f", tokensPerS, loss));
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /** W6's model trained {@code steps} steps from seeds {@code modelSeed} and {@code batchSeed}: {training seconds, mean loss of the last 10 steps}. */
    private static double[] w6Train(TextData.Split text, TransformerLM.Config c, int steps, int batch, long modelSeed, long batchSeed)
            throws IOException {
        var m = new TransformerLM(text.vocab(), c, new Generator(modelSeed));
        var batches = new SampledBatches<>(steps, new Generator(batchSeed), g -> Windows.random(text.train(), batch, c.context(), g));
        var task = new SimpleTask<>(m, new Adam(m.parameters(), 1e-3f), batches,
                w -> F.crossEntropy(m.logits(w.x(), w.n(), w.seq()).reshape(w.n() * w.seq(), m.vocab.size()), w.y()));
        double[] last = new double[1];
        Trainer.Result r = new Trainer<>(task).maxSteps(steps).fit(e -> {
            if (e instanceof TrainingEvent.Step st && st.step() > steps - 10) last[0] += st.loss();
        });
        return new double[] {r.trainSeconds(), last[0] / Math.min(10, steps)};
    }

}
