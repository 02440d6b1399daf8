package dev.glassbox.models.word2vec;

/**
 * Draws word indices from a fixed distribution in constant time (Walker's alias method, built
 * by Vose's algorithm): word2vec's noise distribution, unigram counts to the power 0.75. It is
 * exact, where the C tool's 10⁸-entry table rounds each word's share to a whole number of
 * entries, and it takes two small arrays instead of 400 MB.
 */
final class AliasTable {
    private final float[] prob;
    private final int[] alias;

    private AliasTable(float[] prob, int[] alias) {
        this.prob = prob;
        this.alias = alias;
    }

    /** counts[i]^power, normalised. */
    static AliasTable unigram(long[] counts, double power) {
        int n = counts.length;
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) total += w[i] = Math.pow(counts[i], power);
        double[] scaled = new double[n];
        int[] small = new int[n], large = new int[n];
        int ns = 0, nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = w[i] * n / total;
            if (scaled[i] < 1) small[ns++] = i;
            else large[nl++] = i;
        }
        float[] prob = new float[n];
        int[] alias = new int[n];
        while (ns > 0 && nl > 0) {
            int s = small[--ns], l = large[--nl];
            prob[s] = (float) scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) small[ns++] = l;
            else large[nl++] = l;
        }
        while (nl > 0) {
            int l = large[--nl];
            prob[l] = 1f;
            alias[l] = l;
        }
        while (ns > 0) {
            int s = small[--ns];
            prob[s] = 1f;
            alias[s] = s;
        }
        return new AliasTable(prob, alias);
    }

    /** A draw from two random 64-bit words (their high bits are used). */
    int sample(long r1, long r2) {
        int i = (int) (((r1 >>> 32) * prob.length) >>> 32);
        float u = (r2 >>> 40) / (float) (1 << 24);
        return u < prob[i] ? i : alias[i];
    }

    /** The probability the table gives word i (for tests). */
    double probability(int i) {
        int n = prob.length;
        double p = prob[i];
        for (int j = 0; j < n; j++) if (alias[j] == i && j != i) p += 1 - prob[j];
        return p / n;
    }
}
