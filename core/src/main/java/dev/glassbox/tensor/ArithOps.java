package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.VectorKernels;

import java.util.Locale;

/** Broadcasting arithmetic, comparisons and where: forward and backward side by side. */
final class ArithOps {
    private ArithOps() {}

    private static String name(BinaryOp op) { return op.name().toLowerCase(Locale.ROOT); }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        int[] outShape = Shapes.broadcast(name(op), a.shape, b.shape);
        float[] out = Broadcast.apply(op, a.data, a.shape, b.data, b.shape, outShape);
        return Tensor.result(out, outShape, name(op), g -> {
            Tensor ga = null, gb = null;
            switch (op) {
                // dL/da = g, dL/db = ±g, each summed back to its input's shape
                case ADD -> {
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g, a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g, b.shape);
                }
                case SUB -> {
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g, a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g.neg(), b.shape);
                }
                // dL/da = g·b, dL/db = g·a
                case MUL -> {
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g.mul(b), a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g.mul(a), b.shape);
                }
                // dL/da = g/b, dL/db = −g·a/b²
                case DIV -> {
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g.div(b), a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g.mul(a).div(b.mul(b)).neg(), b.shape);
                }
                // the gradient goes to the winner; ties split it evenly (as PyTorch)
                case MAX, MIN -> {
                    Tensor wins = op == BinaryOp.MAX ? a.gt(b) : a.lt(b);
                    Tensor maskA = wins.add(a.eq(b).mul(0.5f));
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g.mul(maskA), a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g.mul(maskA.rsub(1f)), b.shape);
                }
                // d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·ln a
                case POW -> {
                    if (a.requiresGrad) ga = ReduceOps.sumTo(g.mul(b).mul(a.pow(b.sub(1f))), a.shape);
                    if (b.requiresGrad) gb = ReduceOps.sumTo(g.mul(a.pow(b)).mul(a.log()), b.shape);
                }
                default -> throw new AssertionError(op);
            }
            return new Tensor[] {ga, gb};
        }, a, b);
    }

    /** Comparisons give 0/1 tensors and no gradient. */
    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        int[] outShape = Shapes.broadcast(name(op), a.shape, b.shape);
        return new Tensor(Broadcast.apply(op, a.data, a.shape, b.data, b.shape, outShape), outShape);
    }

    /** x·alpha + beta; dL/dx = g·alpha. */
    static Tensor affine(Tensor x, float alpha, float beta, String name) {
        float[] out = new float[x.data.length];
        VectorKernels.affine(out.length, alpha, beta, x.data, 0, out, 0);
        return Tensor.result(out, x.shape, name, g -> {
            float[] gx = GradFn.gradInto(g);
            VectorKernels.affine(gx.length, alpha, 0f, g.data, 0, gx, 0);
            return new Tensor[] {Tensor.freshGrad(gx, x.shape)};
        }, x);
    }

    /** x^e; dL/dx = g·e·x^(e−1). */
    static Tensor powScalar(Tensor x, float e) {
        float[] out = new float[x.data.length];
        if (e == 2f) {
            VectorKernels.binary(BinaryOp.MUL, out.length, x.data, 0, 1, x.data, 0, 1, out, 0);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = (float) Math.pow(x.data[i], e);
        }
        return Tensor.result(out, x.shape, "pow", g -> new Tensor[] {
                e == 2f ? g.mul(x).mul(2f) : g.mul(powScalar(x, e - 1f)).mul(e)}, x);
    }

    /** cond ? a : b; dL/da = g where cond, dL/db = g elsewhere. */
    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int[] outShape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape, a.shape), b.shape);
        float[] c = Broadcast.expand(cond.data, cond.shape, outShape);
        float[] av = Broadcast.expand(a.data, a.shape, outShape);
        float[] bv = Broadcast.expand(b.data, b.shape, outShape);
        float[] out = new float[c.length];
        for (int i = 0; i < out.length; i++) out[i] = c[i] != 0f ? av[i] : bv[i];
        return Tensor.result(out, outShape, "where", g -> {
            float[] gd = g.data, ga = new float[gd.length], gb = new float[gd.length];
            for (int i = 0; i < gd.length; i++) {
                if (c[i] != 0f) ga[i] = gd[i];
                else gb[i] = gd[i];
            }
            return new Tensor[] {null,
                    a.requiresGrad ? ReduceOps.sumTo(new Tensor(ga, outShape), a.shape) : null,
                    b.requiresGrad ? ReduceOps.sumTo(new Tensor(gb, outShape), b.shape) : null};
        }, cond, a, b);
    }
}
