package dev.glassbox.spark;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The check every test of a Spark run against one process starts with: as many steps, and each step's loss within a tolerance relative to it (at least absolute). */
final class SameLosses {
    private SameLosses() {}

    static void assertSameLosses(List<Float> local, List<Float> spark, double tolerance) {
        assertEquals(local.size(), spark.size(), "steps");
        for (int i = 0; i < local.size(); i++) {
            float a = local.get(i), b = spark.get(i);
            assertEquals(a, b, tolerance * Math.max(1, Math.abs(a)), "loss at step " + (i + 1));
        }
    }
}
