package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.LayerKernels;
import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.VectorKernels;

/**
 * Layer normalization as one autograd node: each row of the last {@code d} values is centred
 * and scaled by its own mean and (biased) variance, then by the elementwise weight and bias:
 * {@code y = (x − μ)/√(σ² + ε)·γ + β}. The forward keeps each row's μ and 1/√(σ² + ε); the
 * backward is written out: dx = rstd·(g·γ − mean(g·γ) − x̂·mean(g·γ·x̂)), dγ = Σ g·x̂, dβ = Σ g.
 * Rows are split over the kernel threads, each thread summing its own dγ and dβ.
 */
final class NormOps {
    private static final int ROWS_PER_CHUNK = 16;
    /** Channels per chunk of a batch normalization (each channel's sums are its own: any split gives the same bits). */
    private static final int CHANNELS_PER_CHUNK = 4;

    private NormOps() {}

    static Tensor layerNorm(Tensor x, int d, Tensor weight, Tensor bias, float eps) {
        if (d <= 0 || x.data.length % d != 0) {
            throw new IllegalArgumentException("layer_norm: the input's " + Shapes.str(x.shape) + " does not end in the normalized size " + d);
        }
        if (weight != null && weight.data.length != d) {
            throw new IllegalArgumentException("layer_norm: weight " + Shapes.str(weight.shape) + " for a normalized size of " + d);
        }
        if (bias != null && bias.data.length != d) {
            throw new IllegalArgumentException("layer_norm: bias " + Shapes.str(bias.shape) + " for a normalized size of " + d);
        }
        int rows = x.data.length / d;
        float[] xd = x.data, out = new float[xd.length], mean = new float[rows], rstd = new float[rows];
        float[] w = weight == null ? null : weight.data, b = bias == null ? null : bias.data;
        Parallel.forRange(rows, ROWS_PER_CHUNK, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int o = r * d;
                float mu = VectorKernels.sum(d, xd, o) / d;
                float rs = normalize(d, xd, o, mu, eps, out, o);                              // x̂ into out's row
                if (w != null) VectorKernels.binary(BinaryOp.MUL, d, out, o, 1, w, 0, 1, out, o);
                if (b != null) VectorKernels.binary(BinaryOp.ADD, d, out, o, 1, b, 0, 1, out, o);
                mean[r] = mu;
                rstd[r] = rs;
            }
        });
        return Tensor.result(out, x.shape.clone(), "layer_norm", g -> backward(g, mean, eps, w, d, x, weight, bias), x, weight, bias);
    }

    /**
     * x̂ = (x − μ)·rstd of one row into {@code xhat} at {@code ho}; returns rstd = 1/√(var + ε).
     * The forward and the backward both call it, so the backward's x̂ has the forward's bits
     * without the forward keeping a copy of it (1 MB a LayerNorm over W6's 2,048 tokens).
     */
    private static float normalize(int d, float[] x, int o, float mu, float eps, float[] xhat, int ho) {
        VectorKernels.affine(d, 1f, -mu, x, o, xhat, ho);                                  // x − μ
        float var = VectorKernels.dot(d, xhat, ho, xhat, ho) / d;
        float rs = (float) (1.0 / Math.sqrt(var + eps));
        VectorKernels.affine(d, rs, 0f, xhat, ho, xhat, ho);                               // x̂
        return rs;
    }

    /** dx is written over g's array when the engine says it is this rule's ({@link GradFn#gradInto}): each row of g is read before its row of dx is written. */
    private static Tensor[] backward(Tensor gt, float[] mean, float eps, float[] w, int d, Tensor x, Tensor weight, Tensor bias) {
        float[] g = gt.data, xd = x.data;
        int rows = mean.length;
        boolean needX = x.requiresGrad, needW = weight != null && weight.requiresGrad, needB = bias != null && bias.requiresGrad;
        float[] dx = needX ? GradFn.gradInto(gt) : null;
        int chunks = (rows + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        float[][] dwPart = needW ? new float[chunks][] : null, dbPart = needB ? new float[chunks][] : null;
        Parallel.forRange(rows, ROWS_PER_CHUNK, (r0, r1) -> {
            float[] gw = new float[d], prod = new float[d], xhat = new float[d];
            float[] dw = needW ? new float[d] : null, db = needB ? new float[d] : null;
            for (int r = r0; r < r1; r++) {
                int o = r * d;
                float rs = normalize(d, xd, o, mean[r], eps, xhat, 0);
                if (needW) {
                    VectorKernels.binary(BinaryOp.MUL, d, g, o, 1, xhat, 0, 1, prod, 0);
                    VectorKernels.axpy(d, 1f, prod, 0, dw, 0);
                }
                if (needB) VectorKernels.axpy(d, 1f, g, o, db, 0);
                if (!needX) continue;
                if (w != null) VectorKernels.binary(BinaryOp.MUL, d, g, o, 1, w, 0, 1, gw, 0);
                else System.arraycopy(g, o, gw, 0, d);
                float a = VectorKernels.sum(d, gw, 0) / d, c = VectorKernels.dot(d, gw, 0, xhat, 0) / d;
                VectorKernels.axpy(d, -c, xhat, 0, gw, 0);                                 // g·γ − x̂·mean(g·γ·x̂)
                VectorKernels.affine(d, rs, -rs * a, gw, 0, dx, o);                        // ... − mean(g·γ), times rstd
            }
            int chunk = r0 / ROWS_PER_CHUNK;
            if (needW) dwPart[chunk] = dw;
            if (needB) dbPart[chunk] = db;
        });
        return new Tensor[] {needX ? Tensor.freshGrad(dx, x.shape) : null, needW ? sumParts(dwPart, d, weight.shape) : null,
                needB ? sumParts(dbPart, d, bias.shape) : null};
    }

    /** The chunks' partial sums added in chunk order (the same bits however the threads took them). */
    private static Tensor sumParts(float[][] parts, int d, int[] shape) {
        float[] total = new float[d];
        for (float[] p : parts) if (p != null) VectorKernels.axpy(d, 1f, p, 0, total, 0);
        return Tensor.freshGrad(total, shape);
    }

    /**
     * Batch normalization over dim 1 of x [N, C, ...] as one node: y = (x − μ)·r·γ + β with
     * r = 1/√(σ² + ε), per channel. In training μ and σ² are the batch's (σ² biased; both are
     * written to {@code mean} and {@code var} for the running statistics); otherwise they are
     * read from {@code mean} and {@code var}. Sums are in double, per channel, so any split over
     * the threads gives the same bits. Only μ and r are kept for the backward, which is written
     * out: dγ = r·Σ g·(x − μ), dβ = Σ g, and dx = γ·r·(g − Σg/M − (x − μ)·r²·Σ g·(x − μ)/M) in
     * training (M values a channel), γ·r·g otherwise.
     */
    static Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, float eps, float[] mean, float[] var, boolean training) {
        if (x.shape.length < 2) throw new IllegalArgumentException("batch_norm: input must be [N, C, ...], got " + Shapes.str(x.shape));
        int n = x.shape[0], c = x.shape[1], run = x.data.length / Math.max(1, n * c);
        if (mean.length != c || var.length != c || (weight != null && weight.data.length != c) || (bias != null && bias.data.length != c)) {
            throw new IllegalArgumentException("batch_norm: statistics, weight and bias must have the input's " + c + " channels");
        }
        long count = (long) n * run;
        if (training && count <= 1) throw new IllegalArgumentException("batch_norm: training needs more than one value per channel, got " + Shapes.str(x.shape));
        float[] xd = x.data, out = new float[xd.length], mu = new float[c], rstd = new float[c];
        float[] w = weight == null ? null : weight.data, b = bias == null ? null : bias.data;
        int stride = c * run;
        Parallel.forRange(c, CHANNELS_PER_CHUNK, (c0, c1) -> {
            if (run == 1) {
                BatchNormRows.forward(xd, n, c, c0, c1, training, count, eps, mean, var, w, b, out, mu, rstd);
                return;
            }
            for (int ch = c0; ch < c1; ch++) {
                float m, v;
                if (training) {
                    double s = 0;
                    for (int i = 0, o = ch * run; i < n; i++, o += stride) s += run == 1 ? xd[o] : VectorKernels.sum(run, xd, o);
                    m = (float) (s / count);
                    double q = 0;
                    for (int i = 0, o = ch * run; i < n; i++, o += stride) q += LayerKernels.sumSquaredDeviations(run, xd, o, m);
                    v = (float) (q / count);
                    mean[ch] = m;
                    var[ch] = v;
                } else {
                    m = mean[ch];
                    v = var[ch];
                }
                float r = (float) (1.0 / Math.sqrt((double) v + eps));
                float scale = w == null ? r : r * w[ch], shift = (b == null ? 0f : b[ch]) - m * scale;
                for (int i = 0, o = ch * run; i < n; i++, o += stride) {
                    if (run == 1) out[o] = xd[o] * scale + shift;
                    else VectorKernels.affine(run, scale, shift, xd, o, out, o);
                }
                mu[ch] = m;
                rstd[ch] = r;
            }
        });
        return Tensor.result(out, x.shape.clone(), "batch_norm", g -> {
            boolean needX = x.requiresGrad, needW = weight != null && weight.requiresGrad, needB = bias != null && bias.requiresGrad;
            // each channel's sums are taken before its dx is written, so dx may be g's own array
            float[] gd = g.data, dx = needX ? GradFn.gradInto(g) : null;
            float[] dw = needW ? new float[c] : null, db = needB ? new float[c] : null;
            Parallel.forRange(c, CHANNELS_PER_CHUNK, (c0, c1) -> {
                if (run == 1) {
                    BatchNormRows.backward(gd, xd, n, c, c0, c1, training, count, w, mu, rstd, dx, dw, db);
                    return;
                }
                for (int ch = c0; ch < c1; ch++) {
                    float m = mu[ch], r = rstd[ch];
                    double sg = 0, sgx = 0;                 // Σ g and Σ g·x over the channel
                    for (int i = 0, o = ch * run; i < n; i++, o += stride) {
                        if (run == 1) {
                            sg += gd[o];
                            sgx += (double) gd[o] * xd[o];
                        } else {
                            sg += VectorKernels.sum(run, gd, o);
                            sgx += VectorKernels.dot(run, gd, o, xd, o);
                        }
                    }
                    double sgc = sgx - m * sg;               // Σ g·(x − μ)
                    if (needW) dw[ch] = (float) (r * sgc);
                    if (needB) db[ch] = (float) sg;
                    if (!needX) continue;
                    float a = w == null ? r : r * w[ch];     // dx = a·g − k·x + (k·μ − a·Σg/M) in training
                    float k = training ? (float) (a * (double) r * r * sgc / count) : 0f;
                    float shift = training ? (float) (k * (double) m - a * sg / count) : 0f;
                    for (int i = 0, o = ch * run; i < n; i++, o += stride) {
                        if (run == 1) dx[o] = a * gd[o] - k * xd[o] + shift;
                        else LayerKernels.batchNormBackward(run, a, gd, o, k, xd, o, shift, dx, o);
                    }
                }
            });
            return new Tensor[] {needX ? Tensor.freshGrad(dx, x.shape) : null, needW ? Tensor.freshGrad(dw, weight.shape) : null,
                    needB ? Tensor.freshGrad(db, bias.shape) : null};
        }, x, weight, bias);
    }
}
