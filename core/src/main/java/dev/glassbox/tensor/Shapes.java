package dev.glassbox.tensor;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting and the text of shape errors. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape (1 for a scalar's empty shape). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative size " + s + " in shape " + str(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("shape " + str(shape) + " has " + n + " elements, more than a Java array holds");
        }
        return (int) n;
    }

    /** Row-major strides in elements. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    /** "[2, 3]" */
    public static String str(int[] shape) { return Arrays.toString(shape); }

    /** Resolves a possibly negative dim against a rank, or names the op and the valid range. */
    public static int dim(String op, int d, int rank) {
        int r = Math.max(rank, 1);
        if (d < -r || d >= r) {
            throw new IndexOutOfBoundsException(op + ": dim " + d + " is out of range for a tensor of rank " + rank
                    + " (valid: " + (-r) + " to " + (r - 1) + ")");
        }
        return d < 0 ? d + r : d;
    }

    /** The broadcast of two shapes (numpy rules), or an error naming the op, both shapes and the clash. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) return a;
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length), db = i - (r - b.length);
            int sa = da >= 0 ? a[da] : 1, sb = db >= 0 ? b[db] : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot broadcast: sizes " + sa + " and " + sb + " at dim " + (i - r));
            }
            out[i] = sa == 1 ? sb : sa;
        }
        return out;
    }

    /**
     * Strides of {@code shape} read as if broadcast to {@code target} (right-aligned): 0 where the
     * dimension is missing or of size 1.
     */
    static int[] broadcastStrides(int[] shape, int[] target) {
        int r = target.length;
        int[] st = strides(shape);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int d = i - (r - shape.length);
            out[i] = d >= 0 && shape[d] != 1 ? st[d] : 0;
        }
        return out;
    }

    /** Replaces one -1 entry by the size that keeps the element count; checks the count. */
    static int[] inferReshape(String op, int[] from, int[] to) {
        int n = numel(from);
        int infer = -1;
        long known = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + str(to));
                infer = i;
            } else if (to[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + to[i] + " in " + str(to));
            } else {
                known *= to[i];
            }
        }
        int[] out = to.clone();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(to) + " is invalid for " + str(from)
                        + " (" + n + " elements)");
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + str(to) + " is invalid for " + str(from)
                    + " (" + n + " elements, " + known + " asked)");
        }
        return out;
    }
}
