package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.ImageSampler;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
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
import dev.glassbox.nn.Parameter;
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
 * The DCGAN ({@link Dcgan}) on images: {@code course} on the embedded 8×8 digits (z of 16; G 32
 * maps of 2×2 → 16 of 4×4 → the image; D 16 → 32 maps), {@code mnist} the W9 network on 28×28
 * images (z of 100; G 128 maps of 7×7 → 64 of 14×14 → the image; D 64 → 128 maps). Each batch
 * one step of D — real images against target 1, G's images (detached: G untouched) against
 * target 0, the two losses summed — then one step of G — its images through D against target
 * 1, D untouched — each with its own Adam (2e-4, β = (0.5, 0.999), as the DCGAN paper).
 */
public final class DcganRecipe extends ImageRecipe<Dcgan> implements ImageSampler {
    @Override public String name() { return "dcgan"; }

    @Override
    public String title() { return "DCGAN: generator z -> fc -> transposed convs -> image, discriminator convs -> fc -> real?, trained in turn"; }

    @Override public List<String> presets() { return List.of("course", "mnist"); }

    @Override
    public TrainSettings settings(String preset) {
        return "course".equals(checkPreset(preset)) ? defaults(preset, 40, 2e-3f, 32) : defaults(preset, 5, 2e-4f, 64);
    }

    /** The tour trains the course's GAN for 16 epochs (about 4 seconds; digits appear): the whole tour stays under a minute. */
    @Override
    public TrainSettings tourSettings(String preset) { return settings(preset).withEpochs(16); }

    /** The last epoch's mean of D's probability for G's images: near 0.5 when G fools D half the time. */
    @Override public String headlineMetric() { return "d_fake"; }

    @Override Class<Dcgan> modelClass() { return Dcgan.class; }

    @Override int side(String preset) { return preset.equals("course") ? 8 : 28; }

    @Override int side(Dcgan model) { return model.side; }

    @Override
    Dcgan build(String preset, Generator g) {
        return preset.equals("course") ? new Dcgan(8, 16, 32, 16, 16, 32, g) : new Dcgan(28, 100, 128, 64, 64, 128, g);
    }

    /** D's loss on a batch of real images and as many of G's (for the generic validation; training has its own task). */
    @Override
    Tensor loss(Dcgan model, TensorDataset.Batch b) {
        Tensor real = model.discriminate(b.inputs());
        Tensor fake = model.discriminator.forward(model.generator.forward(Tensor.randn(new Generator(b.size()), b.size(), model.latent)));
        return Dcgan.discriminatorLoss(real, fake);
    }

    /** D's mean probability for the held-out real images and for as many of G's (z from a fixed seed), both nets in eval mode. */
    @Override
    Map<String, Object> metrics(Dcgan model, Data data) {
        double real = 0, fake = 0, loss = 0;
        Generator g = new Generator(1);
        try (var ignored = GradMode.noGrad()) {
            model.eval();
            for (TensorDataset.Batch b : new DataLoader(data.test(), 1000, null)) {
                Tensor r = model.discriminate(b.inputs());
                Tensor f = model.discriminator.forward(model.generator.forward(Tensor.randn(g, b.size(), model.latent)));
                real += sum(r.sigmoid());
                fake += sum(f.sigmoid());
                loss += (double) Dcgan.discriminatorLoss(r, f).item() * b.size();
            }
        }
        int n = data.test().size();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("test_d_loss", loss / n);
        m.put("test_d_real", real / n);
        m.put("test_d_fake", fake / n);
        return m;
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (float v : t.data()) s += v;
        return s;
    }

    /**
     * One process, or on a cluster: each batch's z drawn here, then the workers compute D's
     * gradient (phase 0) for D's Adam to step here, then G's through the updated D (phase 1) —
     * two synchronisations a batch. BatchNorm normalises each worker's share of the batch by that
     * share's statistics (as PyTorch's DistributedDataParallel without SyncBatchNorm), and the
     * running statistics come back averaged by examples; so on one worker the run is exactly the
     * single-process run, on more it is a run of smaller BatchNorm batches.
     */
    @Override
    public Run train(TrainSettings s, RunOptions run, EventListener events) throws IOException {
        String preset = checkPreset(s.preset());
        TrainingCheckpoint from = TrainingCheckpoint.resumed(run);
        Data data = trainData(preset, s.data(), s.seed());
        Dcgan model = build(preset, new Generator(s.seed()));
        Adam dOpt = new Adam(model.discriminator.parameters(), s.lr()).betas(0.5f, 0.999f);
        Adam gOpt = new Adam(model.generator.parameters(), s.lr()).betas(0.5f, 0.999f);
        InvalidSettingException.check(run.cluster() == null || run.cluster().syncEvery() == 1, "syncEvery",
                "must be 1 for the dcgan: D and G step one after the other on each batch, G through the D of that step");
        GradientService workers = run.cluster() == null ? null : ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), model, events);
        try {
            TrainingTask<?> task;
            if (workers != null) {
                task = new ClusterTask(model, dOpt, new RoundBatches(new IndexBatches(data.train(), s.batch(), new Generator(s.seed() + 1)),
                        run.cluster().syncEvery()), workers, epoch -> heldOut(model, data))
                        .inTurns(List.of(new ClusterTask.Turn(0, dOpt, "the discriminator's loss", "d_loss"),
                                new ClusterTask.Turn(1, gOpt, "the generator's loss", "g_loss")))
                        .drawingNoise(new Generator(s.seed() + 2), model.latent);
            } else {
                task = new Task(model, dOpt, gOpt, new LoaderBatches(data.train(), s.batch(), new Generator(s.seed() + 1)), new Generator(s.seed() + 2),
                        data, this);
            }
            Trainer.Result r = fit(task, s, preset, data, run, from, withGrids(events, run, this, model));
            Map<String, Object> m = runMetrics(s, r);
            m.put("data", data.name());
            for (String k : List.of("d_loss", "g_loss", "d_real", "d_fake")) m.put(k, r.evaluation().get(k));
            m.putAll(metrics(model, data));
            Generator noise = new Generator(s.seed() + 3);
            m.putAll(SampleQuality.score(k -> model.sample(k, noise).data(), SampleQuality.SAMPLES, data.name(), side(model), events));
            if (workers != null) m.putAll(workers.figures());
            events.on(new TrainingEvent.Finished(m, r.seconds()));
            return new Run(model, preset, data.name(), m, r.seconds());
        } finally {
            if (workers != null) workers.close();
        }
    }

    private <B> Trainer.Result fit(TrainingTask<B> task, TrainSettings s, String preset, Data data, RunOptions run, TrainingCheckpoint from,
                                   EventListener listener) throws IOException {
        return new Trainer<>(task).epochs(s.epochs()).maxSteps(s.steps())
                .describe(name(), preset, data.name()).keep(run, identity(s, Map.of())).resumeFrom(from).fit(listener);
    }

    /** D's loss on the held-out real images and as many of G's, and D's mean probabilities for each ({@code val_loss}: D's loss). */
    private Map<String, Object> heldOut(Dcgan model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>(metrics(model, data));
        m.put("val_loss", m.get("test_d_loss"));
        return m;
    }

    /** D's step reports D's mean probability for the real images and for G's. */
    @Override
    public List<String> stepFigures(int phase) { return phase == 0 ? List.of("d_real", "d_fake") : List.of(); }

    /**
     * A worker's copy of a run: the images, fresh models, and the two phases of a batch with the z
     * the driver drew for its examples — D's loss (real against 1, G's images against 0; G
     * untouched) with D's Adam, then G's (its images through D against 1) with G's. G's images
     * are made again in phase 1 from the same z and weights; the running statistics of G's
     * BatchNorm are kept as phase 0 left them, so they move once a batch as in one process.
     */
    @Override
    public Replica<TensorDataset.Batch> replica(String settings) throws IOException {
        TrainSettings s = SettingsJson.read(settings, TrainSettings.class, "the run's settings");
        String preset = checkPreset(s.preset());
        Data data = trainData(preset, s.data(), s.seed());
        Phase<TensorDataset.Batch> d = new Phase<>((module, b, z) -> {
            Dcgan m = (Dcgan) module;
            Tensor fake;
            try (var ignored = GradMode.noGrad()) {
                fake = m.generator.forward(z);
            }
            Tensor real = m.discriminate(b.inputs()), faked = m.discriminator.forward(fake);
            return new Step(Dcgan.discriminatorLoss(real, faked), Map.of("d_real", real.sigmoid().mean(), "d_fake", faked.sigmoid().mean()));
        }, (module, lr) -> new Adam(((Dcgan) module).discriminator.parameters(), lr).betas(0.5f, 0.999f));
        Phase<TensorDataset.Batch> g = new Phase<>((module, b, z) -> {
            Dcgan m = (Dcgan) module;
            Tensor fake = keepingBuffers(m.generator, () -> m.generator.forward(z));
            return Step.of(Dcgan.against(m.discriminator.forward(fake), 1f));
        }, (module, lr) -> new Adam(((Dcgan) module).generator.parameters(), lr).betas(0.5f, 0.999f),
                module -> ((Dcgan) module).discriminator.parameters());   // as the single-process G step: D's weights take no gradient
        return new Replica<>(DataParallel.rows(data.train()), () -> build(preset, new Generator(s.seed())), List.of(d, g));
    }

    /** {@code f}'s result, with {@code m}'s buffers (BatchNorm's running statistics) as they were before it ran. */
    private static Tensor keepingBuffers(Module m, java.util.function.Supplier<Tensor> f) {
        Map<String, Tensor> state = m.stateDict();
        state.keySet().removeAll(m.namedParameters().keySet());
        Map<String, float[]> saved = new LinkedHashMap<>();
        state.forEach((k, t) -> saved.put(k, t.data().clone()));
        Tensor out = f.get();
        state.forEach((k, t) -> System.arraycopy(saved.get(k), 0, t.data(), 0, t.numel()));
        return out;
    }

    /**
     * The training of one batch as {@code train} runs it — a D step then a G step, each with its
     * own Adam at {@code lr}, β = (0.5, 0.999) — for a model and batches of one's own (the W9
     * benchmark); nothing is measured at an epoch's end.
     */
    public static TrainingTask<TensorDataset.Batch> trainingTask(Dcgan model, float lr, Batches<TensorDataset.Batch> batches, Generator noise) {
        return new Task(model, new Adam(model.discriminator.parameters(), lr).betas(0.5f, 0.999f),
                new Adam(model.generator.parameters(), lr).betas(0.5f, 0.999f), batches, noise, null, null);
    }

    /**
     * One D step and one G step a batch, each through the Trainer's update (so a NaN or an
     * exploding loss stops the run, naming the parameter — generator.* or discriminator.* — and
     * the last checkpoint stays as it was); z's generator is part of a checkpoint.
     */
    private record Task(Dcgan model, Adam dOpt, Adam gOpt, Batches<TensorDataset.Batch> batches, Generator noise, Data data, DcganRecipe recipe)
            implements TrainingTask<TensorDataset.Batch> {
        /** D's loss on the held-out real images and as many of G's (z from a fixed seed), and D's mean probabilities for each. */
        @Override
        public Map<String, Object> evaluate(int epoch) { return data == null ? Map.of() : recipe.heldOut(model, data); }

        @Override public List<Optimizer> optimizers() { return List.of(dOpt, gOpt); }

        @Override
        public StepResult step(TensorDataset.Batch b, StepContext ctx) {
            int n = b.size();
            Tensor fake = model.generator.forward(Tensor.randn(noise, n, model.latent));
            Tensor realLogits = model.discriminate(b.inputs());
            Tensor fakeLogits = model.discriminator.forward(fake.detach());        // D's step leaves G alone
            float dReal = mean(realLogits), dFake = mean(fakeLogits);
            Tensor dLoss = Dcgan.discriminatorLoss(realLogits, fakeLogits);
            float d = ctx.update(dLoss, dOpt, "the discriminator's loss");
            float g = generatorStep(model, fake, gOpt, ctx);
            return new StepResult(d + g, n, Map.of("d_loss", d, "g_loss", g, "d_real", dReal, "d_fake", dFake));
        }

        /**
         * G's step: its images through D against target 1, and only gOpt steps. It needs the
         * gradient through D to G's images, not D's own weight gradients, which D's next step would
         * clear unread (PyTorch's loop computes them): D's trainable parameters stop requiring a
         * gradient for this forward and backward pass, as {@code requires_grad_(False)} does, and
         * start again after. The updates are the same, for about 8% fewer multiply-adds a batch.
         */
        private static float generatorStep(Dcgan model, Tensor fake, Adam gOpt, StepContext ctx) {
            try (var ignored = Parameter.freeze(model.discriminator.parameters())) {
                return ctx.update(Dcgan.against(model.discriminator.forward(fake), 1f), gOpt, "the generator's loss");
            }
        }

        private static float mean(Tensor logits) {
            double s = 0;
            for (float v : logits.data()) s += 1 / (1 + Math.exp(-v));
            return (float) (s / logits.numel());
        }

        @Override public void saveState(TrainingState state) { state.putGenerator("noise", noise); }

        @Override public void loadState(TrainingState state) { state.restoreGenerator("noise", noise); }
    }

    /** The held-out metrics and the sample scores of 10,000 new images, as training ends ({@link ImageRecipe#evaluateWithSamples}). */
    @Override
    public Map<String, Object> evaluate(Module model, String data, long seed, EventListener events) throws IOException {
        return evaluateWithSamples(model, data, seed, events, (m, n, g) -> m.sample(n, g).data());
    }

    @Override
    public Images sampleImages(Module model, int n, long seed) {
        Dcgan gan = model(model);
        return new Images(gan.sample(n, new Generator(seed)).data(), n, gan.side);
    }

    /** D's probability that an image (pixel values in [0, 1]) is real. */
    @Override
    public String predict(Module model, List<String> input) {
        Dcgan gan = model(model);
        float[] x = pixels(input, gan.side * gan.side, "dcgan takes an image of " + gan.side + "x" + gan.side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            gan.eval();
            float p = gan.discriminate(Tensor.of(x, 1, gan.side * gan.side)).sigmoid().item();
            return String.format(Locale.ROOT, "D(x) = %.3f: the discriminator's probability that the image is real", p);
        }
    }

    @Override
    Example example(List<String> input, String target, Data data) {
        return new Example(data.test().inputs().select(0, 0).flatten(0, -1).toArray(), null, null);
    }

    /**
     * One real training step, D's then G's, on the first four held-out images and four of G's
     * (z from the seed): by default the course's GAN fresh from the seed, or a loaded one.
     */
    @Override
    public Explanation explain(Module model, ExplainRequest request) throws IOException {
        request.requireNoStage(name());
        dev.glassbox.models.train.InvalidSettingException.check(request.input().isEmpty(), "input",
                "does not apply to explain dcgan: it takes four held-out images of the model's data and four of G's");
        dev.glassbox.models.train.InvalidSettingException.check(request.target() == null, "target",
                "does not apply to explain dcgan: D's targets are 1 for real images and 0 for G's, G's target is 1");
        Dcgan gan = model == null ? build(presets().get(0), new Generator(request.seed())) : model(model);
        Data data = exampleData(gan, request.seed());
        int n = 4, px = gan.side * gan.side;
        float[] real = data.test().inputs().slice(0, 0, n).flatten(0, -1).toArray();
        if (real.length != n * px) throw new IllegalStateException("dcgan: " + real.length + " pixels for " + n + " images of " + px);
        return DcganExplainer.explain(gan, real, n, request.lr(), request.seed());
    }
}
