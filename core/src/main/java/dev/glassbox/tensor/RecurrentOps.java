package dev.glassbox.tensor;

import dev.glassbox.kernels.Parallel;
import dev.glassbox.kernels.RecurrentKernels;
import dev.glassbox.kernels.Sgemm;
import dev.glassbox.kernels.UnaryOp;
import dev.glassbox.kernels.VectorKernels;

/**
 * One LSTM layer over a whole sequence as a single autograd node, with backpropagation
 * through time written out: per step one GEMM for h·W_hhᵀ and the gate arithmetic in place on
 * step-sized buffers, instead of a dozen graph nodes per step whose slice gradients are the
 * size of the whole sequence.
 */
final class RecurrentOps {
    /** Rows of the batch per chunk when the threads share a step's gate arithmetic. */
    private static final int ROWS = 8;

    private RecurrentOps() {}

    /**
     * proj [T, N, 4H] (the input projections x·W_ihᵀ + b_ih, gates i, f, g, o), h0 and c0
     * [N, H], whh [4H, H], bhh [4H] or null → [T + 1, N, H]: h at every step, then the final c.
     */
    static Tensor lstmLayer(Tensor proj, Tensor h0, Tensor c0, Tensor whh, Tensor bhh) {
        int steps = proj.shape[0], n = proj.shape[1], g4 = proj.shape[2], h = g4 / 4;
        if (g4 % 4 != 0 || whh.shape[0] != g4 || whh.shape[1] != h || h0.shape[0] != n || h0.shape[1] != h
                || c0.shape[0] != n || c0.shape[1] != h || (bhh != null && bhh.shape[0] != g4)) {
            throw new IllegalArgumentException("lstm: inconsistent shapes: proj " + Shapes.str(proj.shape) + ", h0 " + Shapes.str(h0.shape)
                    + ", c0 " + Shapes.str(c0.shape) + ", weight_hh " + Shapes.str(whh.shape));
        }
        int nh = n * h, ng = n * g4;
        float[] acts = new float[steps * ng];     // i, f, g, o after their activations, every step
        float[] cs = new float[steps * nh];       // c at every step
        float[] out = new float[(steps + 1) * nh];
        float[] hPrev = h0.data, cPrev = c0.data;
        int hPrevOff = 0, cPrevOff = 0;
        float[] tcs = new float[steps * nh];      // tanh c at every step, for the backward pass
        Sgemm.PackedB whhT = Sgemm.pack(true, h, g4, whh.data, 0, h);   // W_hhᵀ, packed once for every step
        System.arraycopy(proj.data, 0, acts, 0, steps * ng);
        if (bhh != null) for (int row = 0; row < steps * n; row++) VectorKernels.axpy(g4, 1f, bhh.data, 0, acts, row * g4);
        for (int t = 0; t < steps; t++) {
            int gOff = t * ng, cOff = t * nh, hOff = t * nh;
            // G += h_{t-1}·W_hhᵀ : [N, 4H]
            Sgemm.sgemm(false, n, 1f, hPrev, hPrevOff, h, whhT, 1f, acts, gOff, g4);
            float[] cp = cPrev;
            int cpOff = cPrevOff;
            // the gates, c and h of each row of the batch: rows are independent, so the threads share them
            Parallel.forRange(n, ROWS, (r0, r1) ->
                    RecurrentKernels.lstmForward(r0, r1, h, acts, gOff, cp, cpOff, cs, cOff, tcs, cOff, out, hOff));
            hPrev = out;
            hPrevOff = hOff;
            cPrev = cs;
            cPrevOff = cOff;
        }
        System.arraycopy(cs, (steps - 1) * nh, out, steps * nh, nh);
        int[] outShape = {steps + 1, n, h};
        return Tensor.result(out, outShape, "lstm", gy -> {
            float[] dproj = new float[steps * ng];
            float[] dwhh = whh.requiresGrad ? new float[g4 * h] : null;
            float[] dhNext = new float[nh], dc = new float[nh];
            System.arraycopy(gy.data, steps * nh, dc, 0, nh);   // dL/dc_T from the final c
            Sgemm.PackedB whhP = Sgemm.pack(false, g4, h, whh.data, 0, h);
            for (int t = steps - 1; t >= 0; t--) {
                int gOff = t * ng, cOff = t * nh;
                float[] cp = t == 0 ? c0.data : cs;
                int cpOff = t == 0 ? 0 : (t - 1) * nh;
                // rows are independent here too: the threads share them
                Parallel.forRange(n, ROWS, (r0, r1) ->
                        RecurrentKernels.lstmBackward(r0, r1, h, acts, gOff, tcs, cOff, cp, cpOff, gy.data, cOff, dhNext, dc, dproj));
                // dh_{t−1} = dG·W_hh : [N, H]
                Sgemm.sgemm(false, n, 1f, dproj, gOff, g4, whhP, 0f, dhNext, 0, h);
            }
            if (dwhh != null) {
                // dW_hh = Σ_t dG_tᵀ·h_{t−1}, all steps in one product: [4H, T·N]·[T·N, H]
                float[] hPrevAll = new float[steps * nh];
                System.arraycopy(h0.data, 0, hPrevAll, 0, nh);
                System.arraycopy(out, 0, hPrevAll, nh, (steps - 1) * nh);
                Sgemm.sgemm(true, false, g4, h, steps * n, 1f, dproj, 0, g4, hPrevAll, 0, h, 0f, dwhh, 0, h);
            }
            Tensor gProj = proj.requiresGrad ? new Tensor(dproj, proj.shape) : null;
            Tensor gh0 = h0.requiresGrad ? new Tensor(dhNext, h0.shape) : null;
            Tensor gc0 = c0.requiresGrad ? new Tensor(dc, c0.shape) : null;
            Tensor gw = dwhh == null ? null : new Tensor(dwhh, whh.shape);
            Tensor gb = null;
            if (bhh != null && bhh.requiresGrad) {
                float[] db = new float[g4];
                for (int row = 0; row < steps * n; row++) VectorKernels.axpy(g4, 1f, dproj, row * g4, db, 0);
                gb = new Tensor(db, bhh.shape);
            }
            return new Tensor[] {gProj, gh0, gc0, gw, gb};
        }, proj, h0, c0, whh, bhh);
    }

    /**
     * proj [T, N, 3H] (x·W_ihᵀ + b_ih, gates r, z, n), h0 [N, H], whh [3H, H], bhh [3H] or null
     * → [T, N, H], the h of every step (the last is the final state). r = σ(x_r + h·W_hrᵀ + b_hr),
     * z = σ(x_z + h·W_hzᵀ + b_hz), n = tanh(x_n + r·(h·W_hnᵀ + b_hn)), h' = (1 − z)·n + z·h.
     */
    static Tensor gruLayer(Tensor proj, Tensor h0, Tensor whh, Tensor bhh) {
        int steps = proj.shape[0], n = proj.shape[1], g3 = proj.shape[2], h = g3 / 3;
        if (g3 % 3 != 0 || whh.shape[0] != g3 || whh.shape[1] != h || h0.shape[0] != n || h0.shape[1] != h
                || (bhh != null && bhh.shape[0] != g3)) {
            throw new IllegalArgumentException("gru: inconsistent shapes: proj " + Shapes.str(proj.shape) + ", h0 " + Shapes.str(h0.shape)
                    + ", weight_hh " + Shapes.str(whh.shape));
        }
        int nh = n * h, ng = n * g3;
        float[] hh = new float[steps * ng];       // h·W_hhᵀ + b_hh, every step (its n part is needed backward)
        float[] gates = new float[steps * ng];    // r, z, n after their activations
        float[] out = new float[steps * nh];
        float[] hPrev = h0.data;
        int hPrevOff = 0;
        Sgemm.PackedB whhT = Sgemm.pack(true, h, g3, whh.data, 0, h);
        for (int t = 0; t < steps; t++) {
            int gOff = t * ng;
            for (int r = 0; r < n && bhh != null; r++) System.arraycopy(bhh.data, 0, hh, gOff + r * g3, g3);
            Sgemm.sgemm(false, n, 1f, hPrev, hPrevOff, h, whhT, bhh != null ? 1f : 0f, hh, gOff, g3);
            for (int r = 0; r < n; r++) {
                int base = gOff + r * g3;
                for (int j = 0; j < 2 * h; j++) gates[base + j] = proj.data[base + j] + hh[base + j];
            }
            VectorKernels.unary(UnaryOp.SIGMOID, ng, gates, gOff, gates, gOff);   // r and z (the n part is overwritten below)
            for (int r = 0; r < n; r++) {
                int base = gOff + r * g3;
                for (int j = 0; j < h; j++) gates[base + 2 * h + j] = proj.data[base + 2 * h + j] + gates[base + j] * hh[base + 2 * h + j];
            }
            for (int r = 0; r < n; r++) VectorKernels.unary(UnaryOp.TANH, h, gates, gOff + r * g3 + 2 * h, gates, gOff + r * g3 + 2 * h);
            int hOff = t * nh;
            for (int r = 0; r < n; r++) {
                int base = gOff + r * g3;
                for (int j = 0; j < h; j++) {
                    float z = gates[base + h + j], nn = gates[base + 2 * h + j];
                    out[hOff + r * h + j] = nn + z * (hPrev[hPrevOff + r * h + j] - nn);
                }
            }
            hPrev = out;
            hPrevOff = hOff;
        }
        return Tensor.result(out, new int[] {steps, n, h}, "gru", gy -> {
            float[] dproj = new float[steps * ng], dhh = new float[steps * ng];   // dhh: the gradient of every step's h·W_hhᵀ + b_hh
            float[] dwhh = whh.requiresGrad ? new float[g3 * h] : null, db = bhh != null && bhh.requiresGrad ? new float[g3] : null;
            float[] dhNext = new float[nh], dh = new float[nh];
            Sgemm.PackedB whhP = Sgemm.pack(false, g3, h, whh.data, 0, h);
            for (int t = steps - 1; t >= 0; t--) {
                int gOff = t * ng;
                float[] hp = t == 0 ? h0.data : out;
                int hpOff = t == 0 ? 0 : (t - 1) * nh;
                for (int k = 0; k < nh; k++) dh[k] = gy.data[t * nh + k] + dhNext[k];
                for (int r = 0; r < n; r++) {
                    int base = gOff + r * g3, hb = base;
                    for (int j = 0; j < h; j++) {
                        int k = r * h + j;
                        float rr = gates[base + j], z = gates[base + h + j], nn = gates[base + 2 * h + j];
                        float dn = dh[k] * (1f - z), dz = dh[k] * (hp[hpOff + k] - nn);
                        float dan = dn * (1f - nn * nn);
                        float dar = dan * hh[base + 2 * h + j] * rr * (1f - rr), daz = dz * z * (1f - z);
                        dproj[base + j] = dar;
                        dproj[base + h + j] = daz;
                        dproj[base + 2 * h + j] = dan;
                        dhh[hb + j] = dar;
                        dhh[hb + h + j] = daz;
                        dhh[hb + 2 * h + j] = dan * rr;
                        dhNext[k] = dh[k] * z;                     // the direct path to h_{t−1}
                    }
                }
                Sgemm.sgemm(false, n, 1f, dhh, gOff, g3, whhP, 1f, dhNext, 0, h);   // + dHh·W_hh
            }
            if (dwhh != null) {
                // dW_hh = Σ_t dHh_tᵀ·h_{t−1}, all steps in one product: [3H, T·N]·[T·N, H]
                float[] hPrevAll = new float[steps * nh];
                System.arraycopy(h0.data, 0, hPrevAll, 0, nh);
                System.arraycopy(out, 0, hPrevAll, nh, (steps - 1) * nh);
                Sgemm.sgemm(true, false, g3, h, steps * n, 1f, dhh, 0, g3, hPrevAll, 0, h, 0f, dwhh, 0, h);
            }
            if (db != null) for (int row = 0; row < steps * n; row++) VectorKernels.axpy(g3, 1f, dhh, row * g3, db, 0);
            return new Tensor[] {proj.requiresGrad ? new Tensor(dproj, proj.shape) : null, h0.requiresGrad ? new Tensor(dhNext, h0.shape) : null,
                    dwhh == null ? null : new Tensor(dwhh, whh.shape), db == null ? null : new Tensor(db, bhh.shape)};
        }, proj, h0, whh, bhh);
    }

    /**
     * proj [T, N, H] (x·W_ihᵀ + b_ih), h0 [N, H], whh [H, H], bhh [H] or null → [T, N, H]:
     * h_t = act(proj_t + h_{t−1}·W_hhᵀ + b_hh), act tanh or ReLU.
     */
    static Tensor rnnLayer(Tensor proj, Tensor h0, Tensor whh, Tensor bhh, boolean relu) {
        int steps = proj.shape[0], n = proj.shape[1], h = proj.shape[2];
        if (whh.shape[0] != h || whh.shape[1] != h || h0.shape[0] != n || h0.shape[1] != h || (bhh != null && bhh.shape[0] != h)) {
            throw new IllegalArgumentException("rnn: inconsistent shapes: proj " + Shapes.str(proj.shape) + ", h0 " + Shapes.str(h0.shape)
                    + ", weight_hh " + Shapes.str(whh.shape));
        }
        int nh = n * h;
        float[] out = new float[steps * nh];
        System.arraycopy(proj.data, 0, out, 0, steps * nh);
        if (bhh != null) for (int row = 0; row < steps * n; row++) VectorKernels.axpy(h, 1f, bhh.data, 0, out, row * h);
        Sgemm.PackedB whhT = Sgemm.pack(true, h, h, whh.data, 0, h);
        for (int t = 0; t < steps; t++) {
            int off = t * nh;
            Sgemm.sgemm(false, n, 1f, t == 0 ? h0.data : out, t == 0 ? 0 : off - nh, h, whhT, 1f, out, off, h);
            VectorKernels.unary(relu ? UnaryOp.RELU : UnaryOp.TANH, nh, out, off, out, off);
        }
        return Tensor.result(out, new int[] {steps, n, h}, relu ? "rnn_relu" : "rnn_tanh", gy -> {
            float[] dpre = new float[steps * nh];   // gradient of each step's pre-activation
            float[] dhNext = new float[nh];
            Sgemm.PackedB whhP = Sgemm.pack(false, h, h, whh.data, 0, h);
            for (int t = steps - 1; t >= 0; t--) {
                int off = t * nh;
                for (int k = 0; k < nh; k++) {
                    float y = out[off + k], dh = gy.data[off + k] + dhNext[k];
                    dpre[off + k] = relu ? (y > 0f ? dh : 0f) : dh * (1f - y * y);
                }
                Sgemm.sgemm(false, n, 1f, dpre, off, h, whhP, 0f, dhNext, 0, h);   // dh_{t−1} = dpre·W_hh
            }
            float[] dwhh = null;
            if (whh.requiresGrad) {
                // dW_hh = Σ_t dpre_tᵀ·h_{t−1}: [H, T·N]·[T·N, H], h_{−1} = h0
                float[] hPrevAll = new float[steps * nh];
                System.arraycopy(h0.data, 0, hPrevAll, 0, nh);
                System.arraycopy(out, 0, hPrevAll, nh, (steps - 1) * nh);
                dwhh = new float[h * h];
                Sgemm.sgemm(true, false, h, h, steps * n, 1f, dpre, 0, h, hPrevAll, 0, h, 0f, dwhh, 0, h);
            }
            float[] db = null;
            if (bhh != null && bhh.requiresGrad) {
                db = new float[h];
                for (int row = 0; row < steps * n; row++) VectorKernels.axpy(h, 1f, dpre, row * h, db, 0);
            }
            return new Tensor[] {proj.requiresGrad ? new Tensor(dpre, proj.shape) : null, h0.requiresGrad ? new Tensor(dhNext, h0.shape) : null,
                    dwhh == null ? null : new Tensor(dwhh, whh.shape), db == null ? null : new Tensor(db, bhh.shape)};
        }, proj, h0, whh, bhh);
    }
}
