package dev.glassbox.models.course;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.Evaluation;
import dev.glassbox.models.train.Trainer;
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
    public Defaults defaults(String preset) { return preset.equals("mnist") ? new Defaults(3, 1e-3f, 64) : new Defaults(40, 3e-3f, 32); }

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

    @Override
    public Run train(Options o, EventListener events) throws IOException {
        o.requireKnown(this);
        String preset = checkPreset(o.preset());
        String dataName = o.data() != null ? o.data() : defaultData(preset);
        Defaults d = defaults(preset);
        int epochs = o.epochs() != null ? o.epochs() : d.epochs();
        float lr = o.lr() != null ? o.lr() : d.lr();
        int batch = o.batch() != null ? o.batch() : d.batch();
        Data data = trainingData(preset, dataName, o.seed());
        long t0 = System.nanoTime();
        StackedAutoencoder m = build(preset, new Generator(o.seed()));
        Generator shuffle = new Generator(o.seed() + 1);
        int steps = (data.train().size() + batch - 1) / batch;
        events.on(new TrainingEvent.Started(name(), preset, data.name(), epochs, steps));
        Map<String, Object> out = runMetrics(preset, data.name(), epochs);

        // Stage 1: encoder_1/decoder_1 learn to reconstruct X.
        TensorDataset x = TensorDataset.ofTargets(m.rows(data.train().inputs()), m.rows(data.train().inputs()));
        float l1 = stage(1, "encoder_1/decoder_1", "reconstruct X from Z1 = encoder_1(X)", m, params(m.encoder1, m.decoder1), x,
                b -> F.mseLoss(m.decode1(m.encode1(b.inputs())), b.targets()), epochs, lr, batch, shuffle, events);

        Tensor testX = m.rows(data.test().inputs());
        float recon1 = noGrad(() -> F.mseLoss(m.decode1(m.encode1(testX)), testX)).item();

        // Stage 2: X is encoded to Z1 once; encoder_2/decoder_2 learn to reconstruct Z1.
        Tensor z1 = noGrad(() -> m.encode1(data.train().inputs()));
        float l2 = stage(2, "encoder_2/decoder_2", "reconstruct Z1 from Z2 = encoder_2(Z1)", m, params(m.encoder2, m.decoder2),
                TensorDataset.ofTargets(z1, z1), b -> F.mseLoss(m.decode2(m.encode2(b.inputs())), b.targets()), epochs, lr, batch,
                shuffle, events);

        float recon2 = noGrad(() -> {
            Tensor tz1 = m.encode1(testX);
            return F.mseLoss(m.decode2(m.encode2(tz1)), tz1);
        }).item();

        // Stage 3: Z1 is encoded to Z2 once; the classifier learns the classes from Z2.
        Tensor z2 = noGrad(() -> m.encode2(z1));
        float l3 = stage(3, "classifier", "classify Z2 = encoder_2(encoder_1(X)), encoders fixed", m, params(m.classifier),
                TensorDataset.ofLabels(z2, data.train().labels()), b -> F.crossEntropy(m.classifier.forward(b.inputs()), b.labels()),
                epochs, lr, batch, shuffle, events);
        double before = Evaluation.accuracy(m, m::forward, data.test(), 1000);

        // Stage 4: the whole network X -> encoder_1 -> encoder_2 -> classifier, fine-tuned together.
        float l4 = stage(4, "fine-tuning", "train encoder_1, encoder_2 and the classifier together on the classes", m,
                params(m.encoder1, m.encoder2, m.classifier), data.train(), b -> F.crossEntropy(m.forward(b.inputs()), b.labels()),
                epochs, lr, batch, shuffle, events);
        out.put("loss", l4);
        out.putAll(metrics(m, data));
        out.put("acc_before_finetune", before);
        out.put("acc_after_finetune", out.get("acc"));
        out.put("recon_loss_stage1", recon1);
        out.put("recon_loss_stage2", recon2);
        out.put("train_recon_loss_stage1", l1);
        out.put("train_recon_loss_stage2", l2);
        out.put("train_classifier_loss_stage3", l3);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (o.save() != null) {
            save(m, preset, o.save());
            events.on(new TrainingEvent.Checkpoint(o.save().toString()));
        }
        events.on(new TrainingEvent.Finished(out, secs));
        return new Run(m, preset, data.name(), out, secs);
    }

    private static float stage(int index, String name, String goal, Module model, List<Parameter> params, TensorDataset data,
                               Function<TensorDataset.Batch, Tensor> loss, int epochs, float lr, int batch, Generator shuffle,
                               EventListener events) {
        DataLoader loader = new DataLoader(data, batch, shuffle);
        events.on(new TrainingEvent.Stage(index, 4, name, goal, epochs, loader.batches()));
        return Trainer.fit(model, new Adam(params, lr), loader, epochs, loss, null, events);
    }

    private static List<Parameter> params(Module... modules) {
        List<Parameter> out = new ArrayList<>();
        for (Module mod : modules) out.addAll(mod.parameters());
        return out;
    }

    private static Tensor noGrad(java.util.function.Supplier<Tensor> f) {
        try (var ignored = GradMode.noGrad()) {
            return f.get();
        }
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
