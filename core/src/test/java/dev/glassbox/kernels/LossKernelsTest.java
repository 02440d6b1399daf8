package dev.glassbox.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

class LossKernelsTest {
    /** Logits from tiny to huge, both signs; targets in [0, 1] with the exact 0 and 1 of images' black and white. */
    private static float[][] inputs(int n) {
        Random r = new Random(n);
        float[] x = new float[n], y = new float[n], g = new float[n];
        float[] special = {0f, -0f, 1e-7f, -1e-3f, 0.34657f, -0.34657f, 20f, -20f, 87f, -87f, 100f, -100f, 1e6f, -1e6f};
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i] : (float) (r.nextGaussian() * (i % 3 == 0 ? 12 : 2));
            y[i] = i % 5 == 0 ? 0f : i % 5 == 1 ? 1f : r.nextFloat();
            g[i] = (float) r.nextGaussian();
        }
        return new float[][] {x, y, g};
    }

    /**
     * The vector forward and backward against their scalar twins (log1p and exp in double), within
     * 1e-6 of the size of the terms that meet there: max(x, 0) − x·y and log1p(e^−|x|) forward,
     * (σ(x) − y)·g backward — their cancellations turn a last-bit difference into a larger relative one.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 15, 16, 17, 33, 255, 1023, 70001, 100352})
    void bceWithLogitsMatchesItsTwin(int n) {
        float[][] in = inputs(n);
        float[] fast = new float[n], slow = new float[n];
        LossKernels.bceWithLogits(n, in[0], in[1], fast);
        ScalarKernels.bceWithLogits(0, n, in[0], in[1], slow);
        float[] forwardScale = new float[n], backwardScale = new float[n];
        for (int i = 0; i < n; i++) {
            forwardScale[i] = 1 + Math.abs(in[0][i]);
            backwardScale[i] = 1 + Math.abs(in[2][i]);
        }
        close(fast, slow, "forward n=" + n, in[0], forwardScale);
        float[] gf = new float[n], gs = new float[n];
        LossKernels.bceWithLogitsBackward(n, in[0], in[1], in[2], gf);
        ScalarKernels.bceWithLogitsBackward(0, n, in[0], in[1], in[2], gs);
        close(gf, gs, "backward n=" + n, in[0], backwardScale);
    }

    /**
     * The sum's kernels: the loss summed as the elementwise kernel and the vector sum would sum it
     * (bit for bit), and the backward with one upstream gradient as the one with an array of it,
     * bit for bit, and within 1e-6 of its scalar twin as above.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 1023, 70001, 100352, (1 << 20) + 17})   // the last above the kept scratch array
    void bceWithLogitsSumIsTheSumOfTheLosses(int n) {
        float[][] in = inputs(n);
        float[] each = new float[n];
        LossKernels.bceWithLogits(n, in[0], in[1], each);
        assertEquals(Float.floatToIntBits(VectorKernels.sum(n, each, 0)), Float.floatToIntBits(LossKernels.bceWithLogitsSum(n, in[0], in[1])),
                "sum n=" + n);
        float g = in[2][0];
        float[] ones = new float[n], byArray = new float[n], byScalar = new float[n], slow = new float[n];
        java.util.Arrays.fill(ones, g);
        LossKernels.bceWithLogitsBackward(n, in[0], in[1], ones, byArray);
        LossKernels.bceWithLogitsBackward(n, in[0], in[1], g, byScalar);
        assertArrayEquals(byArray, byScalar, 0f, "backward with one gradient, n=" + n);
        ScalarKernels.bceWithLogitsBackward(0, n, in[0], in[1], g, slow);
        float[] scale = new float[n];
        java.util.Arrays.fill(scale, 1 + Math.abs(g));
        close(byScalar, slow, "backward with one gradient against its twin, n=" + n, in[0], scale);
    }

    private static void close(float[] fast, float[] slow, String what, float[] x, float[] scale) {
        for (int i = 0; i < fast.length; i++) {
            float a = fast[i], b = slow[i];
            if (!(Math.abs(a - b) <= 1e-6f * scale[i])) fail(what + " [" + i + "] x = " + x[i] + ": fast " + a + ", scalar " + b);
        }
    }
}
