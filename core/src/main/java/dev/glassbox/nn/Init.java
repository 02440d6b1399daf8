package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;

/** Weight initialisers, as torch.nn.init; each fills a tensor in place without recording. */
public final class Init {
    private Init() {}

    /** fan_in of a weight [out, in, k...]: in × Πk. */
    public static int fanIn(Tensor w) {
        if (w.dim() < 2) throw new IllegalArgumentException("fan in needs a weight of at least 2 dims, got " + Arrays.toString(w.shape()));
        return w.numel() / w.size(0);
    }

    /** fan_out of a weight [out, in, k...]: out × Πk. */
    public static int fanOut(Tensor w) {
        if (w.dim() < 2) throw new IllegalArgumentException("fan out needs a weight of at least 2 dims, got " + Arrays.toString(w.shape()));
        return w.numel() / w.size(1);
    }

    public static Tensor uniform(Tensor t, float lo, float hi, Generator g) {
        try (var ignored = GradMode.noGrad()) { return t.uniform_(lo, hi, g); }
    }

    public static Tensor normal(Tensor t, float mean, float std, Generator g) {
        try (var ignored = GradMode.noGrad()) { return t.normal_(mean, std, g); }
    }

    public static Tensor constant(Tensor t, float v) {
        try (var ignored = GradMode.noGrad()) { return t.fill_(v); }
    }

    /**
     * Kaiming (He et al., 2015) uniform in fan-in mode for a leaky-ReLU of slope {@code a}:
     * bound = √3 · √(2/(1+a²)) / √fan_in. PyTorch's Linear and Conv use a = √5, giving 1/√fan_in.
     */
    public static Tensor kaimingUniform(Tensor w, double a, Generator g) {
        double gain = Math.sqrt(2.0 / (1 + a * a));
        float bound = (float) (Math.sqrt(3.0) * gain / Math.sqrt(fanIn(w)));
        return uniform(w, -bound, bound, g);
    }

    /** Glorot and Bengio (2010) uniform: bound = gain·√(6/(fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor w, double gain, Generator g) {
        float bound = (float) (gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w))));
        return uniform(w, -bound, bound, g);
    }
}
