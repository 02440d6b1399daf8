package dev.glassbox.models.train;

import java.util.Map;

/**
 * What a training run reports while it runs. Nothing in a model or recipe prints: the console
 * renders these events, {@code --log} writes them as JSON lines, the studio streams them.
 */
public sealed interface TrainingEvent {
    /** The kind of event, the {@code "event"} field of its JSON line. */
    String event();

    /**
     * A run begins: {@code epochs} of {@code stepsPerEpoch} steps, {@code totalSteps} in all
     * (fewer when a step limit cuts it short); a resumed run starts after step {@code fromStep}.
     */
    record Started(String model, String preset, String data, int epochs, int stepsPerEpoch, long totalSteps, long fromStep)
            implements TrainingEvent {
        public String event() { return "started"; }
    }

    /**
     * A run made of stages (such as greedy layer-wise pretraining) begins stage {@code stage}
     * of {@code stages}: what it trains and to do what, for how many epochs of how many steps.
     */
    record Stage(int stage, int stages, String name, String goal, int epochs, int stepsPerEpoch, long totalSteps, long fromStep)
            implements TrainingEvent {
        public String event() { return "stage"; }
    }

    /**
     * One optimizer step; {@code step} counts from 1 within the run (or stage). {@code loss} is
     * this step's, {@code meanLoss} the running mean over the epoch so far — what the epoch's
     * end reports as its loss; {@code metrics}, any other figures the step reported.
     */
    record Step(int epoch, long step, long totalSteps, float loss, float meanLoss, Map<String, Float> metrics) implements TrainingEvent {
        public Step(int epoch, long step, long totalSteps, float loss, float meanLoss) {
            this(epoch, step, totalSteps, loss, meanLoss, Map.of());
        }

        public String event() { return "step"; }
    }

    /**
     * Progress of a run counted in words (word2vec): raw corpus words done of the total over all
     * epochs, the learning rate now, the mean loss per (word, target) pair since the last event,
     * and words per second so far.
     */
    record Words(int epoch, int epochs, long words, long totalWords, float alpha, float loss, double wordsPerSecond)
            implements TrainingEvent {
        public String event() { return "words"; }
    }

    /**
     * The end of an epoch: its mean training loss, and what was measured on held-out data then
     * ({@code val_loss} and the model's metric, such as {@code acc}); {@code seconds} since the
     * run (or stage) started.
     */
    record EpochEnd(int epoch, int epochs, float loss, Map<String, Object> metrics, double seconds) implements TrainingEvent {
        public String event() { return "epoch_end"; }
    }

    /**
     * What the model looks like at the end of epoch {@code epoch}, for drawing rather than
     * reading (word2vec: each course word's nearest words); the console shows nothing of it,
     * {@code --log} and the studio carry it.
     */
    record Snapshot(int epoch, Map<String, Object> values) implements TrainingEvent {
        public String event() { return "snapshot"; }
    }

    /**
     * A data-parallel run's workers: being started on {@code master} ({@code ready} false; each
     * loads its part of the training set, which may take a while on a cluster), then ready after
     * {@code seconds}.
     */
    record Workers(String master, int workers, boolean ready, double seconds) implements TrainingEvent {
        public String event() { return "workers"; }
    }

    /** A checkpoint was written: after step {@code step}, or, for the end of a run, its last. */
    record Checkpoint(String path, long step) implements TrainingEvent {
        public String event() { return "checkpoint"; }
    }

    /**
     * Training stopped because it diverged at {@code step}: the loss there, and the first
     * parameter whose gradient was not finite (null when the loss alone gave it away).
     */
    record Diverged(long step, float loss, String parameter, String reason) implements TrainingEvent {
        public String event() { return "diverged"; }
    }

    /** Final metrics of the run. */
    record Finished(Map<String, Object> metrics, double seconds) implements TrainingEvent {
        public String event() { return "finished"; }
    }
}
