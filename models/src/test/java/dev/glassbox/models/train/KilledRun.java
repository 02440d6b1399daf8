package dev.glassbox.models.train;

import dev.glassbox.models.Runs;
import dev.glassbox.tensor.Threads;

import java.nio.file.Path;

/**
 * A training run for {@link ResumeAfterKillTest}: it prints each step's loss (the bits of the
 * float), and right after writing its checkpoint of step {@code halt-after-step} it says so and
 * waits — for the test's {@code kill -9} (SIGKILL: no shutdown hooks, no finally blocks).
 * Arguments: model preset epochs seed data checkpoint-file every-n-steps halt-after-step.
 */
public final class KilledRun {
    private KilledRun() {}

    public static void main(String[] a) throws Exception {
        Threads.set(1);
        String model = a[0], preset = a[1], data = a[4];
        int epochs = Integer.parseInt(a[2]);
        long seed = Long.parseLong(a[3]), every = Long.parseLong(a[6]), haltAt = Long.parseLong(a[7]);
        var run = RunOptions.saveTo(Path.of(a[5])).checkpointingEvery(RunOptions.CheckpointEvery.steps(every));
        Runs.train(model, preset, t -> (data.equals("-") ? t : t.withData(data)).withEpochs(epochs).withSeed(seed), run, e -> {
            if (e instanceof TrainingEvent.Step s) {
                System.out.println("step " + s.step() + " " + Float.floatToRawIntBits(s.loss()));
                System.out.flush();
            }
            if (e instanceof TrainingEvent.Checkpoint c && c.step() == haltAt) {
                System.out.println("checkpoint " + c.step());
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);   // until killed
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        System.exit(3);   // not killed: the test says so
    }
}
