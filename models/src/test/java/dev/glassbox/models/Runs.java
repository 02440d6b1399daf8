package dev.glassbox.models;

import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;

import java.io.IOException;
import java.util.function.UnaryOperator;

/** Training runs for tests: a recipe by name, its preset's settings changed as a test needs. */
public final class Runs {
    private Runs() {}

    /** Trains {@code model}'s {@code preset} (null: the first) with its common settings changed by {@code change}. */
    public static Recipe.Run train(String model, String preset, UnaryOperator<TrainSettings> change) throws IOException {
        return train(model, preset, change, RunOptions.NONE, EventListener.NONE);
    }

    public static Recipe.Run train(String model, String preset, UnaryOperator<TrainSettings> change, RunOptions run, EventListener events)
            throws IOException {
        return train(Recipes.get(model), preset, change, run, events);
    }

    private static <S extends RecipeSettings<S>> Recipe.Run train(Recipe<S> r, String preset, UnaryOperator<TrainSettings> change,
                                                                  RunOptions run, EventListener events) throws IOException {
        S s = r.settings(preset);
        return r.train(s.withTrain(change.apply(s.train())), run, events);
    }

    /** A run with the recipe's own settings type, as the command line builds it. */
    public static <S extends RecipeSettings<S>> Recipe.Run train(Recipe<S> r, S settings, RunOptions run, EventListener events)
            throws IOException {
        return r.train(settings, run, events);
    }
}
