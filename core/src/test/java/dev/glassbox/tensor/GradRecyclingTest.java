package dev.glassbox.tensor;

import dev.glassbox.nn.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A weight's gradient written into the array of its previous one ({@link Tensor#gradArray}):
 * only where no caller was given that gradient, with the same values as a new array, and with a
 * weight used twice in one graph summed as before.
 */
class GradRecyclingTest {
    /** One step of y = x·Wᵀ + b, the loss Σ y ⊙ r, its gradients from none. */
    private static void step(Tensor x, Tensor w, Tensor b, Tensor r) {
        w.zeroGrad();
        b.zeroGrad();
        F.linear(x, w, b).mul(r).sum().backward();
    }

    @Test
    void aGradientNobodyWasGivenLendsItsArrayToTheNextStep() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 128, 784), w = Tensor.randn(g, 256, 784).requiresGrad(true), b = Tensor.randn(g, 256).requiresGrad(true);
        Tensor r = Tensor.randn(g, 128, 256);
        step(x, w, b, r);
        float[] first = w.gradData(), firstValues = first.clone();
        step(x, w, b, Tensor.randn(g, 128, 256));      // other values, written over the same array
        assertSame(first, w.gradData(), "the weight's gradient reuses the array of the last one");
        step(x, w, b, r);
        assertArrayEquals(firstValues, w.gradData(), 0f, "the same inputs give the same bits in a reused array");
        w.zeroGrad();
        F.linear(x, w.mul(1f), b).mul(r).sum().backward();   // the weight's gradient now comes through mul's rule
        assertNull(w.spareGrad, "a kept array no rule took is let go once the gradient arrives");
    }

    @Test
    void aGradientGivenToACallerIsNeverWrittenAgain() {
        Generator g = new Generator(4);
        Tensor x = Tensor.randn(g, 64, 100), w = Tensor.randn(g, 30, 100).requiresGrad(true), b = Tensor.randn(g, 30).requiresGrad(true);
        step(x, w, b, Tensor.randn(g, 64, 30));
        Tensor kept = w.grad();                         // the caller keeps it
        float[] keptValues = kept.data().clone();
        step(x, w, b, Tensor.randn(g, 64, 30));
        assertNotSame(kept.data(), w.gradData(), "a gradient handed out keeps its own array");
        assertArrayEquals(keptValues, kept.data(), 0f, "and its values");
        Tensor set = Tensor.zeros(30, 100);
        w.setGrad(set);                                 // so does one a caller set
        w.zeroGrad();
        step(x, w, b, Tensor.randn(g, 64, 30));
        assertNotSame(set.data(), w.gradData());
        assertArrayEquals(new float[30 * 100], set.data(), 0f);
    }

    @Test
    void aWeightUsedTwiceSumsBothGradientsInAReusedArray() {
        Generator g = new Generator(5);
        Tensor x1 = Tensor.randn(g, 16, 40), x2 = Tensor.randn(g, 16, 40), w = Tensor.randn(g, 24, 40).requiresGrad(true);
        Tensor r1 = Tensor.randn(g, 16, 24), r2 = Tensor.randn(g, 16, 24);
        F.linear(x1, w, null).mul(r1).sum().add(F.linear(x2, w, null).mul(r2).sum()).backward();
        float[] expected = w.grad().data().clone();    // handed out: the next step has a new array
        for (int round = 0; round < 3; round++) {
            w.zeroGrad();
            assertNull(w.gradData());
            F.linear(x1, w, null).mul(r1).sum().add(F.linear(x2, w, null).mul(r2).sum()).backward();
            assertArrayEquals(expected, w.gradData(), 1e-5f, "round " + round);
        }
    }

    /** The loss Σ conv(x) ⊙ r after zeroGrad; {@code transpose} picks the transposed convolution. */
    private static void convStep(boolean transpose, Tensor x, Tensor w, Tensor b, Tensor r) {
        w.zeroGrad();
        b.zeroGrad();
        Tensor y = transpose ? F.convTranspose2d(x, w, b, 2, 1) : F.conv2d(x, w, b, 2, 1);
        y.mul(r).sum().backward();
    }

    /**
     * A convolution's weight gradient is summed by chunks of the batch into the gradient's kept
     * array and partial arrays from a pool (ChunkSums), none of them cleared first: a step after
     * one with other values must give the same bits as the first, and the values must be the
     * plain sum over the images, Σₙ of each image's own gradient.
     */
    @Test
    void convolutionsSumTheirWeightGradientsIntoReusedArraysWithTheSameBits() {
        // {transposed convolution?, in, out, dWᵀ summed?}: 96 channels fill whole panels of either
        // tile (24 or 32 columns) and meet C·kh·kw = 128 (so the chunks sum dWᵀ); the others sum dW
        for (int[] cfg : new int[][] {{0, 8, 96, 1}, {0, 1, 16, 0}, {1, 96, 8, 1}, {1, 16, 1, 0}}) {
            boolean transpose = cfg[0] == 1;
            Generator g = new Generator(6 + cfg[1]);
            int n = 40, cin = cfg[1], cout = cfg[2];
            assertEquals(cfg[3] == 1, transpose ? ConvOps.transposedSum(cout * 16, cin) : ConvOps.transposedSum(cin * 16, cout));
            Tensor x = Tensor.randn(g, n, cin, 9, 9);
            Tensor w = (transpose ? Tensor.randn(g, cin, cout, 4, 4) : Tensor.randn(g, cout, cin, 4, 4)).requiresGrad(true);
            Tensor b = Tensor.randn(g, cout).requiresGrad(true);
            int[] ys = (transpose ? F.convTranspose2d(x, w, b, 2, 1) : F.conv2d(x, w, b, 2, 1)).shape();
            Tensor r = Tensor.randn(g, ys);
            convStep(transpose, x, w, b, r);
            float[] first = w.gradData(), firstValues = first.clone(), firstBias = b.gradData().clone();
            convStep(transpose, Tensor.randn(g, n, cin, 9, 9), w, b, Tensor.randn(g, ys));   // other values in every array
            assertSame(first, w.gradData(), "the weight's gradient reuses the array of the last one");
            convStep(transpose, x, w, b, r);
            assertArrayEquals(firstValues, w.gradData(), 0f, (transpose ? "conv_transpose2d " : "conv2d ") + cin + "→" + cout + ": same inputs, same bits");
            assertArrayEquals(firstBias, b.gradData(), 0f);
            // each image alone (one chunk, no partials): their sum is the batch's gradient
            float[] sum = new float[first.length];
            for (int i = 0; i < n; i++) {
                int[] one = ys.clone();
                one[0] = 1;
                Tensor xi = Tensor.of(java.util.Arrays.copyOfRange(x.data(), i * cin * 81, (i + 1) * cin * 81), 1, cin, 9, 9);
                int per = r.numel() / n;
                Tensor ri = Tensor.of(java.util.Arrays.copyOfRange(r.data(), i * per, (i + 1) * per), one);
                convStep(transpose, xi, w, b, ri);
                for (int j = 0; j < sum.length; j++) sum[j] += w.gradData()[j];
            }
            assertArrayEquals(sum, firstValues, 1e-3f, cin + "→" + cout + ": the batch's weight gradient is the sum of each image's");
        }
    }

    /** An empty batch sums no chunk: the weight's gradient is zeros, not the stale values of its kept array. */
    @Test
    void anEmptyBatchGivesAZeroWeightGradientInAReusedArray() {
        // {transposed convolution?, weight's first two sizes}: conv2d 8 → 96 (dWᵀ summed) and 1 → 16
        // (dW), convTranspose2d 96 → 8 (dWᵀ)
        for (int[] cfg : new int[][] {{0, 96, 8}, {0, 16, 1}, {1, 96, 8}}) {
            boolean transpose = cfg[0] == 1;
            Generator g = new Generator(9);
            Tensor w = Tensor.randn(g, cfg[1], cfg[2], 4, 4).requiresGrad(true);
            Tensor b = Tensor.randn(g, transpose ? cfg[2] : cfg[1]).requiresGrad(true);
            Tensor x = Tensor.randn(g, 4, transpose ? cfg[1] : cfg[2], 9, 9);
            int[] ys = (transpose ? F.convTranspose2d(x, w, b, 2, 1) : F.conv2d(x, w, b, 2, 1)).shape();
            convStep(transpose, x, w, b, Tensor.randn(g, ys));
            float[] kept = w.gradData();
            int[] empty = x.shape(), none = ys.clone();
            empty[0] = 0;
            none[0] = 0;
            convStep(transpose, Tensor.zeros(empty), w, b, Tensor.zeros(none));
            assertSame(kept, w.gradData(), "the kept array is reused");
            assertArrayEquals(new float[kept.length], w.gradData(), 0f, (transpose ? "conv_transpose2d" : "conv2d") + " of no images");
        }
    }
}
