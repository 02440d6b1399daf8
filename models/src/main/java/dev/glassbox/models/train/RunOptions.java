package dev.glassbox.models.train;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.glassbox.models.train.InvalidSettingException.check;

/**
 * How a run is kept, apart from what it trains: where the model is written ({@code save}, at
 * the end and at every checkpoint), how often checkpoints are written during training, and a
 * checkpoint to continue from. A resumed run saves to the file it resumed from unless another
 * is named.
 *
 * @param save            the file the model is written to, or null
 * @param checkpointEvery how often to write {@code save} during training, or null for only at the end
 * @param resume          a checkpoint of an earlier run of the same model to continue, or null
 * @param everyEpoch a folder where a model that makes images writes a grid of them from
 *                        the same noise after every epoch ({@code epoch-001.png}, ...), or null
 * @param cluster         where the gradients are computed in a data-parallel run (Apache Spark), or
 *                        null for this process alone
 */
public record RunOptions(Path save, CheckpointEvery checkpointEvery, Path resume, Path everyEpoch, Cluster cluster) {
    /** Nothing saved, nothing resumed. */
    public static final RunOptions NONE = new RunOptions(null, null, null);

    public RunOptions(Path save, CheckpointEvery checkpointEvery, Path resume) { this(save, checkpointEvery, resume, null, null); }

    public RunOptions(Path save, CheckpointEvery checkpointEvery, Path resume, Path everyEpoch) {
        this(save, checkpointEvery, resume, everyEpoch, null);
    }

    public RunOptions {
        check(everyEpoch == null || Files.isDirectory(everyEpoch), "everyEpoch",
                "names no folder: " + everyEpoch + " (make it first)");
        check(save == null || !Files.isDirectory(save), "save", "is a folder (" + save + "); give a file name in it");
        check(checkpointEvery == null || save != null || resume != null, "checkpointEvery",
                "needs a file to write the checkpoints to (save)");
        check(resume == null || Files.isRegularFile(resume), "resume", "names no file: " + resume);
    }

    /** Writes the model to {@code file} at the end. */
    public static RunOptions saveTo(Path file) { return new RunOptions(file, null, null); }

    /** Continues the run {@code checkpoint} was written by, saving back to it. */
    public static RunOptions resumeFrom(Path checkpoint) { return new RunOptions(null, null, checkpoint); }

    /** These options, with checkpoints written this often during training. */
    public RunOptions checkpointingEvery(CheckpointEvery every) { return new RunOptions(save, every, resume, everyEpoch, cluster); }

    /** These options, with a grid of images written into {@code dir} after every epoch. */
    public RunOptions samplingEveryEpoch(Path dir) { return new RunOptions(save, checkpointEvery, resume, dir, cluster); }

    /** These options, with the gradients computed on {@code cluster} (null: in this process). */
    public RunOptions onCluster(Cluster cluster) { return new RunOptions(save, checkpointEvery, resume, everyEpoch, cluster); }

    /** The file written at checkpoints and at the end: {@code save}, else the resumed file, else null. */
    public Path target() { return save != null ? save : resume; }

    /** How often checkpoints are written: every {@code count} steps, or every {@code count} epochs. */
    public record CheckpointEvery(long count, Unit unit) {
        public enum Unit { STEPS, EPOCHS }

        public CheckpointEvery {
            check(count >= 1, "checkpointEvery", "must be at least 1, got " + count);
            check(unit != null, "checkpointEvery", "needs a unit (steps or epochs)");
        }

        public static CheckpointEvery steps(long n) { return new CheckpointEvery(n, Unit.STEPS); }

        public static CheckpointEvery epochs(long n) { return new CheckpointEvery(n, Unit.EPOCHS); }

        @Override
        public String toString() { return count + (unit == Unit.EPOCHS ? " epochs" : " steps"); }
    }
}
