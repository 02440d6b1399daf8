package dev.glassbox.models.train;

import dev.glassbox.models.Runs;
import dev.glassbox.tensor.Threads;

import java.nio.file.Path;

/**
 * A training run that dies like a {@code kill -9} (Runtime.halt: no shutdown hooks, no finally
 * blocks, nothing flushed) right after writing its checkpoint of one step, for
 * {@link ResumeAfterKillTest}. It prints each step's loss as the bits of the float.
 * Arguments: model preset epochs seed data checkpoint-file every-n-steps halt-after-step.
 */
public final class KilledRun {
    private KilledRun() {}

    public static void main(String[] a) throws Exception {
        Threads.set(1);
        String model = a[0], preset = a[1], data = a[4];
        int epochs = Integer.parseInt(a[2]);
        long seed = Long.parseLong(a[3]), every = Long.parseLong(a[6]), haltAt = Long.parseLong(a[7]);
        var run = new RunOptions(Path.of(a[5]), new RunOptions.CheckpointEvery(every, RunOptions.CheckpointEvery.Unit.STEPS), null);
        Runs.train(model, preset, t -> (data.equals("-") ? t : t.withData(data)).withEpochs(epochs).withSeed(seed), run, e -> {
            if (e instanceof TrainingEvent.Step s) {
                System.out.println("step " + s.step() + " " + Float.floatToRawIntBits(s.loss()));
                System.out.flush();
            }
            if (e instanceof TrainingEvent.Checkpoint c && c.step() == haltAt) Runtime.getRuntime().halt(137);
        });
        System.exit(3);   // not killed: the test says so
    }
}
