package dev.glassbox.spark;

import dev.glassbox.models.train.AveragingService;
import dev.glassbox.models.train.Cluster;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.Module;

import java.io.IOException;

/** Apache Spark as Glassbox's cluster engine: found by {@link ScaleOut#find()} when this module is on the class path. */
public final class SparkScaleOut implements ScaleOut {
    @Override
    public GradientService open(Cluster cluster, String recipe, String settings, Module model, EventListener events) throws IOException {
        long t0 = System.nanoTime();
        events.on(new TrainingEvent.Workers(cluster.master(), cluster.workers(), false, 0));
        SparkGradients g = SparkGradients.start(cluster, recipe, settings, model);
        events.on(new TrainingEvent.Workers(cluster.master(), cluster.workers(), true, (System.nanoTime() - t0) / 1e9));
        return g;
    }

    @Override
    public AveragingService openAveraging(Cluster cluster, String recipe, String settings, EventListener events) {
        long t0 = System.nanoTime();
        events.on(new TrainingEvent.Workers(cluster.master(), cluster.workers(), false, 0));
        SparkAveraging a = SparkAveraging.start(cluster, recipe, settings);
        events.on(new TrainingEvent.Workers(cluster.master(), cluster.workers(), true, (System.nanoTime() - t0) / 1e9));
        return a;
    }
}
