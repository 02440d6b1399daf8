package dev.glassbox.bench;

import java.util.Arrays;

/** Medians: the machine is shared and noisy, so every figure is a median of repeats. */
public final class Stats {
    private Stats() {}

    public static double median(double[] xs) {
        if (xs.length == 0) throw new IllegalArgumentException("median of nothing");
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
