package dev.glassbox.models.train;

import java.util.Map;

/**
 * What a training run reports while it runs. Nothing in a model or recipe prints: the console
 * renders these events, {@code --log} writes them as JSON lines, the studio streams them.
 */
public sealed interface TrainingEvent {
    /** The kind of event, the {@code "event"} field of its JSON line. */
    String event();

    record Started(String model, String preset, String data, int epochs, int stepsPerEpoch) implements TrainingEvent {
        public String event() { return "started"; }
    }

    /**
     * A run made of stages (such as greedy layer-wise pretraining) begins stage {@code stage}
     * of {@code stages}: what it trains and to do what, for how many epochs of how many steps.
     */
    record Stage(int stage, int stages, String name, String goal, int epochs, int stepsPerEpoch) implements TrainingEvent {
        public String event() { return "stage"; }
    }

    /** One optimizer step; {@code step} counts from 1 within the run. */
    record Step(int epoch, int step, int totalSteps, float loss) implements TrainingEvent {
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

    /** The end of an epoch with its mean training loss and any metrics measured then. */
    record EpochEnd(int epoch, int epochs, float loss, Map<String, Object> metrics) implements TrainingEvent {
        public String event() { return "epoch_end"; }
    }

    /** A checkpoint was written. */
    record Checkpoint(String path) implements TrainingEvent {
        public String event() { return "checkpoint"; }
    }

    /** Final metrics of the run. */
    record Finished(Map<String, Object> metrics, double seconds) implements TrainingEvent {
        public String event() { return "finished"; }
    }
}
