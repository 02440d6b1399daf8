package dev.glassbox.models;

/**
 * A recipe's typed settings: the common {@link TrainSettings} plus whatever the model adds (a
 * language model's cell, word2vec's window). Records, so they are plain data: the command line
 * builds them from flags, the studio from a form, a checkpoint stores them as JSON.
 */
public interface RecipeSettings<S extends RecipeSettings<S>> {
    /** The settings every model has. */
    TrainSettings train();

    /** The same settings with the common part replaced. */
    S withTrain(TrainSettings train);
}
