package dev.glassbox.tensor;

/**
 * {@link NormOps#batchNorm} for inputs [N, C] (BatchNorm1d after a linear layer: one value a
 * channel a sample), sample by sample along a chunk of channels [c0, c1). Channel by channel, each
 * channel's N values lie C apart: the DCGAN generator's [64, 6272] was read down its columns, a
 * cache line for every value, about 5% of a W9 step. The sums and every value are those of the
 * channel-by-channel loops, bit for bit: each channel's terms are added in the same order.
 */
final class BatchNormRows {
    private BatchNormRows() {}

    static void forward(float[] xd, int n, int c, int c0, int c1, boolean training, long count, float eps, float[] mean, float[] var,
                        float[] w, float[] b, float[] out, float[] mu, float[] rstd) {
        int len = c1 - c0;
        float[] m = new float[len], v = new float[len], scale = new float[len], shift = new float[len];
        if (training) {
            double[] s = new double[len];
            for (int i = 0; i < n; i++) {
                for (int j = 0, o = i * c + c0; j < len; j++) s[j] += xd[o + j];
            }
            for (int j = 0; j < len; j++) m[j] = (float) (s[j] / count);
            java.util.Arrays.fill(s, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0, o = i * c + c0; j < len; j++) {
                    float d = xd[o + j] - m[j];
                    s[j] += d * d;
                }
            }
            for (int j = 0; j < len; j++) {
                v[j] = (float) (s[j] / count);
                mean[c0 + j] = m[j];
                var[c0 + j] = v[j];
            }
        } else {
            System.arraycopy(mean, c0, m, 0, len);
            System.arraycopy(var, c0, v, 0, len);
        }
        for (int j = 0; j < len; j++) {
            float r = (float) (1.0 / Math.sqrt((double) v[j] + eps));
            scale[j] = w == null ? r : r * w[c0 + j];
            shift[j] = (b == null ? 0f : b[c0 + j]) - m[j] * scale[j];
            mu[c0 + j] = m[j];
            rstd[c0 + j] = r;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0, o = i * c + c0; j < len; j++) out[o + j] = xd[o + j] * scale[j] + shift[j];
        }
    }

    /** The backward of {@link #forward}: every sum of the chunk is taken before its dx is written (dx may be g's array). */
    static void backward(float[] gd, float[] xd, int n, int c, int c0, int c1, boolean training, long count, float[] w,
                         float[] mu, float[] rstd, float[] dx, float[] dw, float[] db) {
        int len = c1 - c0;
        double[] sg = new double[len], sgx = new double[len];
        for (int i = 0; i < n; i++) {
            for (int j = 0, o = i * c + c0; j < len; j++) {
                float g = gd[o + j];
                sg[j] += g;
                sgx[j] += (double) g * xd[o + j];
            }
        }
        float[] a = new float[len], k = new float[len], shift = new float[len];
        for (int j = 0; j < len; j++) {
            int ch = c0 + j;
            float m = mu[ch], r = rstd[ch];
            double sgc = sgx[j] - m * sg[j];                // Σ g·(x − μ)
            if (dw != null) dw[ch] = (float) (r * sgc);
            if (db != null) db[ch] = (float) sg[j];
            a[j] = w == null ? r : r * w[ch];               // dx = a·g − k·x + (k·μ − a·Σg/M) in training
            k[j] = training ? (float) (a[j] * (double) r * r * sgc / count) : 0f;
            shift[j] = training ? (float) (k[j] * (double) m - a[j] * sg[j] / count) : 0f;
        }
        if (dx == null) return;
        for (int i = 0; i < n; i++) {
            for (int j = 0, o = i * c + c0; j < len; j++) dx[o + j] = a[j] * gd[o + j] - k[j] * xd[o + j] + shift[j];
        }
    }
}
