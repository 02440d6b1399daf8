package dev.glassbox.bench;

import dev.glassbox.data.MnistFormat;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.course.Dcgan;
import dev.glassbox.models.course.DcganRecipe;
import dev.glassbox.models.course.Vae;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** The generative workloads of ../shared/BENCHMARKS.md: W8 (the VAE) and W9 (the DCGAN). */
final class GenerativeWorkloads {
    private GenerativeWorkloads() {}

    /**
     * W8: the VAE 784-400-20 (μ, log σ²)-400-784 of {@code vae --preset mnist}, binary
     * cross-entropy summed over the pixels plus KL, Adam 1e-3, batch 128, one epoch of
     * Fashion-MNIST on the Trainer; training samples/s and the loss per sample over the epoch,
     * timed after {@link #W8_WARMUP_STEPS} steps of a throwaway VAE of other seeds
     * ({@code warmup_samples_per_s}: the cold start). {@code quick}: 6,400 images after 3 steps.
     */
    static void w8(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = Workloads.loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(6400) : data.train();
        // timing after a warm-up (BENCHMARKS.md): untimed steps of a throwaway VAE of other seeds, as the peer does
        int warmup = s.quick() ? 3 : W8_WARMUP_STEPS;
        Trainer.Result cold = new Trainer<>(w8Task(train, 10, 11, 12)).maxSteps(warmup).fit(e -> { });
        out.put("warmup_steps", warmup);
        out.put("warmup_samples_per_s", Math.round(128.0 * warmup / cold.trainSeconds()));
        var task = w8Task(train, 0, 1, 2);
        Trainer.Result r = new Trainer<>(task).fit(e -> {
            if (e instanceof TrainingEvent.Step st && st.step() % 100 == 0) {
                progress.accept(String.format(Locale.ROOT, "W8 step %d of %d, loss %.2f", st.step(), st.totalSteps(), st.loss()));
            }
        });
        out.put("samples_per_s", Math.round(train.size() / r.trainSeconds()));
        out.put("loss_per_sample_ep1", Math.round(r.loss() * 100) / 100.0);
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /** Steps W9 trains a throwaway GAN first, untimed (a fifth of its epoch of 938). */
    static final int W9_WARMUP_STEPS = 190;

    /** Steps W8 trains a throwaway VAE first, untimed (a fifth of its epoch of 469). */
    static final int W8_WARMUP_STEPS = 100;

    /** W8's VAE and its Adam step, from seeds for the weights, the shuffle and the noise ε. */
    private static SimpleTask<TensorDataset.Batch> w8Task(TensorDataset train, long modelSeed, long shuffleSeed, long noiseSeed) {
        Vae vae = new Vae(784, 400, 20, new Generator(modelSeed));
        Generator noise = new Generator(noiseSeed);
        return new SimpleTask<>(vae, new Adam(vae.parameters(), 1e-3f), new LoaderBatches(train, 128, new Generator(shuffleSeed)),
                (TensorDataset.Batch b) -> vae.pass(b.inputs(), noise).loss()).weighBy(TensorDataset.Batch::size);
    }

    /**
     * W9: the DCGAN of {@code dcgan --preset mnist} (z of 100, G fc → 128×7×7 → 64×14×14 →
     * 28×28, D 64 → 128 maps → fc), one D and one G step per batch of 64, Adam 2e-4 with
     * β = (0.5, 0.999) each, one epoch of Fashion-MNIST on the Trainer; training images/s and
     * the last 100 steps' mean losses, timed after {@link #W9_WARMUP_STEPS} steps of a throwaway
     * GAN of other seeds ({@code warmup_images_per_s}: the cold start). {@code quick}: 6,400
     * images after 2 steps.
     */
    static void w9(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = Workloads.loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(6400) : data.train();
        // timing after a warm-up (BENCHMARKS.md): untimed steps of a throwaway GAN of other seeds, as the peer does
        int warmup = s.quick() ? 2 : W9_WARMUP_STEPS;
        Dcgan warm = new Dcgan(28, 100, 128, 64, 64, 128, new Generator(10));
        Trainer.Result cold = new Trainer<>(DcganRecipe.trainingTask(warm, 2e-4f, new LoaderBatches(train, 64, new Generator(11)), new Generator(12)))
                .maxSteps(warmup).fit(e -> { });
        out.put("warmup_steps", warmup);
        out.put("warmup_images_per_s", Math.round(64.0 * warmup / cold.trainSeconds()));
        Dcgan gan = new Dcgan(28, 100, 128, 64, 64, 128, new Generator(0));
        var task = DcganRecipe.trainingTask(gan, 2e-4f, new LoaderBatches(train, 64, new Generator(1)), new Generator(2));
        java.util.ArrayDeque<float[]> last = new java.util.ArrayDeque<>();
        Trainer.Result r = new Trainer<>(task).fit(e -> {
            if (!(e instanceof TrainingEvent.Step st)) return;
            last.addLast(new float[] {st.metrics().get("d_loss"), st.metrics().get("g_loss")});
            if (last.size() > 100) last.removeFirst();
            if (st.step() % 100 == 0) progress.accept(String.format(Locale.ROOT, "W9 step %d of %d", st.step(), st.totalSteps()));
        });
        double dl = 0, gl = 0;
        for (float[] v : last) {
            dl += v[0];
            gl += v[1];
        }
        out.put("images_per_s", Math.round(train.size() / r.trainSeconds()));
        out.put("d_loss_last100", Math.round(dl / last.size() * 10000) / 10000.0);
        out.put("g_loss_last100", Math.round(gl / last.size() * 10000) / 10000.0);
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }
}
