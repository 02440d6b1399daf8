package dev.glassbox.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fused LSTM cell kernels against their scalar twins, hidden sizes around the vector width, a range of rows in the middle of the batch. */
class RecurrentKernelsTest {
    @ParameterizedTest(name = "hidden {0}")
    @ValueSource(ints = {1, 7, 8, 9, 16, 33, 256})
    void forwardMatchesScalarTwin(int hs) {
        Random r = new Random(hs);
        int n = 5, r0 = 1, r1 = 4, gOff = 3, cpOff = 2, cOff = 1, tcOff = 4, hOff = 6;
        float[] gates = rand(r, gOff + n * 4 * hs, 4f), cPrev = rand(r, cpOff + n * hs, 2f);
        float[] gates2 = gates.clone();
        float[] c = new float[cOff + n * hs], tc = new float[tcOff + n * hs], h = new float[hOff + n * hs];
        float[] c2 = c.clone(), tc2 = tc.clone(), h2 = h.clone();
        RecurrentKernels.lstmForward(r0, r1, hs, gates, gOff, cPrev, cpOff, c, cOff, tc, tcOff, h, hOff);
        RecurrentKernels.lstmForwardScalar(r0, r1, hs, gates2, gOff, cPrev, cpOff, c2, cOff, tc2, tcOff, h2, hOff);
        assertArrayEquals(gates2, gates, 2e-6f, "gate activations");
        assertArrayEquals(c2, c, 4e-6f, "c");
        assertArrayEquals(tc2, tc, 2e-6f, "tanh c");
        assertArrayEquals(h2, h, 2e-6f, "h");
        // rows outside [r0, r1) are untouched
        assertEquals(0f, c[cOff], 0f);
        assertEquals(0f, h[hOff + (n - 1) * hs], 0f);
        // and the values are an LSTM cell's: row 1, unit 0
        int gi = gOff + 4 * hs;
        float want = gates2[gi + hs] * cPrev[cpOff + hs] + gates2[gi] * gates2[gi + 2 * hs];
        assertEquals(want, c[cOff + hs], 1e-6f);
    }

    @ParameterizedTest(name = "hidden {0}")
    @ValueSource(ints = {1, 7, 8, 9, 16, 33, 256})
    void backwardMatchesScalarTwin(int hs) {
        Random r = new Random(100 + hs);
        int n = 5, r0 = 0, r1 = 5, gOff = 2, tcOff = 3, cpOff = 1, dyOff = 4;
        float[] acts = new float[gOff + n * 4 * hs];
        for (int i = 0; i < acts.length; i++) acts[i] = r.nextFloat() * 1.8f - 0.9f;   // σ, tanh ranges
        float[] tc = rand(r, tcOff + n * hs, 0.9f), cPrev = rand(r, cpOff + n * hs, 2f), dy = rand(r, dyOff + n * hs, 1f);
        float[] dhNext = rand(r, n * hs, 1f), dc = rand(r, n * hs, 1f), dc2 = dc.clone();
        float[] dg = new float[acts.length], dg2 = new float[acts.length];
        RecurrentKernels.lstmBackward(r0, r1, hs, acts, gOff, tc, tcOff, cPrev, cpOff, dy, dyOff, dhNext, dc, dg);
        RecurrentKernels.lstmBackwardScalar(r0, r1, hs, acts, gOff, tc, tcOff, cPrev, cpOff, dy, dyOff, dhNext, dc2, dg2);
        assertArrayEquals(dg2, dg, 1e-5f, "gate gradients");
        assertArrayEquals(dc2, dc, 1e-5f, "dc_prev");
    }

    private static float[] rand(Random r, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian() * scale;
        return x;
    }
}
