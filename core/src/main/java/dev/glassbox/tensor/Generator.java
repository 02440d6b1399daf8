package dev.glassbox.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A seeded source of random numbers for tensor creation, initialisation, dropout and
 * shuffling. The same seed gives the same numbers on every machine and JDK: the algorithm is
 * the JDK's L64X128MixRandom (an LXM generator: a 64-bit LCG and xoroshiro128 combined by
 * Lea's mix), written out here so that its state can be saved in a checkpoint and restored
 * ({@link #state()}, {@link #setState}); it draws exactly the numbers
 * {@code RandomGeneratorFactory.of("L64X128MixRandom").create(seed)} does. Not thread-safe:
 * give each thread its own.
 */
public final class Generator {
    private static Generator global = new Generator(0x5eed);

    private final Lxm rng = new Lxm();
    private long seed;

    public Generator(long seed) { manualSeed(seed); }

    /** Restarts this generator's sequence from {@code seed}. */
    public Generator manualSeed(long seed) {
        this.seed = seed;
        rng.seed(seed);
        return this;
    }

    public long seed() { return seed; }

    /**
     * Where the sequence stands: four numbers that {@link #setState} takes back to continue
     * exactly from here (the seed is the fifth, for {@link #seed()}).
     */
    public long[] state() { return new long[] {rng.a, rng.s, rng.x0, rng.x1, seed}; }

    /** Continues the sequence from a {@link #state()} taken earlier (of this or another generator). */
    public Generator setState(long[] state) {
        if (state == null || state.length != 5) {
            throw new IllegalArgumentException("a generator's state is 5 numbers, got " + (state == null ? "none" : Arrays.toString(state)));
        }
        if ((state[0] & 1) == 0 || (state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("not a generator state (the increment must be odd and the xoroshiro part non-zero): "
                    + Arrays.toString(state));
        }
        rng.a = state[0];
        rng.s = state[1];
        rng.x0 = state[2];
        rng.x1 = state[3];
        seed = state[4];
        return this;
    }

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

    /**
     * L64X128MixRandom (Steele and Vigna, "LXM: better splittable pseudorandom number
     * generators", 2021), as the JDK seeds and steps it. Only {@link #nextLong()} is ours:
     * floats, bounded ints and Gaussians come from {@link RandomGenerator}'s own methods over
     * it, as they do for the JDK's class.
     */
    private static final class Lxm implements RandomGenerator {
        private static final long M = 0xd1342543de82ef95L;
        private static final long GOLDEN_RATIO_64 = 0x9e3779b97f4a7c15L, SILVER_RATIO_64 = 0x6A09E667F3BCC909L;
        long a, s, x0, x1;

        void seed(long seed) {
            seed ^= SILVER_RATIO_64;
            a = mixMurmur64(seed) | 1;
            s = 1;
            x0 = mixStafford13(seed);
            x1 = mixStafford13(seed + GOLDEN_RATIO_64);
            if ((x0 | x1) == 0) {
                long v = s;
                x0 = mixStafford13(v += GOLDEN_RATIO_64);
                x1 = mixStafford13(v + GOLDEN_RATIO_64);
            }
        }

        @Override
        public long nextLong() {
            long result = mixLea64(s + x0);
            s = M * s + a;                       // the LCG part
            long q0 = x0, q1 = x1;               // the xoroshiro128 part (v1.0)
            q1 ^= q0;
            q0 = Long.rotateLeft(q0, 24);
            q0 = q0 ^ q1 ^ (q1 << 16);
            q1 = Long.rotateLeft(q1, 37);
            x0 = q0;
            x1 = q1;
            return result;
        }

        private static long mixMurmur64(long z) {
            z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
            z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
            return z ^ (z >>> 33);
        }

        private static long mixStafford13(long z) {
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        private static long mixLea64(long z) {
            z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
            z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
            return z ^ (z >>> 32);
        }
    }
}
