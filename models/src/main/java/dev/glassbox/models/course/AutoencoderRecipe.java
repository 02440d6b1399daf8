package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.data.ImageGrid;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.explain.Activation;
import dev.glassbox.models.explain.DenseExplainer;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.DataParallel;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.IndexBatches;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The stacked autoencoder, trained the course's way in four stages: (1) encoder_1/decoder_1
 * reconstruct X; X is encoded to Z1; (2) encoder_2/decoder_2 reconstruct Z1; Z1 is encoded to
 * Z2; (3) a classifier learns the classes from Z2 while the encoders stay fixed; (4) encoder_1,
 * encoder_2 and the classifier are fine-tuned together as one network. Each stage uses Adam
 * at {@code --lr} for {@code --epochs} epochs. The reconstruction losses are the mean squared
 * error per value on the held-out images, measured at the end of their stage (fine-tuning moves
 * encoder_1 and encoder_2 afterwards, and the decoders are not part of the final network). Presets: {@code course} (64-32-16-10, the embedded 8×8 digits)
 * and {@code mnist} (784-256-64-10, 28×28 images).
 */
public final class AutoencoderRecipe extends ImageRecipe<StackedAutoencoder> {
    @Override public String name() { return "autoencoder"; }

    @Override
    public String title() {
        return "stacked autoencoder: greedy layer-wise pretraining (X -> Z1 -> Z2), classifier on Z2, then fine-tuning";
    }

    @Override public List<String> presets() { return List.of("course", "mnist"); }

    /** Epochs are per stage. */
    @Override
    public TrainSettings settings(String preset) { return "mnist".equals(preset) ? defaults(preset, 3, 1e-3f, 64) : defaults(preset, 40, 3e-3f, 32); }

    @Override public String headlineMetric() { return "acc"; }

    @Override Class<StackedAutoencoder> modelClass() { return StackedAutoencoder.class; }

    @Override
    int side(String preset) { return preset.equals("mnist") ? 28 : 8; }

    @Override
    int side(StackedAutoencoder model) { return model.inputs == 64 ? 8 : 28; }

    @Override
    StackedAutoencoder build(String preset, Generator g) {
        return preset.equals("mnist") ? new StackedAutoencoder(784, 256, 64, 10, g) : new StackedAutoencoder(64, 32, 16, 10, g);
    }

    @Override
    Tensor loss(StackedAutoencoder model, TensorDataset.Batch b) { return F.crossEntropy(model.forward(b.inputs()), b.labels()); }

    /** The four stages, in order: name, then what it trains for. */
    private static final List<String> STAGES = List.of("encoder_1/decoder_1", "encoder_2/decoder_2", "classifier", "fine-tuning");

    /**
     * The four stages, each on the {@link Trainer} with its own Adam; every stage's end is a
     * checkpoint (when saving), and a run resumed from a checkpoint skips the stages it finished
     * (taking what they measured from the checkpoint) and continues its stage exactly. On a
     * cluster each stage is a phase of the same workers, which hold the images and labels and
     * encode them to Z1 and Z2 with the step's weights (the encoders a stage does not train are
     * fixed, so these are the Z1 and Z2 one process encodes once).
     */
    @Override
    public Run train(TrainSettings s, RunOptions run, EventListener events) throws IOException {
        String preset = checkPreset(s.preset());
        Data data = trainingData(preset, s.data(), s.seed());
        StackedAutoencoder m = build(preset, new Generator(s.seed()));
        Generator shuffle = new Generator(s.seed() + 1);
        TrainingCheckpoint from = TrainingCheckpoint.resumed(run);
        Map<String, String> carried = new LinkedHashMap<>();
        int resumeStage = 0;
        if (from != null) {
            resumeStage = STAGES.indexOf(from.stage()) + 1;
            if (resumeStage == 0) throw new IOException(from.file() + " is not a checkpoint of the autoencoder's stages");
            from.restoreWeights(m);            // the encoders that make Z1 and Z2 below
            carried.putAll(from.carried());
        }
        GradientService workers = run.cluster() == null ? null : ScaleOut.find().open(run.cluster(), name(), SettingsJson.write(s), m, events);
        try {
            return train(s, preset, data, m, new Stages(this, s, run, from, resumeStage, carried, shuffle, m, data.train(), workers, events));
        } finally {
            if (workers != null) workers.close();
        }
    }

    private Run train(TrainSettings s, String preset, Data data, StackedAutoencoder m, Stages st) throws IOException {
        Map<String, String> carried = st.carried();
        EventListener events = st.events();
        int perEpoch = (data.train().size() + s.batch() - 1) / s.batch();
        events.on(new TrainingEvent.Started(name(), preset, data.name(), s.epochs(), perEpoch, 4L * s.epochs() * perEpoch, 0));
        double seconds = 0;

        // Stage 1: encoder_1/decoder_1 learn to reconstruct X.
        Tensor x = m.rows(data.train().inputs()), testX = m.rows(data.test().inputs());
        seconds += Stages.seconds(st.run(1, "reconstruct X from Z1 = encoder_1(X)", TensorDataset.ofTargets(x, x), params(m.encoder1, m.decoder1),
                b -> F.mseLoss(m.decode1(m.encode1(b.inputs())), b.targets()),
                () -> Map.of("val_loss", F.mseLoss(m.decode1(m.encode1(testX)), testX).item())));

        // Stage 2: X is encoded to Z1 once; encoder_2/decoder_2 learn to reconstruct Z1.
        Tensor z1 = noGrad(() -> m.encode1(data.train().inputs()));
        seconds += Stages.seconds(st.run(2, "reconstruct Z1 from Z2 = encoder_2(Z1)", TensorDataset.ofTargets(z1, z1), params(m.encoder2, m.decoder2),
                b -> F.mseLoss(m.decode2(m.encode2(b.inputs())), b.targets()), () -> {
                    Tensor tz1 = m.encode1(testX);
                    return Map.of("val_loss", F.mseLoss(m.decode2(m.encode2(tz1)), tz1).item());
                }));

        // Stage 3: Z1 is encoded to Z2 once; the classifier learns the classes from Z2.
        Tensor z2 = noGrad(() -> m.encode2(z1));
        seconds += Stages.seconds(st.run(3, "classify Z2 = encoder_2(encoder_1(X)), encoders fixed", TensorDataset.ofLabels(z2, data.train().labels()),
                params(m.classifier), b -> F.crossEntropy(m.classifier.forward(b.inputs()), b.labels()), () -> heldOut(m, data)));

        // Stage 4: the whole network X -> encoder_1 -> encoder_2 -> classifier, fine-tuned together.
        Trainer.Result last = st.run(4, "train encoder_1, encoder_2 and the classifier together on the classes", data.train(),
                params(m.encoder1, m.encoder2, m.classifier), b -> F.crossEntropy(m.forward(b.inputs()), b.labels()), () -> heldOut(m, data));
        seconds += last.seconds();

        Map<String, Object> out = runMetrics(s, last);   // cut short by --steps: each stage's epochs and steps, as the last stage's
        out.put("data", data.name());
        out.put("loss", Float.parseFloat(carried.get("train_loss_stage4")));
        out.putAll(metrics(m, data));
        out.put("acc_before_finetune", Double.parseDouble(carried.get("acc_stage3")));
        out.put("acc_after_finetune", out.get("acc"));
        out.put("recon_loss_stage1", Float.parseFloat(carried.get("val_loss_stage1")));
        out.put("recon_loss_stage2", Float.parseFloat(carried.get("val_loss_stage2")));
        out.put("train_recon_loss_stage1", Float.parseFloat(carried.get("train_loss_stage1")));
        out.put("train_recon_loss_stage2", Float.parseFloat(carried.get("train_loss_stage2")));
        out.put("train_classifier_loss_stage3", Float.parseFloat(carried.get("train_loss_stage3")));
        if (st.workers() != null) out.putAll(st.workers().figures());
        events.on(new TrainingEvent.Finished(out, seconds));
        return new Run(m, preset, data.name(), out, seconds);
    }

    /**
     * Runs the stages of one training run, skipping those a resumed checkpoint had finished; on
     * {@code workers} (null: in this process) when the run is on a cluster, whose training set is
     * {@code images}.
     */
    private record Stages(AutoencoderRecipe recipe, TrainSettings s, RunOptions run, TrainingCheckpoint from, int resumeStage,
                          Map<String, String> carried, Generator shuffle, StackedAutoencoder model, TensorDataset images,
                          GradientService workers, EventListener events) {
        /**
         * Trains stage {@code index} with its own Adam (unless a resumed run is past it), with
         * {@code evaluate} on held-out data at each epoch's end; records the stage's last epoch's
         * loss and last evaluation in what later checkpoints carry; returns the stage's result, or
         * null for a stage a resumed run is past.
         */
        Trainer.Result run(int index, String goal, TensorDataset data, List<Parameter> params, Function<TensorDataset.Batch, Tensor> loss,
                   Supplier<Map<String, Object>> evaluate) throws IOException {
            if (index < resumeStage) return null;
            Adam adam = new Adam(params, s.lr());
            TrainingTask<?> task = workers != null
                    ? new ClusterTask(model, adam, new RoundBatches(new IndexBatches(images, s.batch(), shuffle), run.cluster().syncEvery()),
                            workers, epoch -> evaluate.get()).inPhase(index - 1)
                    : new SimpleTask<>(model, adam, new LoaderBatches(data, s.batch(), shuffle), loss)
                            .weighBy(TensorDataset.Batch::size).evaluateWith(epoch -> evaluate.get());
            return fit(index, goal, task);
        }

        private <B> Trainer.Result fit(int index, String goal, TrainingTask<B> task) throws IOException {
            Trainer.Result r = new Trainer<>(task).epochs(s.epochs()).maxSteps(s.steps())
                    .stage(index, STAGES.size(), STAGES.get(index - 1), goal, carried)
                    .keep(run, recipe.identity(s, Map.of())).resumeFrom(index == resumeStage ? from : null).fit(events);
            carried.put("train_loss_stage" + index, Float.toString(r.loss()));
            r.evaluation().forEach((k, v) -> carried.put(k + "_stage" + index, String.valueOf(v)));
            return r;
        }

        static double seconds(Trainer.Result r) { return r == null ? 0 : r.seconds(); }
    }

    /**
     * A worker's copy of a run: the images and labels, fresh models of its preset, and the four
     * stages as phases — each the loss of its stage computed from a batch of images (Z1 and Z2
     * encoded with the step's weights, without gradient where the stage keeps an encoder fixed)
     * and Adam over the parameters that stage trains.
     */
    @Override
    public Replica<TensorDataset.Batch> replica(String settings) throws IOException {
        TrainSettings s = SettingsJson.read(settings, TrainSettings.class, "the run's settings");
        String preset = checkPreset(s.preset());
        Data data = trainingData(preset, s.data(), s.seed());
        List<Phase<TensorDataset.Batch>> phases = new ArrayList<>();
        for (int stage = 1; stage <= STAGES.size(); stage++) {
            int k = stage;
            phases.add(new Phase<>((model, b, noise) -> Step.of(stageLoss(k, (StackedAutoencoder) model, b)),
                    (model, lr) -> new Adam(stageParams(k, (StackedAutoencoder) model), lr)));
        }
        return new Replica<>(DataParallel.rows(data.train()), () -> build(preset, new Generator(s.seed())), phases);
    }

    /** Stage {@code stage}'s loss of a batch of images, as the stage's own data set gives it in one process. */
    static Tensor stageLoss(int stage, StackedAutoencoder m, TensorDataset.Batch b) {
        return switch (stage) {
            case 1 -> {
                Tensor x = m.rows(b.inputs());
                yield F.mseLoss(m.decode1(m.encode1(x)), x);
            }
            case 2 -> {
                Tensor z1 = noGrad(() -> m.encode1(b.inputs()));
                yield F.mseLoss(m.decode2(m.encode2(z1)), z1);
            }
            case 3 -> F.crossEntropy(m.classifier.forward(noGrad(() -> m.encode2(m.encode1(b.inputs())))), b.labels());
            default -> F.crossEntropy(m.forward(b.inputs()), b.labels());
        };
    }

    /** The parameters stage {@code stage} trains. */
    static List<Parameter> stageParams(int stage, StackedAutoencoder m) {
        return switch (stage) {
            case 1 -> params(m.encoder1, m.decoder1);
            case 2 -> params(m.encoder2, m.decoder2);
            case 3 -> params(m.classifier);
            default -> params(m.encoder1, m.encoder2, m.classifier);
        };
    }

    private static List<Parameter> params(Module... modules) {
        List<Parameter> out = new ArrayList<>();
        for (Module mod : modules) out.addAll(mod.parameters());
        return out;
    }

    private static Tensor noGrad(Supplier<Tensor> f) {
        try (var ignored = GradMode.noGrad()) {
            return f.get();
        }
    }

    /** The whole network's held-out cross-entropy ({@code val_loss}) and accuracy, at each epoch's end of stages 3 and 4. */
    private Map<String, Object> heldOut(StackedAutoencoder m, Data data) {
        Map<String, Object> all = metrics(m, data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("val_loss", all.get("test_loss"));
        out.put("acc", all.get("acc"));
        return out;
    }

    /** Accuracy and cross-entropy of the fine-tuned network on the held-out images. */
    @Override
    Map<String, Object> metrics(StackedAutoencoder model, Data data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", Evaluation.accuracy(model, model::forward, data.test(), 1000));
        model.eval();
        try (var ignored = GradMode.noGrad()) {
            m.put("test_loss", F.crossEntropy(model.forward(data.test().inputs()), data.test().labels()).item());
        }
        return m;
    }

    /**
     * {@code reconstructions}: eight held-out images of the model's data (top row), as stage 1
     * gives them back (X̂ = decoder_1(encoder_1(X)), middle row) and as stage 2 does, its Ẑ1 =
     * decoder_2(encoder_2(Z1)) drawn through decoder_1 (bottom row).
     */
    @Override
    public Map<String, java.awt.image.BufferedImage> pictures(Module model) throws IOException {
        StackedAutoencoder ae = model(model);
        int side = side(ae), n = 8, d = side * side;
        TensorDataset test = exampleData(ae, 42).test();
        float[] x = java.util.Arrays.copyOf(test.inputs().data(), n * d);
        float[] all = new float[3 * n * d];
        try (var ignored = GradMode.noGrad()) {
            ae.eval();
            Tensor xt = Tensor.of(x, n, d), z1 = ae.encode1(xt);
            System.arraycopy(x, 0, all, 0, n * d);
            System.arraycopy(ae.decode1(z1).data(), 0, all, n * d, n * d);
            System.arraycopy(ae.decode1(ae.decode2(ae.encode2(z1))).data(), 0, all, 2 * n * d, n * d);
        }
        return Map.of("reconstructions", ImageGrid.draw(all, 3 * n, side, n));
    }

    /** The class, and the image as encoder_1 and decoder_1 reconstruct it (X → Z1 → X̂), side by side. */
    @Override
    public String predict(Module model, List<String> input) {
        StackedAutoencoder ae = model(model);
        int side = side(ae);
        float[] x = pixels(input, ae.inputs, "autoencoder takes an image of " + side + "x" + side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            Tensor xt = Tensor.of(x, 1, ae.inputs);
            float[] p = ae.forward(xt).softmax(-1).data();
            float[] xHat = ae.decode1(ae.encode1(xt)).data();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            double mse = 0;
            for (int i = 0; i < x.length; i++) mse += (x[i] - xHat[i]) * (x[i] - xHat[i]);
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "class %d (p = %.3f)%n", best, p[best]));
            sb.append(String.format(Locale.ROOT, "X (the image)%s X_hat = decoder_1(encoder_1(X)), mean squared error %.4f%n",
                    " ".repeat(Math.max(1, 2 * side - 12)), mse / x.length));
            for (int r = 0; r < side; r++) {
                sb.append(shade(x, r, side)).append("   ").append(shade(xHat, r, side)).append('\n');
            }
            return sb.toString().stripTrailing();
        }
    }

    /** One row of an image in shades of grey, two characters a pixel. */
    static String shade(float[] img, int row, int side) {
        String levels = " .:-=+*#%@";
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < side; c++) {
            float v = Math.max(0f, Math.min(1f, img[row * side + c]));
            char ch = levels.charAt(Math.min(levels.length() - 1, (int) (v * levels.length())));
            sb.append(ch).append(ch);
        }
        return sb.toString();
    }

    /** The stages as explain draws them: the course's X → Z1 → X̂, then Z1 → Z2 → Ẑ1, then Z2 → Y, then all of it fine-tuned. */
    @Override
    DenseExplainer.Step explainStep(StackedAutoencoder m, int stage) {
        int s = stage == 0 ? 4 : stage;
        InvalidSettingException.check(s >= 1 && s <= 4, "stage", "of the autoencoder is 1, 2, 3 or 4, got " + stage);
        Graph.Training t = Graph.Training.TRAINED, f = Graph.Training.FROZEN;
        var en1 = new DenseExplainer.Layer("encoder_1", "Z1", m.encoder1, Activation.SIGMOID, "z1_", "W_en1", "b_en1", s == 1 || s == 4 ? t : f);
        var de1 = new DenseExplainer.Layer("decoder_1", "X_hat", m.decoder1, Activation.SIGMOID, "x_hat", "W_de1", "b_de1", t);
        var en2 = new DenseExplainer.Layer("encoder_2", "Z2", m.encoder2, Activation.SIGMOID, "z2_", "W_en2", "b_en2", s == 2 || s == 4 ? t : f);
        var de2 = new DenseExplainer.Layer("decoder_2", "Z1_hat", m.decoder2, Activation.SIGMOID, "z1_hat", "W_de2", "b_de2", t);
        var cls = new DenseExplainer.Layer("classifier", "Y_hat", m.classifier, Activation.SOFTMAX, "y", "W_c", "b_c", t);
        var adam = DenseExplainer.Optimizing.ADAM;
        return switch (s) {
            case 1 -> new DenseExplainer.Step(name(), m, new Trace.Stage(1, 4, STAGES.get(0), "X"), "X", "X_", List.of(en1, de1),
                    x -> m.decode1(m.encode1(x)), DenseExplainer.LossKind.MSE, adam);
            case 2 -> new DenseExplainer.Step(name(), m, new Trace.Stage(2, 4, STAGES.get(1), "Z1"), "X", "X_", List.of(en1, en2, de2),
                    x -> m.decode2(m.encode2(m.encode1(x))), DenseExplainer.LossKind.MSE, adam);
            case 3 -> new DenseExplainer.Step(name(), m, new Trace.Stage(3, 4, STAGES.get(2), "Y"), "X", "X_", List.of(en1, en2, cls),
                    m::forward, DenseExplainer.LossKind.CROSS_ENTROPY, adam);
            default -> new DenseExplainer.Step(name(), m, new Trace.Stage(4, 4, STAGES.get(3), "Y"), "X", "X_", List.of(en1, en2, cls),
                    m::forward, DenseExplainer.LossKind.CROSS_ENTROPY, adam);
        };
    }

    /** Stage 1 learns to give back X itself; stage 2, Z1 = encoder_1(X), as the model computes it. */
    @Override
    float[] reconstructionTarget(StackedAutoencoder m, DenseExplainer.Step step, float[] input) {
        if (step.stage().index() == 1) return input.clone();
        try (var ignored = GradMode.noGrad()) {
            return m.encode1(Tensor.of(input, 1, input.length)).toArray();
        }
    }

    /** A held-out image (or one given as pixel values) and its class (null for an image of one's own without one). */
    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            int label = target == null ? data.test().labels()[0] : digit(target, "autoencoder");
            return new Example(data.test().inputs().select(0, 0).flatten(0, -1).toArray(), null, label);
        }
        int n = data.test().inputs().select(0, 0).numel();
        float[] x = setting("input", input, n, "for this autoencoder, an image of " + n + " pixel values in [0, 1]");
        return new Example(x, null, target == null ? null : digit(target, "autoencoder"));   // the classifying stages ask for the digit
    }
}
