package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.GeluKernels;
import dev.glassbox.kernels.LayerKernels;
import dev.glassbox.kernels.SoftmaxKernels;
import dev.glassbox.kernels.UnaryOp;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;
import java.util.Locale;

/** Elementwise math, activations, softmax and dropout: forward and backward side by side. */
final class ActivationOps {

    private ActivationOps() {}

    static Tensor unary(UnaryOp op, Tensor x) {
        int n = x.data.length;
        float[] out = new float[n];
        VectorKernels.unary(op, n, x.data, 0, out, 0);
        String name = op.name().toLowerCase(Locale.ROOT);
        return Tensor.result(out, x.shape, name, g -> {
            float[] gx = GradFn.gradInto(g);
            switch (op) {
                case NEG -> VectorKernels.affine(n, -1f, 0f, g.data, 0, gx, 0);
                // d e^x = e^x
                case EXP -> VectorKernels.binary(BinaryOp.MUL, n, g.data, 0, 1, out, 0, 1, gx, 0);
                // d ln x = 1/x
                case LOG -> VectorKernels.binary(BinaryOp.DIV, n, g.data, 0, 1, x.data, 0, 1, gx, 0);
                // d √x = 1/(2√x)
                case SQRT -> { for (int i = 0; i < n; i++) gx[i] = g.data[i] * 0.5f / out[i]; }
                case ABS -> { for (int i = 0; i < n; i++) gx[i] = g.data[i] * Math.signum(x.data[i]); }
                // σ' = σ(1−σ)
                case SIGMOID -> VectorKernels.sigmoidBackward(n, g.data, out, gx);
                // tanh' = 1−tanh²
                case TANH -> VectorKernels.tanhBackward(n, g.data, out, gx);
                case RELU -> VectorKernels.reluBackward(n, g.data, x.data, gx);
                // gelu'(x) = Φ(x) + x·φ(x)
                case GELU -> GeluKernels.geluBackward(n, g.data, x.data, gx);
                case SIGN -> Arrays.fill(gx, 0f);
            }
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }

    /** x if x &gt; 0 else slope·x; dL/dx = g or g·slope. */
    static Tensor leakyRelu(Tensor x, float slope) {
        int n = x.data.length;
        float[] out = new float[n];
        LayerKernels.leakyRelu(n, null, x.data, slope, out);
        return Tensor.result(out, x.shape, "leaky_relu", g -> {
            float[] gx = GradFn.gradInto(g);
            LayerKernels.leakyRelu(n, g.data, x.data, slope, gx);
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }

    /** min(max(x, lo), hi); the gradient passes where lo ≤ x ≤ hi. */
    static Tensor clamp(Tensor x, float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        int n = x.data.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = Math.min(Math.max(x.data[i], lo), hi);
        return Tensor.result(out, x.shape, "clamp", g -> {
            float[] gx = GradFn.gradInto(g);
            for (int i = 0; i < n; i++) {
                float v = x.data[i];
                gx[i] = v >= lo && v <= hi ? g.data[i] : 0f;
            }
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }

    /**
     * Softmax or log-softmax along {@code dim}. Along the last dim the rows are contiguous and go
     * straight to the kernel; other dims are moved last and back.
     * Backward: softmax gx = y·(g − Σ g·y); log-softmax gx = g − softmax(x)·Σ g.
     */
    static Tensor softmax(Tensor x, int dim, boolean log) {
        String name = log ? "log_softmax" : "softmax";
        int d = Shapes.dim(name, dim, x.shape.length);
        if (x.shape.length == 0) return softmax(x.reshape(1), 0, log).reshape();
        if (d != x.shape.length - 1) {
            return softmax(x.transpose(d, -1), -1, log).transpose(d, -1);
        }
        int cols = x.shape[d];
        int rows = cols == 0 ? 0 : x.data.length / cols;
        float[] out = new float[x.data.length];
        SoftmaxKernels.softmaxRows(rows, cols, x.data, 0, out, 0, log);
        return Tensor.result(out, x.shape, name, g -> {
            float[] gx = GradFn.gradInto(g);          // each row's sum is taken before the row is written
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                if (log) {
                    float s = VectorKernels.sum(cols, g.data, base);
                    for (int j = 0; j < cols; j++) gx[base + j] = g.data[base + j] - (float) Math.exp(out[base + j]) * s;
                } else {
                    LayerKernels.softmaxBackward(cols, out, base, g.data, base, gx, base);
                }
            }
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }

    /** Inverted dropout; dL/dx = g·mask/(1−p). */
    static Tensor dropout(Tensor x, float p, Generator gen) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        if (p == 0f) return x;
        int n = x.data.length;
        float[] mask = new float[n];
        if (p < 1f) {
            float scale = 1f / (1f - p);
            for (int i = 0; i < n; i++) mask[i] = gen.nextFloat() >= p ? scale : 0f;
        }
        float[] out = new float[n];
        VectorKernels.binary(BinaryOp.MUL, n, x.data, 0, 1, mask, 0, 1, out, 0);
        return Tensor.result(out, x.shape, "dropout", g -> {
            float[] gx = GradFn.gradInto(g);
            VectorKernels.binary(BinaryOp.MUL, n, g.data, 0, 1, mask, 0, 1, gx, 0);
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }
}
