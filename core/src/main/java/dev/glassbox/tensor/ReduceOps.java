package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.VectorKernels;

import java.util.Arrays;

/**
 * Sums and maxima over dims. A tensor reduced over one dim is seen as [outer, d, inner];
 * several dims are reduced one after another.
 */
final class ReduceOps {
    private ReduceOps() {}

    /** Σ x; dL/dx = g everywhere. */
    static Tensor sumAll(Tensor x) {
        float s = VectorKernels.sum(x.data.length, x.data, 0);
        return Tensor.result(new float[] {s}, new int[0], "sum", g -> {
            float[] gx = new float[x.data.length];
            Arrays.fill(gx, g.data[0]);
            return new Tensor[] {new Tensor(gx, x.shape)};
        }, x);
    }

    /** Σ over {@code dims}; dL/dx = g broadcast back over the summed dims. */
    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        int rank = x.shape.length;
        boolean[] reduce = new boolean[Math.max(rank, 1)];
        for (int d : dims) {
            int dd = Shapes.dim("sum", d, rank);
            if (reduce[dd]) throw new IllegalArgumentException("sum: dim " + d + " appears more than once in " + Arrays.toString(dims));
            reduce[dd] = true;
        }
        if (rank == 0) return keepdim ? x.cloneTensor() : x.cloneTensor();
        int[] kept = x.shape.clone();
        float[] cur = x.data;
        for (int d = rank - 1; d >= 0; d--) {
            if (!reduce[d]) continue;
            cur = sumDim(cur, kept, d);
            kept[d] = 1;
        }
        int[] outShape = keepdim ? kept : dropReduced(kept, reduce);
        int[] keptShape = kept;
        return Tensor.result(cur, outShape, "sum", g -> new Tensor[] {
                new Tensor(Broadcast.expand(g.data, keptShape, x.shape), x.shape)}, x);
    }

    private static int[] dropReduced(int[] kept, boolean[] reduce) {
        int m = 0;
        for (int d = 0; d < kept.length; d++) if (!reduce[d]) m++;
        int[] out = new int[m];
        m = 0;
        for (int d = 0; d < kept.length; d++) if (!reduce[d]) out[m++] = kept[d];
        return out;
    }

    /** Raw sum over dim d of data with {@code shape}: [outer, n, inner] → [outer, inner]. */
    static float[] sumDim(float[] x, int[] shape, int d) {
        int n = shape[d];
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= shape[i];
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        float[] out = new float[outer * inner];
        if (inner == 1) {
            for (int o = 0; o < outer; o++) out[o] = VectorKernels.sum(n, x, o * n);
        } else {
            for (int o = 0; o < outer; o++) {
                int ob = o * inner;
                for (int k = 0; k < n; k++) {
                    // short rows (a bias's gradient over a batch) without the parallel dispatch; the same sums in the same order
                    if (inner < (1 << 14)) VectorKernels.addInPlace(inner, x, (o * n + k) * inner, out, ob);
                    else VectorKernels.binary(BinaryOp.ADD, inner, out, ob, 1, x, (o * n + k) * inner, 1, out, ob);
                }
            }
        }
        return out;
    }

    /** Sums a gradient back to the shape of a broadcast input (no graph: used inside backward). */
    static Tensor sumTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) return g;
        int lead = g.shape.length - shape.length;
        int[] kept = g.shape.clone();
        float[] cur = g.data;
        for (int d = g.shape.length - 1; d >= 0; d--) {
            boolean reduce = d < lead || (shape[d - lead] == 1 && g.shape[d] != 1);
            if (!reduce) continue;
            cur = sumDim(cur, kept, d);
            kept[d] = 1;
        }
        return new Tensor(cur, shape.clone());
    }

    /** Maximum along dim; dL/dx = g at the first maximal element of each slice, 0 elsewhere. */
    static Tensor max(Tensor x, int dim, boolean keepdim) {
        int rank = x.shape.length;
        int d = Shapes.dim("max", dim, rank);
        if (rank == 0) return x.cloneTensor();
        int n = x.shape[d];
        if (n == 0) throw new IllegalArgumentException("max: cannot reduce over dim " + dim + " of size 0 in shape " + Shapes.str(x.shape));
        int[] idx = argmaxRaw(x, d);
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) out[i] = x.data[idx[i]];
        int[] kept = x.shape.clone();
        kept[d] = 1;
        int[] outShape = keepdim ? kept : dropDim(x.shape, d);
        return Tensor.result(out, outShape, "max", g -> {
            float[] gx = new float[x.data.length];
            for (int i = 0; i < idx.length; i++) gx[idx[i]] += g.data[i];
            return new Tensor[] {new Tensor(gx, x.shape)};
        }, x);
    }

    static int[] dropDim(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return out;
    }

    /** Index along dim of the first largest element of each slice. */
    static int[] argmax(Tensor x, int dim) {
        int d = Shapes.dim("argmax", dim, x.shape.length);
        if (x.shape.length == 0) return new int[] {0};
        int[] flat = argmaxRaw(x, d);
        int n = x.shape[d], inner = 1;
        for (int i = d + 1; i < x.shape.length; i++) inner *= x.shape[i];
        int[] out = new int[flat.length];
        for (int i = 0; i < flat.length; i++) out[i] = (flat[i] / inner) % n;
        return out;
    }

    /** Flat positions in x of the first maximum along d (NaN counts as the maximum, as PyTorch). */
    private static int[] argmaxRaw(Tensor x, int d) {
        int n = x.shape[d];
        if (n == 0) throw new IllegalArgumentException("argmax: cannot reduce over a dim of size 0 in shape " + Shapes.str(x.shape));
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.shape[i];
        for (int i = d + 1; i < x.shape.length; i++) inner *= x.shape[i];
        int[] idx = new int[outer * inner];
        float[] v = x.data;
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = o * n * inner + in;
                float bv = v[best];
                for (int k = 1; k < n && !Float.isNaN(bv); k++) {
                    int p = (o * n + k) * inner + in;
                    if (v[p] > bv || Float.isNaN(v[p])) {
                        bv = v[p];
                        best = p;
                    }
                }
                idx[o * inner + in] = best;
            }
        }
        return idx;
    }
}
