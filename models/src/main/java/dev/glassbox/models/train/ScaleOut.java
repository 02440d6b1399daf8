package dev.glassbox.models.train;

import dev.glassbox.nn.Module;

import java.io.IOException;
import java.util.ServiceLoader;

/**
 * A cluster engine that computes gradients for a data-parallel run, found at run time (the
 * {@code glassbox-spark} module provides Apache Spark's): the models and the core know no
 * cluster engine.
 */
public interface ScaleOut {
    /**
     * Starts workers on {@code cluster} for a run of the model {@code recipe} trained with
     * {@code settings} (the run's settings JSON, from which each worker builds the model, its loss
     * and its training set, as this process did); {@code model} is this process's copy, whose
     * weights the workers compute with at every step. Progress of long start-up work goes to
     * {@code events}.
     */
    GradientService open(Cluster cluster, String recipe, String settings, Module model, EventListener events) throws IOException;

    /**
     * Starts workers on {@code cluster} for a run of the {@link dev.glassbox.models.PartTraining}
     * recipe {@code recipe} trained with {@code settings}: each loads its part of the data, as
     * the recipe says, and trains it each round from the state it is sent.
     */
    AveragingService openAveraging(Cluster cluster, String recipe, String settings, EventListener events) throws IOException;

    /** The engine on the class path, or an error saying how to get it. */
    static ScaleOut find() {
        return ServiceLoader.load(ScaleOut.class).findFirst().orElseThrow(() -> new InvalidSettingException("spark",
                "needs the glassbox-spark module on the class path (the glassbox command adds it; in a project of your own, "
                        + "depend on dev.glassbox:glassbox-spark)"));
    }
}
