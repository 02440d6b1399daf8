package dev.glassbox.models;

import dev.glassbox.models.course.DnnClassifier;
import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.data.CourseData;
import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.MapTraceCheck;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.word2vec.Word2VecRecipe;
import dev.glassbox.tensor.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CourseModelsTest {
    @TempDir
    Path dir;

    private static Recipe.Run train(String model, String preset, String data, long seed) throws IOException {
        return Runs.train(model, preset, t -> (data == null ? t : t.withData(data)).withSeed(seed));
    }

    private static double num(Map<String, Object> m, String key) { return ((Number) m.get(key)).doubleValue(); }

    @Test
    void regressionRecoversSlopeAndInterceptOnNoiselessData() throws IOException {
        var m = train("linear", null, "line-exact", 42).metrics();
        assertEquals(CourseData.LINE_SLOPE, num(m, "slope"), 0.02 * CourseData.LINE_SLOPE);
        assertEquals(CourseData.LINE_INTERCEPT, num(m, "intercept"), 0.02 * CourseData.LINE_INTERCEPT);
        assertTrue(num(m, "mse") < 1e-3, "mse " + m.get("mse"));
    }

    @Test
    void regressionReadsACsvAndNamesBadRows() throws IOException {
        Path csv = dir.resolve("points.csv");
        Files.writeString(csv, "x,y\n0,1\n1,3\n2,5\n3,7\n-1,-1\n");
        var m = train("linear", null, csv.toString(), 1).metrics();
        assertEquals(2.0, num(m, "slope"), 0.05);
        Files.writeString(csv, "0,1\n1,3\n2,oops\n");
        var e = assertThrows(IOException.class, () -> train("linear", null, csv.toString(), 1));
        assertTrue(e.getMessage().contains("line 3, column 2") && e.getMessage().contains("oops"), e.getMessage());
        var missing = assertThrows(IOException.class, () -> train("linear", null, "nope.csv", 1));   // a data problem, not a malformed command line
        assertTrue(missing.getMessage().contains("neither an embedded data set"), missing.getMessage());
    }

    @Test
    void logisticRegressionSeparatesTheClouds() throws IOException {
        assertTrue(num(train("logistic", null, null, 42).metrics(), "acc") >= 0.98);
    }

    @Test
    void courseDnnLearnsHeldOutNoisyDigits() throws IOException {
        List<TrainingEvent> events = new ArrayList<>();
        var run = Runs.train("dnn", null, t -> t, RunOptions.NONE, events::add);
        assertInstanceOf(DnnClassifier.class, run.model());
        assertEquals(3, ((DnnClassifier) run.model()).hidden1.outFeatures, "the course's 25-3-3-10");
        assertTrue(num(run.metrics(), "acc") >= 0.90, "held-out accuracy " + run.metrics().get("acc"));
        assertInstanceOf(TrainingEvent.Started.class, events.get(0));
        assertInstanceOf(TrainingEvent.Finished.class, events.get(events.size() - 1));
        var epochEnds = events.stream().filter(e -> e instanceof TrainingEvent.EpochEnd).map(e -> (TrainingEvent.EpochEnd) e).toList();
        assertEquals(1000, epochEnds.size());
        assertEquals(Set.of("val_loss", "acc"), epochEnds.getLast().metrics().keySet(), "each epoch ends with the held-out loss and accuracy");
        assertEquals(num(run.metrics(), "acc"), ((Number) epochEnds.getLast().metrics().get("acc")).doubleValue());
        assertEquals(((Number) run.metrics().get("loss")).floatValue(), epochEnds.getLast().loss(), "the run's loss is its last epoch's mean");
    }

    @Test
    void wideDnnLearnsShiftedDigits() throws IOException {
        var m = train("dnn", "wide", null, 42).metrics();
        assertEquals("digits5x5-shifted", m.get("data"));
        assertTrue(num(m, "acc") >= 0.90, "held-out accuracy " + m.get("acc"));
    }

    @Test
    void checkpointsRoundTripAndNameTheirModel() throws IOException {
        Path f = dir.resolve("logistic.safetensors");
        Recipe<?> logistic = Recipes.get("logistic");
        var run = Runs.train("logistic", null, t -> t.withEpochs(5).withSeed(3), RunOptions.saveTo(f), EventListener.NONE);
        var back = logistic.load(f);
        assertEquals(run.metrics().get("acc"), logistic.evaluate(back, null, 3).get("acc"));
        var e = assertThrows(IOException.class, () -> Recipes.get("dnn").load(f));
        assertTrue(e.getMessage().contains("holds a 'logistic' model, not 'dnn'"), e.getMessage());
    }

    @Test
    void unknownModelsAndPresetsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Recipes.get("resnet"));
        assertEquals("unknown model 'resnet'; available: linear, logistic, dnn, cnn, autoencoder, word2vec, rnn, lstm, gru, seq2seq, transformer, vae, dcgan", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train("dnn", "huge", null, 1));
        assertEquals("unknown preset 'huge' for dnn; presets: course, wide", e.getMessage());
    }

    @Test
    void cnnLearnsTheEmbeddedDigits() throws IOException {
        var m = train("cnn", null, null, 42).metrics();
        assertEquals("digits", m.get("data"));
        assertTrue(num(m, "acc") >= 0.97, "held-out accuracy " + m.get("acc"));
        var e = assertThrows(IllegalArgumentException.class, () -> train("cnn", "w4", "digits", 1));
        assertTrue(e.getMessage().contains("28x28"), e.getMessage());
    }

    @Test
    void uciDigitsAreEmbeddedAndSplit() throws IOException {
        var s = CourseData.uciDigits(7);
        assertEquals(1797, s.train().size() + s.test().size());
        assertEquals(359, s.test().size());
        assertArrayEquals(new int[] {1438, 1, 8, 8}, s.train().inputs().shape());
        float max = 0;
        for (float v : s.train().inputs().data()) max = Math.max(max, v);
        assertEquals(1f, max, 1e-6f);
    }

    @Test
    void digitPrototypesKeepTheCoursesTwoAndStayApart() {
        assertEquals(List.of("00110", "01010", "00010", "00100", "01110"), List.of(CourseData.DIGITS[2]));
        for (int a = 0; a < 10; a++) {
            for (int b = a + 1; b < 10; b++) {
                float[] pa = CourseData.prototype(a), pb = CourseData.prototype(b);
                int d = 0;
                for (int i = 0; i < 25; i++) if (pa[i] != pb[i]) d++;
                assertTrue(d >= 3, a + " and " + b + " differ in only " + d + " pixels");
            }
        }
    }

    @Test
    void stackedAutoencoderPretrainsStageByStageThenFineTunes() throws IOException {
        List<TrainingEvent> events = new ArrayList<>();
        var run = Runs.train("autoencoder", null, t -> t, RunOptions.NONE, events::add);
        var m = run.metrics();
        List<TrainingEvent.Stage> stages = events.stream().filter(e -> e instanceof TrainingEvent.Stage)
                .map(e -> (TrainingEvent.Stage) e).toList();
        assertEquals(List.of("encoder_1/decoder_1", "encoder_2/decoder_2", "classifier", "fine-tuning"),
                stages.stream().map(TrainingEvent.Stage::name).toList());
        double before = num(m, "acc_before_finetune"), after = num(m, "acc_after_finetune");
        assertTrue(after >= 0.95, "accuracy after fine-tuning " + after);
        assertTrue(after > before, "fine-tuning should help: " + before + " -> " + after);
        assertEquals(after, num(m, "acc"));
        // The reconstructions are far better than the mean image's (the MSE of guessing each pixel's mean).
        var test = dev.glassbox.models.data.CourseData.uciDigits(42).test().inputs().flatten(1, -1);
        double baseline = test.sub(test.mean(0, true)).pow(2).mean().item();
        assertTrue(num(m, "recon_loss_stage1") < baseline / 2, m.get("recon_loss_stage1") + " vs mean image " + baseline);
        assertTrue(num(m, "recon_loss_stage2") > 0 && num(m, "recon_loss_stage2") < 0.05, String.valueOf(m.get("recon_loss_stage2")));

        // A checkpoint reloads to the same accuracy; the trace is of the fine-tuned network.
        Path f = dir.resolve("ae.safetensors");
        Runs.train("autoencoder", null, t -> t.withEpochs(2), RunOptions.saveTo(f), EventListener.NONE);
        var loaded = Recipes.get("autoencoder").load(f);
        assertTrue(num(Recipes.get("autoencoder").evaluate(loaded, null, 42), "acc") > 0.1);
        Trace t = assertInstanceOf(Trace.class, Recipes.get("autoencoder").explain(loaded, ExplainRequest.of(0.1f, 42)));
        assertEquals(List.of("input", "encoder_1", "encoder_2", "classifier"), t.graph().layers().stream().map(Graph.Layer::id).toList());
        assertEquals(64, t.example().input().length);
        var wrong = assertThrows(IllegalArgumentException.class, () -> train("autoencoder", "mnist", "digits", 1));
        assertTrue(wrong.getMessage().contains("28x28"), wrong.getMessage());
    }

    /** explain cnn: the course's worked examples, then a real Adam step, map by map, every number recomputed from the weights. */
    @Test
    void cnnExplainShowsTheCoursesExamplesAndARecomputableStep() throws IOException {
        Trace t = assertInstanceOf(Trace.class, Recipes.get("cnn").explain(null, ExplainRequest.of(3e-3f, 42)));
        MapTraceCheck.verify(t);
        var conv = assertInstanceOf(Demo.Convolution.class, t.demos().getFirst());
        assertArrayEquals(new float[][] {{1, 3, 3}, {1, 2, 2}, {2, 2, 3}}, conv.featureMap());
        assertEquals(9, conv.cells().size(), "every window of the course's example, with its nine products");
        assertArrayEquals(new float[][] {{7, 4}, {4, 3}}, assertInstanceOf(Demo.Pooling.class, t.demos().get(1)).pooled());
        assertEquals(List.of("input", "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1", "output"),
                t.graph().layers().stream().map(Graph.Layer::id).toList());
        assertEquals("feature map0", t.graph().layer("conv1").nodes().getFirst().label(), "the course's name for the first map");
        assertEquals(8, t.events(Event.Window.class).getLast().windows().length, "conv2's filters span all 8 maps of pool1");
        assertEquals("adam", t.rule().name(), "the CNN trains with Adam");

        float[] pixels = new float[64];
        pixels[27] = 1f;
        List<String> words = new ArrayList<>();
        for (float p : pixels) words.add(String.valueOf(p));
        Trace mine = assertInstanceOf(Trace.class, Recipes.get("cnn").explain(null, ExplainRequest.of(3e-3f, 42).withInput(words, "3")));
        assertEquals(3, mine.example().targetClass());
        assertArrayEquals(pixels, mine.example().input());
        MapTraceCheck.verify(mine);
        var noTarget = assertThrows(InvalidSettingException.class, () -> Recipes.get("cnn").explain(null, ExplainRequest.of(0.1f, 42).withInput(words, null)));
        assertEquals("target", noTarget.setting());
        var short_ = assertThrows(InvalidSettingException.class,
                () -> Recipes.get("cnn").explain(null, ExplainRequest.of(0.1f, 42).withInput(List.of("1", "2"), "3")));
        assertTrue(short_.getMessage().contains("64"), short_.getMessage());
        Trace otherTarget = assertInstanceOf(Trace.class, Recipes.get("cnn").explain(null, ExplainRequest.of(3e-3f, 42).withInput(List.of(), "5")));
        assertEquals(5, otherTarget.example().targetClass(), "--target alone is honoured");
    }

    /** Library callers get errors naming the setting (the command line turns the name into its flag). */
    @Test
    void settingsAModelCannotTakeAreNamed() {
        var epochs = assertThrows(InvalidSettingException.class, () -> Runs.train("dnn", null, t -> t.withEpochs(0)));
        assertEquals("epochs", epochs.setting());
        assertEquals("epochs must be positive, got 0", epochs.getMessage());
        var rnnBatch = assertThrows(InvalidSettingException.class, () -> Runs.train("rnn", null, t -> t.withBatch(2)));
        assertEquals("batch", rnnBatch.setting());
        assertTrue(rnnBatch.problem().contains("all 3 of its sentences at once"), rnnBatch.getMessage());
        var rnnData = assertThrows(InvalidSettingException.class, () -> Runs.train("rnn", null, t -> t.withData("austen")));
        assertEquals("data", rnnData.setting());
        var w2v = assertThrows(InvalidSettingException.class, () -> new Word2VecRecipe().settings("skipgram").withDim(0));
        assertEquals("dim must be between 1 and 10000, got 0", w2v.getMessage());
        var minCount = assertThrows(InvalidSettingException.class, () -> new Word2VecRecipe().settings("skipgram").withMinCount(0));
        assertEquals("minCount", minCount.setting());
        var lr = assertThrows(InvalidSettingException.class, () -> new DnnRecipe().settings("course").withLr(Float.NaN));
        assertEquals("lr", lr.setting());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new DnnRecipe().settings("huge"));
        assertEquals("unknown preset 'huge' for dnn; presets: course, wide", unknown.getMessage());
    }

    /** Four MNIST-format files of {@code n} blank images of side × side in a folder. */
    private static Path idxFolder(Path folder, int side, int n) throws IOException {
        Files.createDirectories(folder);
        for (String part : List.of("train", "t10k")) {
            var img = java.nio.ByteBuffer.allocate(16 + n * side * side).putInt(0x803).putInt(n).putInt(side).putInt(side);
            var lab = java.nio.ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            Files.write(folder.resolve(part + "-images-idx3-ubyte"), img.array());
            Files.write(folder.resolve(part + "-labels-idx1-ubyte"), lab.array());
        }
        return folder;
    }

    /** Images of the wrong size are named as such, in training and when a saved model is evaluated. */
    @Test
    void imageModelsNameAWrongImageSize() throws IOException {
        Path small = idxFolder(dir.resolve("small"), 8, 20), big = idxFolder(dir.resolve("big"), 28, 20);
        var train = assertThrows(IllegalArgumentException.class, () -> train("cnn", "w4", small.toString(), 1));
        assertEquals("cnn: preset 'w4' takes 28x28 images; '" + small + "' has 8x8", train.getMessage());
        Path f = dir.resolve("cnn.safetensors");
        Runs.train("cnn", null, t -> t.withEpochs(1).withSeed(1), RunOptions.saveTo(f), EventListener.NONE);
        var model = Recipes.get("cnn").load(f);
        var eval = assertThrows(IllegalArgumentException.class, () -> Recipes.get("cnn").evaluate(model, big.toString(), 1));
        assertEquals("cnn: this model takes 8x8 images; '" + big + "' has 28x28", eval.getMessage());
        var ae = assertThrows(IllegalArgumentException.class, () -> train("autoencoder", "mnist", small.toString(), 1));
        assertTrue(ae.getMessage().contains("takes 28x28 images"), ae.getMessage());
    }

    /** The autoencoder's stages resume too: from a checkpoint inside stage 3, or at a stage's end, to the same network. */
    @Test
    void theAutoencoderResumesInsideAStageAndAtItsEnd() throws IOException {
        int threads = Threads.count();
        Threads.set(1);
        try {
            var straight = Runs.train("autoencoder", null, t -> t.withEpochs(3), RunOptions.NONE, EventListener.NONE);
            for (String stopAt : List.of("3:60", "2:135")) {             // stage 3 mid-way, and stage 2's last step (its end)
                int stage = Integer.parseInt(stopAt.split(":")[0]);
                long step = Long.parseLong(stopAt.split(":")[1]);
                Path f = dir.resolve("ae" + stage + ".safetensors");
                var every = RunOptions.CheckpointEvery.steps(15);
                int[] inStage = {0};
                assertThrows(IllegalStateException.class, () -> Runs.train("autoencoder", null, t -> t.withEpochs(3), RunOptions.saveTo(f).checkpointingEvery(every), e -> {
                    if (e instanceof TrainingEvent.Stage st) inStage[0] = st.stage();
                    if (e instanceof TrainingEvent.Checkpoint c && inStage[0] == stage && c.step() == step) throw new IllegalStateException("stop");
                }));
                var resumed = Runs.train("autoencoder", null, t -> t.withEpochs(3), RunOptions.resumeFrom(f), EventListener.NONE);
                for (var k : straight.model().stateDict().keySet()) {
                    assertArrayEquals(straight.model().stateDict().get(k).data(), resumed.model().stateDict().get(k).data(), 0f, stopAt + " " + k);
                }
                assertEquals(straight.metrics().get("acc_before_finetune"), resumed.metrics().get("acc_before_finetune"));
                assertEquals(straight.metrics().get("recon_loss_stage1"), resumed.metrics().get("recon_loss_stage1"));
            }
        } finally {
            Threads.set(threads);
        }
    }

    /** Every model on the loop ends each epoch with its held-out loss and its headline metric. */
    @Test
    void everyEpochEndCarriesTheHeldOutLossAndTheMetric() throws IOException {
        for (Recipe<?> r : Recipes.all()) {
            for (String preset : r.tourPresets()) {
                if (r.name().equals("word2vec") && !preset.equals("course")) continue;   // Hogwild: words events, no epochs on the loop
                List<TrainingEvent.EpochEnd> ends = new ArrayList<>();
                Runs.train(r.name(), preset, t -> t.withEpochs(1).withSteps(3), RunOptions.NONE, e -> {
                    if (e instanceof TrainingEvent.EpochEnd end) ends.add(end);
                });
                assertTrue(!ends.isEmpty(), r.name() + "/" + preset);
                var last = ends.getLast().metrics();
                assertTrue(last.get("val_loss") instanceof Number, r.name() + "/" + preset + ": " + last);
                String metric = r.headlineMetric(preset).equals("loss") ? "acc" : r.headlineMetric(preset);
                assertTrue(last.containsKey(metric), r.name() + "/" + preset + " lacks " + metric + ": " + last);
            }
        }
    }
}
