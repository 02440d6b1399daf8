package dev.glassbox.tensor;

import dev.glassbox.kernels.VectorKernels;

/** Indexing by int arrays: one-hot, index_select, gather (and so embedding lookups). */
final class IndexOps {
    private IndexOps() {}

    static Tensor oneHot(int[] labels, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("one_hot: number of classes must be positive, got " + numClasses);
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            int c = labels[i];
            if (c < 0 || c >= numClasses) {
                throw new IndexOutOfBoundsException("one_hot: label " + c + " at position " + i + " is out of range for "
                        + numClasses + " classes");
            }
            out[i * numClasses + c] = 1f;
        }
        return new Tensor(out, new int[] {labels.length, numClasses});
    }

    /** Rows (along dim) picked by index; dL/dx adds each g slice back at its index. */
    static Tensor indexSelect(Tensor x, int dim, int[] index) {
        int r = x.shape.length;
        if (r == 0) throw new IllegalArgumentException("index_select: cannot index a 0-dimensional tensor");
        int d = Shapes.dim("index_select", dim, r);
        int n = x.shape[d];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= n) {
                throw new IndexOutOfBoundsException("index_select: index " + index[i] + " (position " + i
                        + ") is out of range for dim " + d + " of size " + n);
            }
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= x.shape[i];
        for (int i = d + 1; i < r; i++) inner *= x.shape[i];
        int k = index.length;
        int[] outShape = x.shape.clone();
        outShape[d] = k;
        float[] out = new float[outer * k * inner];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                System.arraycopy(x.data, (o * n + index[j]) * inner, out, (o * k + j) * inner, inner);
            }
        }
        int fOuter = outer, fInner = inner;
        int[] idx = index.clone();
        return Tensor.result(out, outShape, "index_select", g -> {
            float[] gx = new float[x.data.length];
            for (int o = 0; o < fOuter; o++) {
                for (int j = 0; j < k; j++) {
                    VectorKernels.axpy(fInner, 1f, g.data, (o * k + j) * fInner, gx, (o * n + idx[j]) * fInner);
                }
            }
            return new Tensor[] {new Tensor(gx, x.shape)};
        }, x);
    }

    /** torch.gather along dim; dL/dx scatters g back, adding at repeated positions. */
    static Tensor gather(Tensor x, int dim, int[] index, int[] indexShape) {
        int r = x.shape.length;
        int d = Shapes.dim("gather", dim, r);
        if (indexShape.length != r) {
            throw new IllegalArgumentException("gather: index has rank " + indexShape.length + " but input " + Shapes.str(x.shape)
                    + " has rank " + r);
        }
        if (Shapes.numel(indexShape) != index.length) {
            throw new IllegalArgumentException("gather: " + index.length + " indices do not fill index shape " + Shapes.str(indexShape));
        }
        for (int i = 0; i < r; i++) {
            if (i != d && indexShape[i] > x.shape[i]) {
                throw new IllegalArgumentException("gather: index shape " + Shapes.str(indexShape) + " is larger than input "
                        + Shapes.str(x.shape) + " at dim " + i);
            }
        }
        int[] xs = Shapes.strides(x.shape);
        int[] pos = new int[index.length];
        int[] coord = new int[r];
        for (int f = 0; f < index.length; f++) {
            int v = index[f];
            if (v < 0 || v >= x.shape[d]) {
                throw new IndexOutOfBoundsException("gather: index " + v + " is out of range for dim " + d + " of size " + x.shape[d]);
            }
            int p = 0;
            for (int i = 0; i < r; i++) p += (i == d ? v : coord[i]) * xs[i];
            pos[f] = p;
            for (int i = r - 1; i >= 0; i--) {
                if (++coord[i] < indexShape[i]) break;
                coord[i] = 0;
            }
        }
        float[] out = new float[index.length];
        for (int f = 0; f < out.length; f++) out[f] = x.data[pos[f]];
        return Tensor.result(out, indexShape.clone(), "gather", g -> {
            float[] gx = new float[x.data.length];
            for (int f = 0; f < pos.length; f++) gx[pos[f]] += g.data[f];
            return new Tensor[] {new Tensor(gx, x.shape)};
        }, x);
    }
}
