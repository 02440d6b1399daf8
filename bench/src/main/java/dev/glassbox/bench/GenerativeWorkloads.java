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
     * Fashion-MNIST on the Trainer; training samples/s and the loss per sample over the epoch.
     * {@code quick}: 6,400 images.
     */
    static void w8(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = Workloads.loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(6400) : data.train();
        Vae vae = new Vae(784, 400, 20, new Generator(0));
        Generator noise = new Generator(2);
        var task = new SimpleTask<>(vae, new Adam(vae.parameters(), 1e-3f), new LoaderBatches(train, 128, new Generator(1)),
                (TensorDataset.Batch b) -> vae.pass(b.inputs(), noise).loss()).weighBy(TensorDataset.Batch::size);
        Trainer.Result r = new Trainer<>(task).fit(e -> {
            if (e instanceof TrainingEvent.Step st && st.step() % 100 == 0) {
                progress.accept(String.format(Locale.ROOT, "W8 step %d of %d, loss %.2f", st.step(), st.totalSteps(), st.loss()));
            }
        });
        out.put("samples_per_s", Math.round(train.size() / r.trainSeconds()));
        out.put("loss_per_sample_ep1", Math.round(r.loss() * 100) / 100.0);
        out.put("peak_rss_mb", Math.round(Memory.peakRssMb()));
    }

    /**
     * W9: the DCGAN of {@code dcgan --preset mnist} (z of 100, G fc → 128×7×7 → 64×14×14 →
     * 28×28, D 64 → 128 maps → fc), one D and one G step per batch of 64, Adam 2e-4 with
     * β = (0.5, 0.999) each, one epoch of Fashion-MNIST on the Trainer; training images/s and
     * the last 100 steps' mean losses. {@code quick}: 6,400 images.
     */
    static void w9(Map<String, Object> out, Workloads.Settings s, Consumer<String> progress) throws IOException {
        MnistFormat.Split data = Workloads.loadFashionMnist(out);
        if (data == null) return;
        TensorDataset train = s.quick() ? data.train().head(6400) : data.train();
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
