package dev.glassbox.tensor;

import java.util.Locale;

/** PyTorch-like text for tensors: nested brackets, four decimals, long dims cut to 3 + … + 3. */
final class TensorFormat {
    private static final int EDGE = 3, FULL = 1000;

    private TensorFormat() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.shape.length == 0) sb.append(num(t.data[0]));
        else append(sb, t, 0, 0, t.data.length > FULL, 7);
        if (t.gradFn != null) sb.append(", grad_fn=<").append(t.gradFn.name).append(">");
        else if (t.requiresGrad) sb.append(", requires_grad=true");
        return sb.append(")").toString();
    }

    private static void append(StringBuilder sb, Tensor t, int dim, int offset, boolean cut, int indent) {
        int n = t.shape[dim];
        int stride = 1;
        for (int i = dim + 1; i < t.shape.length; i++) stride *= t.shape[i];
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (cut && n > 2 * EDGE && i == EDGE) {
                sb.append(dim == t.shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (dim == t.shape.length - 1) sb.append(num(t.data[offset + i]));
            else append(sb, t, dim + 1, offset + i * stride, cut, indent);
            if (i < n - 1) sb.append(dim == t.shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + dim + 1));
        }
        sb.append(']');
    }

    private static String num(float v) {
        if (Float.isNaN(v)) return "nan";
        if (Float.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
