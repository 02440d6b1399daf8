package dev.glassbox.kernels;

import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * word2vec's negative-sampling step: the vector kernel against its scalar twin, and both
 * against the engine's autograd on the same loss −ln σ(in·out₀) − Σₖ ln σ(−in·outₖ).
 */
class EmbeddingKernelsTest {
    @ParameterizedTest
    @ValueSource(ints = {3, 8, 100, 131})
    void matchesTheTwinAndAutograd(int dim) {
        Random r = new Random(dim);
        int rows = 12, count = 6;
        float[] in = new float[dim + 5], out = new float[rows * dim];
        for (int i = 0; i < in.length; i++) in[i] = (r.nextFloat() - 0.5f) * 0.6f;
        for (int i = 0; i < out.length; i++) out[i] = (r.nextFloat() - 0.5f) * 0.6f;
        int[] targets = {4, 0, 7, 11, 2, 9};
        int inOff = 5;
        float alpha = 1f;

        // The engine's loss and gradients.
        Tensor x = Tensor.of(java.util.Arrays.copyOfRange(in, inOff, inOff + dim), dim).requiresGrad(true);
        Tensor w = Tensor.of(out.clone(), rows, dim).requiresGrad(true);
        Tensor f = w.indexSelect(0, targets).matmul(x);                       // [count]
        float[] sign = new float[count];
        sign[0] = 1f;
        for (int k = 1; k < count; k++) sign[k] = -1f;
        Tensor loss = f.mul(Tensor.of(sign, count)).sigmoid().log().sum().neg();
        loss.backward();

        float[] fastOut = out.clone(), slowOut = out.clone(), fastGrad = new float[dim], slowGrad = new float[dim];
        float fastLoss = EmbeddingKernels.negativeSampling(dim, in, inOff, fastOut, targets, count, alpha, fastGrad, new float[count]);
        float slowLoss = EmbeddingKernels.negativeSamplingScalar(dim, in, inOff, slowOut, targets, count, alpha, slowGrad, new float[count]);
        assertEquals(slowLoss, fastLoss, 1e-5f * count);
        for (int i = 0; i < dim; i++) assertEquals(slowGrad[i], fastGrad[i], 1e-5f, "grad " + i);
        for (int i = 0; i < out.length; i++) assertEquals(slowOut[i], fastOut[i], 1e-5f, "out " + i);

        // The table's logistic is good to about 0.006 in σ: compare with that tolerance.
        assertEquals(loss.item(), fastLoss, 0.01f * count);
        float[] gx = x.grad().data();
        for (int i = 0; i < dim; i++) assertEquals(-gx[i], fastGrad[i], 0.01f, "input gradient " + i);
        // With alpha 1 each output row moved by −dL/d(row); the targets are distinct rows here.
        float[] gw = w.grad().data();
        for (int t : targets) {
            for (int i = 0; i < dim; i++) assertEquals(-gw[t * dim + i], fastOut[t * dim + i] - out[t * dim + i], 0.01f, "row " + t);
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {-7f, -6f, -5.9999995f, -2.5f, 0f, 0.3f, 5.99f, 5.9999995f, 6f, 9f})
    void tableLogisticIsCloseAndSaturates(float f) {
        double exact = 1 / (1 + Math.exp(-f));
        if (Math.abs(f) >= EmbeddingKernels.MAX_EXP) assertEquals(f > 0 ? 1f : 0f, EmbeddingKernels.sigmoid(f));
        else assertEquals(exact, EmbeddingKernels.sigmoid(f), 0.004);
        double exactLoss = Math.log1p(Math.exp(-f));
        assertEquals(exactLoss, EmbeddingKernels.negLogSigmoid(f), Math.abs(f) >= 6 ? 0.003 : 0.01);
    }
}
