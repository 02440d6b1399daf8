package dev.glassbox.models.course;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.LoaderBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
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
     * (taking what they measured from the checkpoint) and continues its stage exactly.
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
        Stages st = new Stages(this, s, run, from, resumeStage, carried, shuffle, m, events);
        int perEpoch = (data.train().size() + s.batch() - 1) / s.batch();
        events.on(new TrainingEvent.Started(name(), preset, data.name(), s.epochs(), perEpoch, 4L * s.epochs() * perEpoch, 0));
        double seconds = 0;

        // Stage 1: encoder_1/decoder_1 learn to reconstruct X.
        Tensor x = m.rows(data.train().inputs()), testX = m.rows(data.test().inputs());
        seconds += st.run(1, "reconstruct X from Z1 = encoder_1(X)", TensorDataset.ofTargets(x, x), params(m.encoder1, m.decoder1),
                b -> F.mseLoss(m.decode1(m.encode1(b.inputs())), b.targets()),
                () -> Map.of("val_loss", F.mseLoss(m.decode1(m.encode1(testX)), testX).item()));

        // Stage 2: X is encoded to Z1 once; encoder_2/decoder_2 learn to reconstruct Z1.
        Tensor z1 = noGrad(() -> m.encode1(data.train().inputs()));
        seconds += st.run(2, "reconstruct Z1 from Z2 = encoder_2(Z1)", TensorDataset.ofTargets(z1, z1), params(m.encoder2, m.decoder2),
                b -> F.mseLoss(m.decode2(m.encode2(b.inputs())), b.targets()), () -> {
                    Tensor tz1 = m.encode1(testX);
                    return Map.of("val_loss", F.mseLoss(m.decode2(m.encode2(tz1)), tz1).item());
                });

        // Stage 3: Z1 is encoded to Z2 once; the classifier learns the classes from Z2.
        Tensor z2 = noGrad(() -> m.encode2(z1));
        seconds += st.run(3, "classify Z2 = encoder_2(encoder_1(X)), encoders fixed", TensorDataset.ofLabels(z2, data.train().labels()),
                params(m.classifier), b -> F.crossEntropy(m.classifier.forward(b.inputs()), b.labels()), () -> heldOut(m, data));

        // Stage 4: the whole network X -> encoder_1 -> encoder_2 -> classifier, fine-tuned together.
        seconds += st.run(4, "train encoder_1, encoder_2 and the classifier together on the classes", data.train(),
                params(m.encoder1, m.encoder2, m.classifier), b -> F.crossEntropy(m.forward(b.inputs()), b.labels()), () -> heldOut(m, data));

        Map<String, Object> out = runMetrics(s);
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
        events.on(new TrainingEvent.Finished(out, seconds));
        return new Run(m, preset, data.name(), out, seconds);
    }

    /** Runs the stages of one training run, skipping those a resumed checkpoint had finished. */
    private record Stages(AutoencoderRecipe recipe, TrainSettings s, RunOptions run, TrainingCheckpoint from, int resumeStage,
                          Map<String, String> carried, Generator shuffle, StackedAutoencoder model, EventListener events) {
        /**
         * Trains stage {@code index} with its own Adam (unless a resumed run is past it), with
         * {@code evaluate} on held-out data at each epoch's end; records the stage's last epoch's
         * loss and last evaluation in what later checkpoints carry; returns the stage's seconds.
         */
        double run(int index, String goal, TensorDataset data, List<Parameter> params, Function<TensorDataset.Batch, Tensor> loss,
                   Supplier<Map<String, Object>> evaluate) throws IOException {
            if (index < resumeStage) return 0;
            var task = new SimpleTask<>(model, new Adam(params, s.lr()), new LoaderBatches(data, s.batch(), shuffle), loss)
                    .weighBy(TensorDataset.Batch::size).evaluateWith(epoch -> evaluate.get());
            Trainer.Result r = new Trainer<>(task).epochs(s.epochs()).maxSteps(s.steps())
                    .stage(index, STAGES.size(), STAGES.get(index - 1), goal, carried)
                    .keep(run, recipe.identity(s, Map.of())).resumeFrom(index == resumeStage ? from : null).fit(events);
            carried.put("train_loss_stage" + index, Float.toString(r.loss()));
            r.evaluation().forEach((k, v) -> carried.put(k + "_stage" + index, String.valueOf(v)));
            return r.seconds();
        }
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

    @Override
    public String predict(Module model, List<String> input) {
        StackedAutoencoder ae = model(model);
        int side = side(ae);
        float[] x = numbers(input, ae.inputs, "autoencoder takes an image of " + side + "x" + side + " pixel values in [0, 1]");
        try (var ignored = GradMode.noGrad()) {
            float[] p = ae.forward(Tensor.of(x, 1, ae.inputs)).softmax(-1).data();
            int best = 0;
            for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
            return String.format(Locale.ROOT, "class %d (p = %.3f)", best, p[best]);
        }
    }

    /** The first held-out image (or one given as numbers) and its class. */
    @Override
    Example example(List<String> input, String target, Data data) {
        if (input.isEmpty()) {
            return new Example(data.test().inputs().select(0, 0).flatten(0, -1).toArray(), null, data.test().labels()[0]);
        }
        float[] x = numbers(input, 64, "autoencoder --input (an 8x8 image)");
        if (target == null) throw new IllegalArgumentException("autoencoder: give the right digit (0-9) with --target");
        int t;
        try {
            t = Integer.parseInt(target.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target for autoencoder must be a digit 0-9, got '" + target + "'");
        }
        if (t < 0 || t > 9) throw new IllegalArgumentException("--target for autoencoder must be a digit 0-9, got " + t);
        return new Example(x, null, t);
    }
}
