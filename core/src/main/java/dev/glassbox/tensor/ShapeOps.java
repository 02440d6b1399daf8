package dev.glassbox.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reshaping, permuting, slicing and joining: forward and backward side by side. */
final class ShapeOps {
    private ShapeOps() {}

    /** A view with another shape; dL/dx = g seen with x's shape. */
    static Tensor reshape(Tensor x, int[] newShape, String op) {
        int[] s = Shapes.inferReshape(op, x.shape, newShape);
        return Tensor.result(x.data, s, op, g -> new Tensor[] {new Tensor(g.data, x.shape)}, x);
    }

    static Tensor flatten(Tensor x, int start, int end) {
        int r = x.shape.length;
        if (r == 0) return reshape(x, new int[] {1}, "flatten");
        int s = Shapes.dim("flatten", start, r), e = Shapes.dim("flatten", end, r);
        if (s > e) throw new IllegalArgumentException("flatten: start dim " + start + " comes after end dim " + end);
        int[] out = new int[r - (e - s)];
        int j = 0, merged = 1;
        for (int i = 0; i < r; i++) {
            if (i < s || i > e) out[j++] = x.shape[i];
            else {
                merged *= x.shape[i];
                if (i == e) out[j++] = merged;
            }
        }
        return reshape(x, out, "flatten");
    }

    static Tensor squeeze(Tensor x, int dim) {
        int d = Shapes.dim("squeeze", dim, x.shape.length);
        if (x.shape.length == 0 || x.shape[d] != 1) return x;
        return reshape(x, ReduceOps.dropDim(x.shape, d), "squeeze");
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int r = x.shape.length + 1;
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("unsqueeze: dim " + dim + " is out of range for a result of rank " + r);
        }
        int d = dim < 0 ? dim + r : dim;
        int[] s = new int[r];
        for (int i = 0, j = 0; i < r; i++) s[i] = i == d ? 1 : x.shape[j++];
        return reshape(x, s, "unsqueeze");
    }

    static Tensor transpose(Tensor x, int d0, int d1) {
        int r = x.shape.length;
        int a = Shapes.dim("transpose", d0, r), b = Shapes.dim("transpose", d1, r);
        if (r == 0 || a == b) return x;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    /** Reorders dims (a copy); dL/dx = g permuted back by the inverse order. */
    static Tensor permute(Tensor x, int[] dims) {
        int r = x.shape.length;
        if (dims.length != r) {
            throw new IllegalArgumentException("permute: " + dims.length + " dims given for a tensor of rank " + r
                    + " (shape " + Shapes.str(x.shape) + ")");
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = Shapes.dim("permute", dims[i], r);
            if (seen[perm[i]]) throw new IllegalArgumentException("permute: dim " + dims[i] + " repeats in " + Arrays.toString(dims));
            seen[perm[i]] = true;
        }
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        int[] outShape = new int[r];
        for (int i = 0; i < r; i++) outShape[i] = x.shape[perm[i]];
        float[] out = permuteData(x.data, x.shape, perm);
        return Tensor.result(out, outShape, "permute", g -> new Tensor[] {
                new Tensor(permuteData(g.data, outShape, inv), x.shape)}, x);
    }

    private static float[] permuteData(float[] x, int[] shape, int[] perm) {
        int r = shape.length;
        int n = x.length;
        float[] out = new float[n];
        if (n == 0) return out;
        int[] st = Shapes.strides(shape);
        int[] size = new int[r], step = new int[r];
        for (int i = 0; i < r; i++) {
            size[i] = shape[perm[i]];
            step[i] = st[perm[i]];
        }
        int[] idx = new int[r];
        int src = 0;
        int inner = size[r - 1], innerStep = step[r - 1];
        for (int o = 0; o < n; o += inner) {
            if (innerStep == 1) System.arraycopy(x, src, out, o, inner);
            else for (int j = 0, s = src; j < inner; j++, s += innerStep) out[o + j] = x[s];
            for (int d = r - 2; d >= 0; d--) {
                idx[d]++;
                src += step[d];
                if (idx[d] < size[d]) break;
                src -= step[d] * size[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Broadcast copy; dL/dx = g summed over the broadcast dims. */
    static Tensor expand(Tensor x, int[] newShape) {
        int r = newShape.length;
        if (r < x.shape.length) {
            throw new IllegalArgumentException("expand: cannot expand " + Shapes.str(x.shape) + " to fewer dims " + Shapes.str(newShape));
        }
        int[] target = newShape.clone();
        for (int i = 0; i < r; i++) {
            int d = i - (r - x.shape.length);
            if (target[i] == -1) {
                if (d < 0) throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim in " + Shapes.str(newShape));
                target[i] = x.shape[d];
            }
            if (d >= 0 && x.shape[d] != 1 && x.shape[d] != target[i]) {
                throw new IllegalArgumentException("expand: cannot expand " + Shapes.str(x.shape) + " to " + Shapes.str(newShape)
                        + ": size " + x.shape[d] + " at dim " + d + " is not 1 and differs from " + target[i]);
            }
        }
        if (Arrays.equals(target, x.shape)) return x;
        float[] out = Broadcast.expand(x.data, x.shape, target);
        return Tensor.result(out, target, "expand", g -> new Tensor[] {ReduceOps.sumTo(g, x.shape)}, x);
    }

    /** x[..., start:end, ...] along dim (a copy); dL/dx = g in that window, 0 elsewhere. */
    static Tensor slice(Tensor x, int dim, int start, int end) {
        int r = x.shape.length;
        int d = Shapes.dim("slice", dim, r);
        if (r == 0) throw new IllegalArgumentException("slice: cannot slice a 0-dimensional tensor");
        int n = x.shape[d];
        int s = start < 0 ? start + n : start, e = end < 0 ? end + n : end;
        s = Math.max(0, Math.min(s, n));
        e = Math.max(s, Math.min(e, n));
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.shape[i];
        for (int i = d + 1; i < r; i++) inner *= x.shape[i];
        int len = e - s, from = s;
        int[] outShape = x.shape.clone();
        outShape[d] = len;
        float[] out = new float[outer * len * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x.data, (o * n + from) * inner, out, o * len * inner, len * inner);
        }
        int fOuter = outer, fInner = inner;
        return Tensor.result(out, outShape, "slice", g -> {
            float[] gx = new float[x.data.length];
            for (int o = 0; o < fOuter; o++) {
                System.arraycopy(g.data, o * len * fInner, gx, (o * n + from) * fInner, len * fInner);
            }
            return new Tensor[] {new Tensor(gx, x.shape)};
        }, x);
    }

    static Tensor select(Tensor x, int dim, int index) {
        int d = Shapes.dim("select", dim, x.shape.length);
        int n = x.shape[d];
        if (index < -n || index >= n) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dim " + d + " of size " + n);
        }
        int i = index < 0 ? index + n : index;
        return slice(x, d, i, i + 1).squeeze(d);
    }

    /** Joins along dim; dL/dxᵢ = the slice of g that xᵢ filled. */
    static Tensor cat(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("cat: expects at least one tensor");
        Tensor first = ts.get(0);
        int r = first.shape.length;
        if (r == 0) throw new IllegalArgumentException("cat: 0-dimensional tensors cannot be joined; use stack");
        int d = Shapes.dim("cat", dim, r);
        int total = 0;
        for (int t = 0; t < ts.size(); t++) {
            int[] s = ts.get(t).shape;
            boolean ok = s.length == r;
            for (int i = 0; ok && i < r; i++) ok = i == d || s[i] == first.shape[i];
            if (!ok) {
                throw new IllegalArgumentException("cat: tensor " + t + " has shape " + Shapes.str(s) + ", tensor 0 has "
                        + Shapes.str(first.shape) + "; sizes must match except in dim " + d);
            }
            total += s[d];
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= first.shape[i];
        for (int i = d + 1; i < r; i++) inner *= first.shape[i];
        int[] outShape = first.shape.clone();
        outShape[d] = total;
        float[] out = new float[outer * total * inner];
        int at = 0;
        int[] starts = new int[ts.size()];
        for (int t = 0; t < ts.size(); t++) {
            Tensor x = ts.get(t);
            int len = x.shape[d];
            starts[t] = at;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(x.data, o * len * inner, out, (o * total + at) * inner, len * inner);
            }
            at += len;
        }
        Tensor[] inputs = ts.toArray(new Tensor[0]);
        int fOuter = outer, fInner = inner, fTotal = total;
        return Tensor.result(out, outShape, "cat", g -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int t = 0; t < inputs.length; t++) {
                Tensor x = inputs[t];
                if (!x.requiresGrad) continue;
                int len = x.shape[d];
                float[] gx = new float[x.data.length];
                for (int o = 0; o < fOuter; o++) {
                    System.arraycopy(g.data, (o * fTotal + starts[t]) * fInner, gx, o * len * fInner, len * fInner);
                }
                grads[t] = new Tensor(gx, x.shape);
            }
            return grads;
        }, inputs);
    }

    static Tensor stack(List<Tensor> ts, int dim) {
        if (ts.isEmpty()) throw new IllegalArgumentException("stack: expects at least one tensor");
        int[] s0 = ts.get(0).shape;
        List<Tensor> un = new ArrayList<>(ts.size());
        for (int t = 0; t < ts.size(); t++) {
            if (!Arrays.equals(ts.get(t).shape, s0)) {
                throw new IllegalArgumentException("stack: tensor " + t + " has shape " + Shapes.str(ts.get(t).shape)
                        + ", tensor 0 has " + Shapes.str(s0) + "; all must be equal");
            }
            un.add(unsqueeze(ts.get(t), dim));
        }
        return cat(un, dim < 0 ? dim + s0.length + 1 : dim);
    }

    static List<Tensor> split(Tensor x, int size, int dim) {
        if (size <= 0) throw new IllegalArgumentException("split: size must be positive, got " + size);
        int d = Shapes.dim("split", dim, x.shape.length);
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < x.shape[d]; s += size) out.add(slice(x, d, s, Math.min(s + size, x.shape[d])));
        return out;
    }
}
