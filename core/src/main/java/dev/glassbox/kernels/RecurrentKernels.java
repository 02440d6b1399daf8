package dev.glassbox.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The elementwise part of an LSTM step, for a range of the batch's rows, in a few vector passes
 * per row (each row's 4H gate values stay in L1): forward, the gate activations, the new cell
 * and the new hidden state; backward, the gradients of the four gates' pre-activations and of
 * the previous cell, from values the forward kept, with no transcendental function. Gate order
 * i, f, g, o as PyTorch's. {@link #lstmForwardScalar} and {@link #lstmBackwardScalar} are the
 * plain twins.
 *
 * <p>Layout: row r of the gates at {@code gOff + r·4H}; row r of every H-sized array (c, tanh c,
 * h, their gradients) at its offset + r·H.
 */
public final class RecurrentKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    private RecurrentKernels() {}

    /**
     * Rows [r0, r1): gates (pre-activations in, activations out, in place); c = f·c_prev + i·g;
     * tc = tanh c; h = o·tc.
     */
    public static void lstmForward(int r0, int r1, int hs, float[] gates, int gOff, float[] cPrev, int cpOff,
                                   float[] c, int cOff, float[] tc, int tcOff, float[] h, int hOff) {
        if (!Simd.ENABLED) {
            lstmForwardScalar(r0, r1, hs, gates, gOff, cPrev, cpOff, c, cOff, tc, tcOff, h, hOff);
            return;
        }
        int bound = F.loopBound(hs);
        for (int r = r0; r < r1; r++) {
            int gi = gOff + r * 4 * hs, gf = gi + hs, gg = gf + hs, go = gg + hs;
            int row = r * hs;
            VectorKernels.unary(UnaryOp.SIGMOID, 2 * hs, gates, gi, gates, gi);   // i and f
            VectorKernels.unary(UnaryOp.TANH, hs, gates, gg, gates, gg);
            VectorKernels.unary(UnaryOp.SIGMOID, hs, gates, go, gates, go);
            int j = 0;
            for (; j < bound; j += L) {
                FloatVector i = FloatVector.fromArray(F, gates, gi + j), f = FloatVector.fromArray(F, gates, gf + j);
                FloatVector g = FloatVector.fromArray(F, gates, gg + j), cp = FloatVector.fromArray(F, cPrev, cpOff + row + j);
                f.fma(cp, i.mul(g)).intoArray(c, cOff + row + j);
            }
            for (; j < hs; j++) c[cOff + row + j] = gates[gf + j] * cPrev[cpOff + row + j] + gates[gi + j] * gates[gg + j];
            VectorKernels.unary(UnaryOp.TANH, hs, c, cOff + row, tc, tcOff + row);
            j = 0;
            for (; j < bound; j += L) {
                FloatVector.fromArray(F, gates, go + j).mul(FloatVector.fromArray(F, tc, tcOff + row + j)).intoArray(h, hOff + row + j);
            }
            for (; j < hs; j++) h[hOff + row + j] = gates[go + j] * tc[tcOff + row + j];
        }
    }

    /** The scalar twin of {@link #lstmForward}. */
    public static void lstmForwardScalar(int r0, int r1, int hs, float[] gates, int gOff, float[] cPrev, int cpOff,
                                         float[] c, int cOff, float[] tc, int tcOff, float[] h, int hOff) {
        for (int r = r0; r < r1; r++) {
            int gi = gOff + r * 4 * hs, gf = gi + hs, gg = gf + hs, go = gg + hs;
            int row = r * hs;
            for (int j = 0; j < hs; j++) {
                float i = UnaryOp.sigmoid(gates[gi + j]), f = UnaryOp.sigmoid(gates[gf + j]);
                float g = (float) Math.tanh(gates[gg + j]), o = UnaryOp.sigmoid(gates[go + j]);
                gates[gi + j] = i;
                gates[gf + j] = f;
                gates[gg + j] = g;
                gates[go + j] = o;
                float cj = f * cPrev[cpOff + row + j] + i * g;
                float t = (float) Math.tanh(cj);
                c[cOff + row + j] = cj;
                tc[tcOff + row + j] = t;
                h[hOff + row + j] = o * t;
            }
        }
    }

    /**
     * Rows [r0, r1), backward through one step. {@code acts} are the step's gate activations and
     * {@code tc} its tanh c; dh = dy + dhNext is the gradient reaching h; {@code dc} holds the
     * gradient reaching c from later steps and is replaced by the gradient reaching c_prev.
     * Writes the gradients of the gates' pre-activations to {@code dg}.
     */
    public static void lstmBackward(int r0, int r1, int hs, float[] acts, int gOff, float[] tc, int tcOff, float[] cPrev, int cpOff,
                                    float[] dy, int dyOff, float[] dhNext, float[] dc, float[] dg) {
        if (!Simd.ENABLED) {
            lstmBackwardScalar(r0, r1, hs, acts, gOff, tc, tcOff, cPrev, cpOff, dy, dyOff, dhNext, dc, dg);
            return;
        }
        int bound = F.loopBound(hs);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int r = r0; r < r1; r++) {
            int gi = gOff + r * 4 * hs, gf = gi + hs, gg = gf + hs, go = gg + hs;
            int row = r * hs;
            int j = 0;
            for (; j < bound; j += L) {
                int k = row + j;
                FloatVector i = FloatVector.fromArray(F, acts, gi + j), f = FloatVector.fromArray(F, acts, gf + j);
                FloatVector g = FloatVector.fromArray(F, acts, gg + j), o = FloatVector.fromArray(F, acts, go + j);
                FloatVector t = FloatVector.fromArray(F, tc, tcOff + k);
                FloatVector dh = FloatVector.fromArray(F, dy, dyOff + k).add(FloatVector.fromArray(F, dhNext, k));
                FloatVector dck = dh.mul(o).mul(one.sub(t.mul(t))).add(FloatVector.fromArray(F, dc, k));
                dck.mul(g).mul(i).mul(one.sub(i)).intoArray(dg, gi + j);
                dck.mul(FloatVector.fromArray(F, cPrev, cpOff + k)).mul(f).mul(one.sub(f)).intoArray(dg, gf + j);
                dck.mul(i).mul(one.sub(g.mul(g))).intoArray(dg, gg + j);
                dh.mul(t).mul(o).mul(one.sub(o)).intoArray(dg, go + j);
                dck.mul(f).intoArray(dc, k);
            }
            for (; j < hs; j++) backwardOne(j, row, gi, gf, gg, go, acts, tc, tcOff, cPrev, cpOff, dy, dyOff, dhNext, dc, dg);
        }
    }

    /** The scalar twin of {@link #lstmBackward}. */
    public static void lstmBackwardScalar(int r0, int r1, int hs, float[] acts, int gOff, float[] tc, int tcOff, float[] cPrev, int cpOff,
                                          float[] dy, int dyOff, float[] dhNext, float[] dc, float[] dg) {
        for (int r = r0; r < r1; r++) {
            int gi = gOff + r * 4 * hs, gf = gi + hs, gg = gf + hs, go = gg + hs;
            for (int j = 0; j < hs; j++) backwardOne(j, r * hs, gi, gf, gg, go, acts, tc, tcOff, cPrev, cpOff, dy, dyOff, dhNext, dc, dg);
        }
    }

    private static void backwardOne(int j, int row, int gi, int gf, int gg, int go, float[] acts, float[] tc, int tcOff,
                                    float[] cPrev, int cpOff, float[] dy, int dyOff, float[] dhNext, float[] dc, float[] dg) {
        int k = row + j;
        float i = acts[gi + j], f = acts[gf + j], g = acts[gg + j], o = acts[go + j], t = tc[tcOff + k];
        float dh = dy[dyOff + k] + dhNext[k];
        float dck = dh * o * (1f - t * t) + dc[k];
        dg[gi + j] = dck * g * i * (1f - i);                       // through i = σ
        dg[gf + j] = dck * cPrev[cpOff + k] * f * (1f - f);        // through f = σ
        dg[gg + j] = dck * i * (1f - g * g);                       // through g = tanh
        dg[go + j] = dh * t * o * (1f - o);                        // through o = σ
        dc[k] = dck * f;                                           // to c_prev
    }
}
