package dev.glassbox.models.train;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one training loop: divergence, long step counts, checkpoints and exact resume. */
class TrainerTest {
    @TempDir
    Path dir;

    private static final Trainer.Identity IDENTITY = new Trainer.Identity(Map.of("glassbox.model", "toy"), "{\"lr\":0.1}");

    /** A classifier of 3 inputs into 2 classes on 10 fixed examples, batches of 4 (3 a pass), shuffled. */
    private record Toy(Linear net, Adam opt, LRScheduler schedule, SimpleTask<TensorDataset.Batch> task) {
        static Toy make(float lr) {
            Linear net = new Linear(3, 2, new Generator(1));
            Adam opt = new Adam(net.parameters(), lr);
            TensorDataset data = TensorDataset.ofLabels(Tensor.randn(new Generator(2), 10, 3), new int[] {0, 1, 0, 1, 1, 1, 0, 1, 0, 0});
            var task = new SimpleTask<>(net, opt, new LoaderBatches(data, 4, new Generator(3)),
                    (TensorDataset.Batch b) -> F.crossEntropy(net.forward(b.inputs()), b.labels())).weighBy(TensorDataset.Batch::size)
                    .evaluateWith(epoch -> Map.of("val_loss", F.crossEntropy(net.forward(data.inputs()), data.labels()).item()));
            return new Toy(net, opt, new LRScheduler.StepLR(opt, 2, 0.7f), task);
        }

        Trainer<TensorDataset.Batch> trainer(int epochs) {
            return new Trainer<>(task).epochs(epochs).schedule(schedule, Trainer.Every.STEP);
        }
    }

    private static List<Float> losses(List<TrainingEvent> events) {
        return events.stream().filter(e -> e instanceof TrainingEvent.Step).map(e -> ((TrainingEvent.Step) e).loss()).toList();
    }

    /** Stops a run as a crash would, right after its checkpoint of step {@code step} is written. */
    private static final class Crash extends RuntimeException {}

    @Test
    void aRunResumedFromAnyCheckpointEndsBitIdenticalWithTheSameLossCurve() throws IOException {
        List<TrainingEvent> straight = new ArrayList<>();
        Toy a = Toy.make(0.1f);
        Trainer.Result whole = a.trainer(4).fit(straight::add);
        for (long stopAt : new long[] {2, 3, 6, 7}) {                // mid-epoch, at an epoch's last step, ...
            Path f = dir.resolve("run" + stopAt + ".safetensors");
            List<TrainingEvent> first = new ArrayList<>();
            Toy b = Toy.make(0.1f);
            assertThrows(Crash.class, () -> b.trainer(4).keep(RunOptions.saveTo(f).checkpointingEvery(RunOptions.CheckpointEvery.steps(1)),
                    IDENTITY).fit(e -> {
                        first.add(e);
                        if (e instanceof TrainingEvent.Checkpoint c && c.step() == stopAt) throw new Crash();
                    }));
            List<TrainingEvent> second = new ArrayList<>();
            Toy c = Toy.make(0.1f);   // a new process: fresh model, optimizer, schedule and generators
            Trainer.Result resumed = c.trainer(4).keep(RunOptions.saveTo(f), IDENTITY).resumeFrom(TrainingCheckpoint.read(f)).fit(second::add);
            assertArrayEquals(a.net().weight.data(), c.net().weight.data(), 0f, "weights after a resume at step " + stopAt);
            assertArrayEquals(a.net().bias.data(), c.net().bias.data(), 0f);
            assertEquals(a.opt().lr(), c.opt().lr(), 0f, "the schedule continued");
            List<Float> curve = new ArrayList<>(losses(first));
            curve.addAll(losses(second));
            assertEquals(losses(straight), curve, "the loss curve, step by step, resumed at step " + stopAt);
            assertEquals(whole.loss(), resumed.loss(), 0f, "the last epoch's mean loss");
            assertEquals(whole.evaluation(), resumed.evaluation());
            assertEquals(12, resumed.steps());
            assertEquals(12 - stopAt, resumed.stepsRun());
            var started = assertInstanceOf(TrainingEvent.Started.class, second.getFirst());
            assertEquals(stopAt, started.fromStep());
        }
    }

    @Test
    void aFinishedRunCanBeExtendedAndEpochCheckpointsWork() throws IOException {
        Toy a = Toy.make(0.1f);
        a.trainer(4).fit(EventListener.NONE);
        Path f = dir.resolve("two.safetensors");
        Toy b = Toy.make(0.1f);
        List<TrainingEvent> events = new ArrayList<>();
        b.trainer(2).keep(RunOptions.saveTo(f).checkpointingEvery(RunOptions.CheckpointEvery.epochs(1)), IDENTITY)
                .fit(events::add);
        assertEquals(List.of(3L, 6L), events.stream().filter(e -> e instanceof TrainingEvent.Checkpoint)
                .map(e -> ((TrainingEvent.Checkpoint) e).step()).toList(), "after epoch 1, and the end");
        Toy c = Toy.make(0.1f);
        c.trainer(4).keep(RunOptions.saveTo(f), IDENTITY).resumeFrom(TrainingCheckpoint.read(f)).fit(EventListener.NONE);
        assertArrayEquals(a.net().weight.data(), c.net().weight.data(), 0f, "two epochs, then two more, are four");
        var fewer = assertThrows(InvalidSettingException.class,
                () -> Toy.make(0.1f).trainer(1).resumeFrom(TrainingCheckpoint.read(f)).fit(EventListener.NONE));
        assertEquals("epochs", fewer.setting());
        assertTrue(fewer.problem().contains("already at step 12"), fewer.getMessage());
    }

    @Test
    void aCheckpointIsAModelFilePyTorchCanReadWithTheStateInItsMetadata() throws IOException {
        Path f = dir.resolve("toy.safetensors");
        Toy t = Toy.make(0.1f);
        t.trainer(1).keep(RunOptions.saveTo(f), IDENTITY).fit(EventListener.NONE);
        var c = SafeTensors.load(f);
        assertEquals(List.of("bias", "weight"), c.tensors().keySet().stream().sorted().toList(), "only the model's own tensors");
        assertEquals("toy", c.metadata().get("glassbox.model"));
        assertEquals("{\"lr\":0.1}", c.metadata().get(TrainingCheckpoint.SETTINGS));
        assertTrue(c.metadata().get(TrainingCheckpoint.STATE).contains("\"0.exp_avg\""), "the optimizer's moments travel in the metadata");
        var other = assertThrows(IOException.class, () -> Toy.make(0.1f).trainer(2)
                .keep(RunOptions.saveTo(f), new Trainer.Identity(Map.of("glassbox.model", "dnn"), null))
                .resumeFrom(TrainingCheckpoint.read(f)).fit(EventListener.NONE));
        assertTrue(other.getMessage().endsWith("holds a 'toy' model, not 'dnn'"), other.getMessage());
        var changed = assertThrows(InvalidSettingException.class, () -> Toy.make(0.1f).trainer(2)
                .keep(RunOptions.saveTo(f), new Trainer.Identity(Map.of("glassbox.model", "toy"), "{\"lr\":0.5}"))
                .resumeFrom(TrainingCheckpoint.read(f)).fit(EventListener.NONE));
        assertEquals("lr", changed.setting());
        assertTrue(changed.problem().startsWith("is 0.5 but the checkpoint's run has 0.1"), changed.getMessage());
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(t.net().stateDict(), plain);
        var noState = assertThrows(IOException.class, () -> TrainingCheckpoint.read(plain));
        assertTrue(noState.getMessage().contains("no training state to resume from"), noState.getMessage());
    }

    @Test
    void aHugeLearningRateStopsAtTheStepItDivergesAndLeavesTheCheckpointAlone() throws IOException {
        Path f = dir.resolve("good.safetensors");
        Toy.make(0.1f).trainer(1).keep(RunOptions.saveTo(f), IDENTITY).fit(EventListener.NONE);
        byte[] good = Files.readAllBytes(f);
        List<TrainingEvent> events = new ArrayList<>();
        Toy bad = Toy.make(1e30f);
        var e = assertThrows(DivergedException.class, () -> bad.trainer(5).keep(RunOptions.saveTo(f), IDENTITY).fit(events::add));
        assertEquals(2, e.step(), e.getMessage());
        assertTrue(e.getMessage().startsWith("training diverged at step 2: "), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(f), "the diverged model is not written over the checkpoint");
        var d = assertInstanceOf(TrainingEvent.Diverged.class, events.getLast());
        assertEquals(2, d.step());
        assertFalse(events.stream().anyMatch(x -> x instanceof TrainingEvent.Checkpoint));
    }

    /** One weight w and the loss √w: at w = 0 the loss is 0 but its gradient 1/(2√w) is infinite. */
    private static final class Root extends Module {
        final Parameter w = registerParameter("w", new Parameter(Tensor.of(new float[] {0f}, 1)));
    }

    @Test
    void aGradientThatIsNotFiniteIsNamedByItsParameter() {
        Root m = new Root();
        var task = new SimpleTask<>(m, new SGD(m.parameters(), 0.1f), FixedBatches.of(0), b -> m.w.pow(0.5f).sum());
        var e = assertThrows(DivergedException.class, () -> new Trainer<>(task).fit(EventListener.NONE));
        assertEquals(1, e.step());
        assertEquals(0f, e.loss());
        assertEquals("w", e.parameter());
        assertTrue(e.getMessage().endsWith("the gradient of w is not finite"), e.getMessage());
        assertEquals(0f, m.w.data()[0], "the optimizer did not step with it");
    }

    @Test
    void stepCountsAreLongAndAStepLimitCutsTheRunShort() throws IOException {
        Toy t = Toy.make(0.1f);
        List<TrainingEvent> events = new ArrayList<>();
        Trainer.Result r = new Trainer<>(t.task()).epochs(7_430_740).maxSteps(5).fit(events::add);
        assertEquals(5, r.steps());
        var started = assertInstanceOf(TrainingEvent.Started.class, events.getFirst());
        assertEquals(5, started.totalSteps());
        assertEquals(2, started.epochs(), "5 steps of 3-step epochs end inside the second");
        assertEquals(5, losses(events).size());
        long ends = events.stream().filter(e -> e instanceof TrainingEvent.EpochEnd).count();
        assertEquals(2, ends, "the cut-short epoch ends too, with its evaluation");
        var step = assertInstanceOf(TrainingEvent.Step.class, events.get(3));
        assertEquals(5L, step.totalSteps());
    }

    @Test
    void theEpochsMeanLossIsWhatTheStepsRunningMeanEndsAt() throws IOException {
        List<TrainingEvent> events = new ArrayList<>();
        Toy.make(0.1f).trainer(2).fit(events::add);
        float lastMean = Float.NaN;
        for (TrainingEvent e : events) {
            if (e instanceof TrainingEvent.Step s) lastMean = s.meanLoss();
            if (e instanceof TrainingEvent.EpochEnd end) {
                assertEquals(lastMean, end.loss(), 0f, "epoch " + end.epoch());
                assertTrue(end.metrics().containsKey("val_loss"), end.metrics().toString());
            }
        }
    }

    @Test
    void whatAnInterruptedSaveLeftIsRemovedAtTheNextStart() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Path leftover = dir.resolve(".m.safetensors.5k2j9x.tmp");
        Files.writeString(leftover, "half a checkpoint");
        Toy.make(0.1f).trainer(1).keep(RunOptions.saveTo(f), IDENTITY).fit(EventListener.NONE);
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(f));
        assertEquals(List.of("m.safetensors"), Arrays.stream(dir.toFile().list()).sorted().toList());
    }

    /** Two networks, each with its own optimizer, updated in turn in every step, as a GAN's are. */
    private static final class TwoNets extends Module implements TrainingTask<Integer> {
        final Linear a = registerModule("a", new Linear(3, 2, new Generator(4)));
        final Linear b = registerModule("b", new Linear(3, 1, new Generator(5)));
        final Adam optA = new Adam(a.parameters(), 0.05f);
        final SGD optB = new SGD(b.parameters(), 0.1f).momentum(0.9f);
        final Tensor x = Tensor.randn(new Generator(6), 8, 3);
        final Batches<Integer> batches = new SampledBatches<>(4, new Generator(7), g -> g.nextInt(8));

        @Override public Module model() { return this; }

        @Override public List<Optimizer> optimizers() { return List.of(optA, optB); }

        @Override public Batches<Integer> batches() { return batches; }

        @Override
        public StepResult step(Integer row, StepContext ctx) {
            Tensor xi = x.slice(0, row, row + 1);
            float la = ctx.update(F.crossEntropy(a.forward(xi), new int[] {row % 2}), optA);
            float lb = ctx.update(F.mseLoss(b.forward(xi), Tensor.of(new float[] {row}, 1, 1)), optB);
            return new StepResult(la + lb, 1, Map.of("loss_a", la, "loss_b", lb));
        }
    }

    @Test
    void aStepWithTwoOptimizersResumesBothExactly() throws IOException {
        TwoNets straight = new TwoNets();
        List<TrainingEvent> events = new ArrayList<>();
        new Trainer<>(straight).epochs(3).fit(events::add);
        var steps = events.stream().filter(e -> e instanceof TrainingEvent.Step).map(e -> (TrainingEvent.Step) e).limit(4).toList();
        var end = (TrainingEvent.EpochEnd) events.stream().filter(e -> e instanceof TrainingEvent.EpochEnd).findFirst().orElseThrow();
        double meanA = steps.stream().mapToDouble(st -> st.metrics().get("loss_a")).sum() / 4;
        assertEquals((float) meanA, ((Number) end.metrics().get("loss_a")).floatValue(), 1e-6f, "each figure's mean over the epoch");
        assertEquals(steps.getFirst().loss(), steps.getFirst().metrics().get("loss_a") + steps.getFirst().metrics().get("loss_b"), 1e-6f);
        Path f = dir.resolve("two.safetensors");
        TwoNets first = new TwoNets();
        assertThrows(Crash.class, () -> new Trainer<>(first).epochs(3)
                .keep(RunOptions.saveTo(f).checkpointingEvery(RunOptions.CheckpointEvery.steps(5)), IDENTITY)
                .fit(e -> { if (e instanceof TrainingEvent.Checkpoint) throw new Crash(); }));
        TwoNets resumed = new TwoNets();
        new Trainer<>(resumed).epochs(3).resumeFrom(TrainingCheckpoint.read(f)).fit(EventListener.NONE);
        assertArrayEquals(straight.a.weight.data(), resumed.a.weight.data(), 0f);
        assertArrayEquals(straight.b.weight.data(), resumed.b.weight.data(), 0f);
        assertEquals(List.of("a.bias", "a.weight", "b.bias", "b.weight"), SafeTensors.load(f).tensors().keySet().stream().sorted().toList());
    }
}
