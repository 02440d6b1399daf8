package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.VectorKernels;

/**
 * Runs a binary kernel over two tensors broadcast to one output shape. Dimensions that are
 * laid out alike in both inputs are merged first, so the common cases (same shape, a scalar,
 * a bias row over a batch) become one or a few long kernel calls.
 */
final class Broadcast {
    private Broadcast() {}

    static float[] apply(BinaryOp op, float[] a, int[] aShape, float[] b, int[] bShape, int[] outShape) {
        int n = Shapes.numel(outShape);
        float[] out = new float[n];
        if (n == 0) return out;
        if (a.length == n && b.length == n) {
            VectorKernels.binary(op, n, a, 0, 1, b, 0, 1, out, 0);
            return out;
        }
        if (b.length == 1 && a.length == n) {
            VectorKernels.binary(op, n, a, 0, 1, b, 0, 0, out, 0);
            return out;
        }
        if (a.length == 1 && b.length == n) {
            VectorKernels.binary(op, n, a, 0, 0, b, 0, 1, out, 0);
            return out;
        }
        int[] sa = Shapes.broadcastStrides(aShape, outShape);
        int[] sb = Shapes.broadcastStrides(bShape, outShape);
        // merge dims: keep sizes > 1, fold d into d-1 when both inputs step through them as one
        int r = outShape.length;
        int[] size = new int[r], as = new int[r], bs = new int[r];
        int m = 0;
        for (int d = 0; d < r; d++) {
            if (outShape[d] == 1) continue;
            if (m > 0 && as[m - 1] == sa[d] * outShape[d] && bs[m - 1] == sb[d] * outShape[d]) {
                size[m - 1] *= outShape[d];
                as[m - 1] = sa[d];
                bs[m - 1] = sb[d];
            } else {
                size[m] = outShape[d];
                as[m] = sa[d];
                bs[m] = sb[d];
                m++;
            }
        }
        int inner = size[m - 1], aStep = as[m - 1], bStep = bs[m - 1];
        int outer = n / inner;
        int[] idx = new int[m];
        int ai = 0, bi = 0;
        for (int o = 0; o < outer; o++) {
            VectorKernels.binary(op, inner, a, ai, aStep, b, bi, bStep, out, o * inner);
            // odometer over dims 0..m-2
            for (int d = m - 2; d >= 0; d--) {
                idx[d]++;
                ai += as[d];
                bi += bs[d];
                if (idx[d] < size[d]) break;
                ai -= as[d] * size[d];
                bi -= bs[d] * size[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** x broadcast (copied) to {@code outShape}. */
    static float[] expand(float[] x, int[] xShape, int[] outShape) {
        return apply(BinaryOp.ADD, x, xShape, new float[] {0f}, new int[0], outShape);
    }
}
