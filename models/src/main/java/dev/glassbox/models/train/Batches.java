package dev.glassbox.models.train;

/**
 * Where a run's batches come from, epoch by epoch. The {@link Trainer} calls
 * {@link #startEpoch()}, then {@link #next()} once per step; a checkpoint holds where the
 * batches stand ({@link #saveState}), so a resumed run gets the same batches in the same order.
 */
public interface Batches<B> {
    /** Steps in a whole epoch. */
    int perEpoch();

    /** Begins an epoch (a loader draws its shuffle here). */
    void startEpoch();

    /** The epoch's next batch. */
    B next();

    /** Writes where the batches stand. */
    default void saveState(TrainingState state) {}

    /**
     * Continues from a {@link #saveState} taken {@code doneInEpoch} steps into an epoch (0
     * between epochs: the Trainer then calls {@link #startEpoch()} for the next).
     */
    default void loadState(TrainingState state, int doneInEpoch) {}
}
