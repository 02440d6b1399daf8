package dev.glassbox.models.course;

import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.Runs;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VaeTest {
    @TempDir
    Path dir;

    /** z = μ + σ·ε, loss 2 = Σ BCE(sigmoid(logits), x) / N and loss 1 = −½·Σ(1 + log σ² − μ² − σ²) / N, recomputed by hand. */
    @Test
    void passIsTheCoursesFormulas() {
        Vae vae = new Vae(4, 3, 2, new Generator(5));
        float[] x = {0f, 0.25f, 1f, 0.5f, 1f, 0f, 0.75f, 0.1f};
        Vae.Pass p = vae.pass(Tensor.of(x, 2, 4), new Generator(9));
        float[] mu = p.code().mu().data(), lv = p.code().logvar().data(), eps = p.eps().data(), z = p.z().data(), lg = p.logits().data();
        double kl = 0;
        for (int i = 0; i < 4; i++) {
            assertEquals(mu[i] + Math.exp(0.5 * lv[i]) * eps[i], z[i], 1e-6, "z " + i);
            kl += 1 + lv[i] - mu[i] * mu[i] - Math.exp(lv[i]);
        }
        double recon = 0;
        for (int i = 0; i < 8; i++) {
            double s = 1 / (1 + Math.exp(-lg[i]));
            recon -= x[i] * Math.log(s) + (1 - x[i]) * Math.log(1 - s);
        }
        assertEquals(recon / 2, p.recon().item(), 1e-5);
        assertEquals(-0.5 * kl / 2, p.kl().item(), 1e-6);
        assertEquals(p.recon().item() + p.kl().item(), p.loss().item(), 1e-6);
        assertTrue(p.kl().item() >= 0, "a KL divergence is never negative");
    }

    /** The gradient reaches the encoder, μ and log σ² through z: backward agrees with finite differences. */
    @Test
    void gradientsAgreeWithFiniteDifferences() {
        Vae vae = new Vae(6, 4, 3, new Generator(2));
        Tensor x = Tensor.of(new float[] {0.1f, 0.9f, 0.4f, 0f, 1f, 0.6f, 0.7f, 0.2f, 0.3f, 0.8f, 0.5f, 0.05f}, 2, 6);
        vae.zeroGrad();
        vae.pass(x, new Generator(4)).loss().backward();
        for (var e : vae.namedParameters().entrySet()) {
            float[] w = e.getValue().data();
            float[] grad = e.getValue().grad().data();
            for (int i = 0; i < Math.min(3, w.length); i++) {
                float keep = w[i], h = 1e-2f;
                w[i] = keep + h;
                double up = vae.pass(x, new Generator(4)).loss().item();
                w[i] = keep - h;
                double down = vae.pass(x, new Generator(4)).loss().item();
                w[i] = keep;
                double fd = (up - down) / (2 * h);
                assertEquals(fd, grad[i], 2e-3 + 2e-2 * Math.abs(fd), e.getKey() + "[" + i + "]");
            }
        }
    }

    /** The course's VAE learns the digits (held-out loss well below a fresh model's), saves, reloads and draws new digits. */
    @Test
    void courseVaeTrainsSavesAndSamples() throws IOException {
        VaeRecipe r = (VaeRecipe) Recipes.get("vae");
        Path f = dir.resolve("vae.safetensors");
        var run = Runs.train("vae", "course", t -> t.withEpochs(15), RunOptions.saveTo(f), EventListener.NONE);
        Map<String, Object> m = run.metrics();
        for (String k : List.of("loss", "recon_loss", "kl_loss", "test_loss", "test_recon_loss", "test_kl_loss")) assertTrue(m.containsKey(k), k + " in " + m);
        double fresh = (double) r.evaluate(new Vae(64, 32, 4, new Generator(42)), null, 42).get("test_loss");
        double trained = (double) m.get("test_loss");
        assertTrue(trained < 0.7 * fresh, "trained " + trained + " against a fresh model's " + fresh);
        assertEquals((float) m.get("loss"), (float) m.get("recon_loss") + (float) m.get("kl_loss"), 1e-3f * (float) m.get("loss"));
        var loaded = r.load(f);
        assertEquals(trained, (double) r.evaluate(loaded, null, 42).get("test_loss"), 1e-9, "the reloaded model scores the same on the same split");
        ImageSampler.Images im = r.sampleImages(loaded, 5, 3);
        assertEquals(5 * 64, im.pixels().length);
        assertEquals(8, im.side());
        for (float v : im.pixels()) assertTrue(v > 0f && v < 1f, "a pixel " + v);
        assertEquals(r.sampleImages(loaded, 5, 3).pixels()[17], im.pixels()[17], "the same seed draws the same images");
        String p = r.predict(loaded, List.of("0 ".repeat(64).trim().split(" ")));
        assertTrue(p.startsWith("mu    = [") && p.contains("sigma = ["), p);
        var bad = assertThrows(IllegalArgumentException.class, () -> r.predict(loaded, List.of("0.5")));
        assertTrue(bad.getMessage().contains("expected 64 numbers, got 1"), bad.getMessage());
    }

    /** explain vae: one real Adam step of the course's model, every number recomputed by hand; the model's weights are the step's "after". */
    @Test
    void explanationIsTheEnginesStep() throws IOException {
        VaeRecipe r = (VaeRecipe) Recipes.get("vae");
        var t = (dev.glassbox.models.explain.Trace) r.explain(null, dev.glassbox.models.explain.ExplainRequest.of(3e-3f, 42));
        dev.glassbox.models.explain.VaeTraceCheck.verify(t);
        assertEquals(4, t.events(dev.glassbox.models.explain.Event.Reparameterize.class).size());
        var trained = Runs.train("vae", "course", x -> x.withEpochs(3)).model();
        var again = (dev.glassbox.models.explain.Trace) r.explain(trained, dev.glassbox.models.explain.ExplainRequest.of(1e-2f, 7)
                .withInput(List.of("0.5 ".repeat(64).trim()), null));
        dev.glassbox.models.explain.VaeTraceCheck.verify(again);
        var target = assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> r.explain(null, dev.glassbox.models.explain.ExplainRequest.of(3e-3f, 42).withInput(List.of(), "3")));
        assertEquals("target", target.setting());
        var pixel = assertThrows(dev.glassbox.models.train.InvalidSettingException.class,
                () -> r.explain(null, dev.glassbox.models.explain.ExplainRequest.of(3e-3f, 42).withInput(List.of("2 ".repeat(64).trim()), null)));
        assertTrue(pixel.getMessage().contains("[0, 1]"), pixel.getMessage());
    }

    /** A 2-D latent: the plane decoded on a k×k grid over [−3, 3]², and the held-out images' μ as a scatter; other latents are refused. */
    @Test
    void latentPlaneAndScatter() throws IOException {
        VaeRecipe r = (VaeRecipe) Recipes.get("vae");
        Vae two = new Vae(64, 8, 2, new Generator(3));
        ImageSampler.Images plane = r.latentPlane(two, 3);
        assertEquals(9, plane.n());
        assertEquals(9 * 64, plane.pixels().length);
        float[] corner = two.decode(Tensor.of(new float[] {-3f, 3f}, 1, 2)).toArray();
        for (int i = 0; i < 64; i++) assertEquals(corner[i], plane.pixels()[i], 1e-6f, "the top-left image is z = (-3, 3)");
        float[] last = two.decode(Tensor.of(new float[] {3f, -3f}, 1, 2)).toArray();
        for (int i = 0; i < 64; i++) assertEquals(last[i], plane.pixels()[8 * 64 + i], 1e-6f, "the bottom-right image is z = (3, -3)");
        var img = r.latentScatter(two, "digits", 42);
        assertEquals(720, img.getWidth());
        var four = assertThrows(dev.glassbox.models.train.InvalidSettingException.class, () -> r.latentPlane(new Vae(64, 8, 4, new Generator(1)), 3));
        assertEquals("latentGrid", four.setting());
        var big = assertThrows(dev.glassbox.models.train.InvalidSettingException.class, () -> r.latentPlane(two, 33));
        assertTrue(big.getMessage().contains("2 to 32"), big.getMessage());
    }
}
