package dev.glassbox.tensor;

import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    /** Our LXM draws what the JDK's L64X128MixRandom draws, so every seed keeps its numbers. */
    @Test
    void drawsExactlyWhatTheJdksL64X128MixRandomDraws() {
        for (long seed : new long[] {0, 1, 42, -7, 0x5eed, Long.MIN_VALUE, Long.MAX_VALUE, 20_260_307L}) {
            Generator ours = new Generator(seed);
            RandomGenerator jdk = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
            for (int i = 0; i < 2000; i++) {
                switch (i % 5) {
                    case 0 -> assertEquals(jdk.nextLong(), ours.nextLong(), "seed " + seed + " draw " + i);
                    case 1 -> assertEquals(Float.floatToIntBits(jdk.nextFloat()), Float.floatToIntBits(ours.nextFloat()), "float " + i);
                    case 2 -> assertEquals((float) jdk.nextGaussian(), ours.nextGaussian(), 0f, "gaussian " + i);
                    case 3 -> assertEquals(jdk.nextInt(1 + i), ours.nextInt(1 + i), "int " + i);
                    default -> assertEquals(jdk.nextInt(Integer.MAX_VALUE - i), ours.nextInt(Integer.MAX_VALUE - i), "big int " + i);
                }
            }
        }
    }

    @Test
    void aSavedStateContinuesTheSequenceExactly() {
        Generator g = new Generator(42);
        for (int i = 0; i < 17; i++) g.nextGaussian();
        long[] state = g.state();
        float[] want = new float[50];
        for (int i = 0; i < want.length; i++) want[i] = i % 2 == 0 ? g.nextFloat() : g.nextGaussian();
        int[] perm = g.permutation(30);

        Generator other = new Generator(7).setState(state);
        assertEquals(42, other.seed());
        float[] got = new float[50];
        for (int i = 0; i < got.length; i++) got[i] = i % 2 == 0 ? other.nextFloat() : other.nextGaussian();
        assertArrayEquals(want, got);
        assertArrayEquals(perm, other.permutation(30));
        assertTrue(state != g.state(), "state() is a copy");
    }

    @Test
    void aStateThatCannotBeOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Generator(1).setState(new long[] {1, 2, 3}));
        var e = assertThrows(IllegalArgumentException.class, () -> new Generator(1).setState(new long[] {2, 0, 1, 1, 0}));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Generator(1).setState(new long[] {1, 0, 0, 0, 0}));
    }
}
