package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.data.ImageGrid;
import dev.glassbox.models.data.Scatter;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.train.Batches;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.IndexBatches;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.StepContext;
import dev.glassbox.models.train.StepResult;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingState;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The variational autoencoder ({@link Vae}) on images: {@code course} 64-32-4 on the embedded
 * 8×8 digits; {@code mnist} the W8 network 784-400-20 on 28×28 images; {@code latent2}
 * 784-400-2, whose latent plane can be drawn. Adam; the loss per sample is the reconstruction's
 * binary cross-entropy summed over the pixels plus the KL term, as PyTorch's VAE example.
 */
public final class VaeRecipe extends ImageRecipe<Vae> implements ImageSampler {
    @Override public String name() { return "vae"; }

    @Override
    public String title() { return "VAE: encoder -> mu, log sigma^2 -> z = mu + sigma*eps -> decoder; loss = reconstruction + KL; Adam"; }

    @Override public List<String> presets() { return List.of("course", "mnist", "latent2"); }

    @Override
    public TrainSettings settings(String preset) {
        return "course".equals(checkPreset(preset)) ? defaults(preset, 60, 3e-3f, 32) : defaults(preset, 10, 1e-3f, 128);
    }

    /** The held-out loss per sample: reconstruction plus KL. */
    @Override public String headlineMetric() { return "test_loss"; }

    @Override Class<Vae> modelClass() { return Vae.class; }

    @Override int side(String preset) { return preset.equals("course") ? 8 : 28; }

    @Override int side(Vae model) { return model.inputs == 64 ? 8 : 28; }

    @Override
    Vae build(String preset, Generator g) {
        return switch (preset) {
            case "course" -> new Vae(64, 32, 4, g);
            case "latent2" -> new Vae(784, 400, 2, g);
            default -> new Vae(784, 400, 20, g);
        };
    }

    @Override Optimizer optimizer(Vae model, float lr) { return new Adam(model.parameters(), lr); }

    /** The loss with ε from a generator of its own (so a held-out measurement is the same every time). */
    @Override
    Tensor loss(Vae model, TensorDataset.Batch b) { return model.pass(b.inputs(), new Generator(b.size())).loss(); }

    /** The reconstruction, KL and total loss per sample on the held-out images, ε drawn from a fixed seed. */
    @Override
    Map<String, Object> metrics(Vae model, Data data) {
        double recon = 0, kl = 0;
        Generator g = new Generator(1);
        try (var ignored = GradMode.noGrad()) {
            model.eval();
            for (TensorDataset.Batch b : new DataLoader(data.test(), 1000, null)) {
                Vae.Pass p = model.pass(b.inputs(), g);
                recon += (double) p.recon().item() * b.size();
                kl += (double) p.kl().item() * b.size();
            }
        }
        int n = data.test().size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_loss", (recon + kl) / n);
        m.put("test_recon_loss", recon / n);
        m.put("test_kl_loss", kl / n);
        return m;
    }

    /** Training as PyTorch's VAE example: each step draws ε, and reports loss 1 and loss 2 apart (their epoch means are kept). */
    @Override public List<String> stepFigures(int phase) { return List.of("recon_loss", "kl_loss"); }

    /** On a worker, ε is the rows the run drew for these examples. */
    @Override
    DataParallel.Step replicaLoss(Vae model, TensorDataset.Batch b, Tensor noise) {
        Vae.Pass p = model.pass(b.inputs(), noise);
        return new DataParallel.Step(p.loss(), Map.of("recon_loss", p.recon(), "kl_loss", p.kl()));
    }

    @Override
    public Run train(TrainSettings s, RunOptions run, EventListener events) throws IOException {
        String preset = checkPreset(s.preset());
        TrainingCheckpoint from = TrainingCheckpoint.resumed(run);
        Data data = trainData(preset, s.data(), s.seed());
        Vae model = build(preset, new Generator(s.seed()));
        Optimizer opt = optimizer(model, s.lr());
        Generator shuffle = new Generator(s.seed() + 1), noise = new Generator(s.seed() + 2);
        EventListener listener = withGrids(events, run, this, model);
        GradientService workers = null;
        Map<String, Object> figures = Map.of();
        Trainer.Result r;
        try {
            TrainingTask<?> task;
            if (run.cluster() != null) {   // the same steps, ε drawn here for the whole batch, the gradients on the workers
                workers = ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), model, events);
                task = new ClusterTask(model, opt, new RoundBatches(new IndexBatches(data.train(), s.batch(), shuffle), run.cluster().syncEvery()),
                        workers, epoch -> heldOut(model, data)).drawingNoise(noise, model.latent);
            } else {
                task = new Task(model, opt, new LoaderBatches(data.train(), s.batch(), shuffle), noise, data, this);
            }
            r = fit(task, s, preset, data, opt, run, from, listener);
            if (workers != null) figures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> m = runMetrics(s, r);
        m.put("data", data.name());
        m.put("loss", r.loss());
        m.put("recon_loss", r.evaluation().get("recon_loss"));
        m.put("kl_loss", r.evaluation().get("kl_loss"));
        m.putAll(metrics(model, data));
        Generator sampling = new Generator(s.seed() + 3);
        m.putAll(SampleQuality.score(k -> model.sample(k, sampling).data(), SampleQuality.SAMPLES, data.name(), side(model), events));
        m.putAll(figures);
        events.on(new TrainingEvent.Finished(m, r.seconds()));
        return new Run(model, preset, data.name(), m, r.seconds());
    }

    /** A VAE with a 2-D latent: {@code latent_plane} (15×15 decoded) and {@code latent_scatter} (the held-out μ by class); none otherwise. */
    @Override
    public Map<String, java.awt.image.BufferedImage> pictures(Module model) throws IOException {
        Vae vae = model(model);
        if (vae.latent != 2) return Map.of();
        Images plane = latentPlane(vae, 15);
        Map<String, java.awt.image.BufferedImage> out = new LinkedHashMap<>();
        out.put("latent_plane", ImageGrid.draw(plane.pixels(), plane.n(), plane.side()));
        out.put("latent_scatter", latentScatter(vae, null, 42));
        return out;
    }

    /**
     * The decoded latent plane of a VAE with a 2-D latent: k×k images, z₁ from −3 to 3 left to
     * right and z₂ from 3 to −3 top to bottom, each decoded alone.
     */
    public Images latentPlane(Module model, int k) {
        Vae vae = model(model);
        requireLatent2(vae, "latentGrid");
        InvalidSettingException.check(k >= 2 && k <= 32, "latentGrid", "must be 2 to 32 images a side, got " + k);
        float[] z = new float[k * k * 2];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                z[(r * k + c) * 2] = -3f + 6f * c / (k - 1);
                z[(r * k + c) * 2 + 1] = 3f - 6f * r / (k - 1);
            }
        }
        try (var ignored = GradMode.noGrad()) {
            vae.eval();
            return new Images(vae.decode(Tensor.of(z, k * k, 2)).toArray(), k * k, side(vae));
        }
    }

    /** The μ of every held-out image of {@code data} (null: the model's own data set) as a scatter coloured by class. */
    public java.awt.image.BufferedImage latentScatter(Module model, String data, long seed) throws IOException {
        Vae vae = model(model);
        requireLatent2(vae, "scatter");
        String name = data != null ? data : side(vae) == 8 ? "digits" : "fashion-mnist";
        Data d = loadData(name, seed);
        TensorDataset test = d.test();
        InvalidSettingException.check(test.inputShape()[2] == side(vae), "data",
                "'" + d.name() + "' has images of " + test.inputShape()[2] + "x" + test.inputShape()[2] + "; this vae takes " + side(vae) + "x" + side(vae));
        float[] mu;
        try (var ignored = GradMode.noGrad()) {
            vae.eval();
            mu = vae.encode(test.inputs()).mu().toArray();
        }
        int n = test.size();
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = mu[2 * i];
            y[i] = mu[2 * i + 1];
        }
        return Scatter.draw(x, y, test.labels(), "mu of the " + n + " held-out images of " + d.name(), "mu_1", "mu_2");
    }

    private static void requireLatent2(Vae vae, String setting) {
        InvalidSettingException.check(vae.latent == 2, setting, "needs a VAE with a 2-D latent (the latent2 preset); this one has " + vae.latent);
    }

    /** An epoch's end: the held-out metrics, with the test loss as {@code val_loss}. */
    Map<String, Object> heldOut(Vae model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>(metrics(model, data));
        m.put("val_loss", m.get("test_loss"));
        return m;
    }

    /** One VAE step a batch; ε's generator is part of a checkpoint, so a resumed run draws what it would have. */
    private record Task(Vae model, Optimizer optimizer, Batches<TensorDataset.Batch> batches, Generator noise, Data data, VaeRecipe recipe)
            implements TrainingTask<TensorDataset.Batch> {
        @Override public List<Optimizer> optimizers() { return List.of(optimizer); }

        @Override
        public StepResult step(TensorDataset.Batch b, StepContext ctx) {
            Vae.Pass p = model.pass(b.inputs(), noise);
            float recon = p.recon().item(), kl = p.kl().item();
            float loss = ctx.update(p.loss(), optimizer);
            return new StepResult(loss, b.size(), Map.of("recon_loss", recon, "kl_loss", kl));
        }

        @Override
        public Map<String, Object> evaluate(int epoch) { return recipe.heldOut(model, data); }

        @Override public void saveState(TrainingState state) { state.putGenerator("noise", noise); }

        @Override public void loadState(TrainingState state) { state.restoreGenerator("noise", noise); }
    }

    /** The held-out metrics and the sample scores of 10,000 new images, as training ends ({@link ImageRecipe#evaluateWithSamples}). */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed, EventListener events) throws IOException {
        return evaluateWithSamples(model, data, seed, events, (m, n, g) -> m.sample(n, g).data());
    }

    /** New images: z ~ N(0, I) through the decoder alone. */
    @Override
    public Images sampleImages(Module model, int n, long seed) {
        Vae vae = model(model);
        vae.eval();
        return new Images(vae.sample(n, new Generator(seed)).data(), n, side(vae));
    }

    /** An image's code and its reconstruction from the mean code: μ, σ, and X̂ drawn as text. */
    @Override
    public String predict(Module model, List<String> input) {
        Vae vae = model(model);
        int side = side(vae);
        float[] x = pixels(input, side * side, "vae takes an image of " + side + "x" + side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            vae.eval();
            Vae.Code c = vae.encode(Tensor.of(x, 1, side * side));
            float[] xHat = vae.decode(c.mu()).data();
            StringBuilder sb = new StringBuilder();
            sb.append("mu    = ").append(list(c.mu().data())).append('\n');
            sb.append("sigma = ").append(list(c.logvar().mul(0.5f).exp().data())).append('\n');
            sb.append("the image and its reconstruction from mu:\n");
            for (int r = 0; r < side; r++) {
                sb.append(AutoencoderRecipe.shade(x, r, side)).append("   ").append(AutoencoderRecipe.shade(xHat, r, side)).append('\n');
            }
            return sb.toString().stripTrailing();
        }
    }

    private static String list(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[i]));
        return sb.append(']').toString();
    }

    /** The first held-out image, or the pixels given. */
    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) return new Example(data.test().inputs().select(0, 0).flatten(0, -1).toArray(), null, null);
        List<String> parts = input.stream().flatMap(w -> java.util.Arrays.stream(w.split("[,\\s]+"))).filter(x -> !x.isEmpty()).toList();
        int n = parts.size() == 784 ? 784 : 64;
        return new Example(setting("input", input, n, "for vae, an image of 8x8 (64) or 28x28 (784) pixel values in [0, 1]"), null, null);
    }

    /**
     * One real Adam step on one image, as the course draws the VAE: by default the course's
     * model fresh from the seed on the first held-out digit; ε is drawn from the same seed.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) throws IOException {
        request.requireNoStage(name());
        InvalidSettingException.check(request.target() == null, "target", "does not apply to explain vae: its target is the input image itself");
        Vae vae = model == null ? build(presets().get(0), new Generator(request.seed())) : model(model);
        Example ex = example(request.input(), null, exampleData(vae, request.seed()));
        InvalidSettingException.check(ex.input().length == vae.inputs, "input",
                "for this vae is an image of " + side(vae) + "x" + side(vae) + " pixel values, got " + ex.input().length + " values");
        for (float v : ex.input()) {
            InvalidSettingException.check(v >= 0 && v <= 1, "input", "holds pixel values in [0, 1] (the reconstruction is scored by binary cross-entropy), got " + v);
        }
        return VaeExplainer.explain(vae, ex.input(), request.lr(), request.seed());
    }
}
