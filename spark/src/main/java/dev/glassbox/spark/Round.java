package dev.glassbox.spark;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * A round of local SGD as it travels: {@link Start}, what every worker begins from (broadcast);
 * {@link Result}, what one partition, or several combined, ended with — weights and optimizer
 * buffers as means over the examples seen, so that combining is a weighted mean and a single
 * partition's result passes through unchanged.
 */
final class Round {
    private Round() {}

    record Start(float[] weights, long steps, float lr, TreeMap<String, float[]> buffers) implements Serializable {
        @Serial private static final long serialVersionUID = 1L;
    }

    static final class Result implements Serializable {
        @Serial private static final long serialVersionUID = 1L;

        float[] weights;
        TreeMap<String, float[]> buffers = new TreeMap<>();
        double lossSum;
        /** The step's other figures summed over the examples, in the order the recipe names them. */
        double[] figureSums = new double[0];
        long examples;
        float computeMs;

        /** No partition yet: the aggregate's zero. */
        static Result none() { return new Result(); }

        /** The weighted mean of two results, into {@code a} (or whichever is not empty). */
        static Result combine(Result a, Result b) {
            if (b.examples == 0) return a;
            if (a.examples == 0) return b;
            double wa = (double) a.examples / (a.examples + b.examples), wb = 1 - wa;
            mean(a.weights, b.weights, wa, wb);
            for (Map.Entry<String, float[]> e : b.buffers.entrySet()) {
                float[] mine = a.buffers.get(e.getKey());
                if (mine == null) {
                    throw new IllegalStateException("the workers' optimizers kept different buffers: '" + e.getKey() + "' in one only");
                }
                mean(mine, e.getValue(), wa, wb);
            }
            a.lossSum += b.lossSum;
            for (int f = 0; f < a.figureSums.length; f++) a.figureSums[f] += b.figureSums[f];
            a.examples += b.examples;
            a.computeMs = Math.max(a.computeMs, b.computeMs);
            return a;
        }

        private static void mean(float[] into, float[] other, double wa, double wb) {
            for (int i = 0; i < into.length; i++) into[i] = (float) (wa * into[i] + wb * other[i]);
        }
    }
}
