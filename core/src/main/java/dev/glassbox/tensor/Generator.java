package dev.glassbox.tensor;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * A seeded source of random numbers for tensor creation, initialisation, dropout and
 * shuffling. The same seed gives the same numbers on every machine and JDK (the algorithm,
 * L64X128MixRandom, is fixed by name). Not thread-safe: give each thread its own.
 */
public final class Generator {
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");
    private static Generator global = new Generator(0x5eed);

    private RandomGenerator rng;
    private long seed;

    public Generator(long seed) { manualSeed(seed); }

    /** Restarts this generator's sequence from {@code seed}. */
    public Generator manualSeed(long seed) {
        this.seed = seed;
        this.rng = FACTORY.create(seed);
        return this;
    }

    public long seed() { return seed; }

    /** The default generator used when none is passed. */
    public static Generator global() { return global; }

    /** Reseeds the default generator (like {@code torch.manual_seed}). */
    public static void seedGlobal(long seed) { global = new Generator(seed); }

    /** Uniform in [0, 1). */
    public float nextFloat() { return rng.nextFloat(); }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) { return lo + (hi - lo) * rng.nextFloat(); }

    /** Standard normal. */
    public float nextGaussian() { return (float) rng.nextGaussian(); }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) { return rng.nextInt(bound); }

    public long nextLong() { return rng.nextLong(); }

    /** A seeded random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
