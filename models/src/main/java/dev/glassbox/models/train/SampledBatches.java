package dev.glassbox.models.train;

import dev.glassbox.tensor.Generator;

import java.util.function.Function;

/**
 * Batches drawn afresh at every step from a seeded generator (random windows of a text, newly
 * generated examples); an epoch is {@code perEpoch} of them. A checkpoint keeps the generator's
 * state, so a resumed run draws what the uninterrupted one would have.
 */
public final class SampledBatches<B> implements Batches<B> {
    private final int perEpoch;
    private final Generator g;
    private final Function<Generator, B> draw;

    public SampledBatches(int perEpoch, Generator g, Function<Generator, B> draw) {
        if (perEpoch < 1) throw new IllegalArgumentException("an epoch needs at least one step, got " + perEpoch);
        this.perEpoch = perEpoch;
        this.g = g;
        this.draw = draw;
    }

    @Override public int perEpoch() { return perEpoch; }

    @Override public void startEpoch() {}

    @Override public B next() { return draw.apply(g); }

    @Override public void saveState(TrainingState state) { state.putGenerator("generator", g); }

    @Override public void loadState(TrainingState state, int doneInEpoch) { state.restoreGenerator("generator", g); }
}
