package dev.glassbox.tensor;

import dev.glassbox.nn.F;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A product's two gradients (a linear layer's dx and dW, a matmul's dA and dB) run side by side,
 * one a thread, when the rows are a batch (MatmulOps.gradients): they must be the very values one
 * thread computes, at shapes on both sides of the size and row limits and of the SGEMM paths.
 */
class SideBySideGradientsTest {
    private static final int[][] SHAPES = {   // rows, in, out
        {128, 400, 784}, {128, 784, 400}, {128, 400, 20}, {128, 20, 400}, {64, 1600, 128}, {128, 128, 10},
        {511, 96, 1100}, {512, 64, 96}, {600, 64, 64}, {7, 33, 65}, {3, 5, 4}};

    @Test
    void linearGradientsEqualOneThreads() {
        for (int[] s : SHAPES) {
            float[][] one = linearGrads(s, 1), two = linearGrads(s, 2);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "linear rows " + s[0] + ", in " + s[1] + ", out " + s[2] + ": gradient " + "xwb".charAt(i));
            }
        }
    }

    @Test
    void matmulGradientsEqualOneThreads() {
        for (int[] s : SHAPES) {
            float[][] one = matmulGrads(s, 1), two = matmulGrads(s, 2);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "matmul " + s[0] + "×" + s[1] + " @ " + s[1] + "×" + s[2] + ": gradient " + "ab".charAt(i));
            }
        }
    }

    private static float[][] linearGrads(int[] s, int threads) {
        return onThreads(threads, () -> {
            Generator g = new Generator(s[0] * 31 + s[1] * 7 + s[2]);
            Tensor x = Tensor.randn(g, s[0], s[1]).requiresGrad(true), w = Tensor.randn(g, s[2], s[1]).requiresGrad(true);
            Tensor b = Tensor.randn(g, s[2]).requiresGrad(true), r = Tensor.randn(g, s[0], s[2]);
            F.linear(x, w, b).mul(r).sum().backward();
            return new float[][] {grad(x), grad(w), grad(b)};
        });
    }

    private static float[][] matmulGrads(int[] s, int threads) {
        return onThreads(threads, () -> {
            Generator g = new Generator(s[0] * 13 + s[1] * 5 + s[2]);
            Tensor a = Tensor.randn(g, s[0], s[1]).requiresGrad(true), b = Tensor.randn(g, s[1], s[2]).requiresGrad(true);
            a.matmul(b).mul(Tensor.randn(g, s[0], s[2])).sum().backward();
            return new float[][] {grad(a), grad(b)};
        });
    }

    /** {@code run} with the kernels on {@code threads} threads, then the count as it was. */
    private static float[][] onThreads(int threads, Supplier<float[][]> run) {
        int before = Threads.count();
        try {
            Threads.set(threads);
            return run.get();
        } finally {
            Threads.set(before);
        }
    }

    private static float[] grad(Tensor t) {
        assertNotNull(t.grad(), "no gradient reached an input");
        return t.grad().data().clone();
    }
}
