package dev.glassbox.models.text;

import dev.glassbox.tensor.Generator;

import java.util.Arrays;

/** Drawing the next token of a language model from its scores. */
public final class Draw {
    private Draw() {}

    /** A draw from softmax(scores / temperature), over the topK best scores when topK > 0. */
    public static int token(float[] scores, float temperature, int topK, Generator g) {
        float cut = Float.NEGATIVE_INFINITY;
        if (topK > 0 && topK < scores.length) {
            float[] sorted = scores.clone();
            Arrays.sort(sorted);
            cut = sorted[sorted.length - topK];
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) if (s >= cut) max = Math.max(max, s / temperature);
        double[] p = new double[scores.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) z += p[i] = scores[i] >= cut ? Math.exp(scores[i] / temperature - max) : 0;
        double u = g.uniform(0f, 1f) * z;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0 && p[i] > 0) return i;
        }
        for (int i = p.length - 1; i >= 0; i--) if (p[i] > 0) return i;
        return 0;
    }
}
