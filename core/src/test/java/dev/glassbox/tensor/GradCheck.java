package dev.glassbox.tensor;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central-difference gradient checks for float32: the output is projected on a fixed random
 * tensor and summed in double, each input element is moved by ±eps, and the slope is compared
 * with the analytic gradient under a relative tolerance with an absolute floor.
 */
public final class GradCheck {
    private GradCheck() {}

    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, 1e-3f, 2e-2, 2e-3, f, inputs);
    }

    public static void check(String name, float eps, double rtol, double atol, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) {
            t.requiresGrad(true);
            t.zeroGrad();
        }
        Tensor out = f.apply(inputs);
        Tensor proj = Tensor.randn(new Generator(99), out.shape());
        out.mul(proj).sum().backward();
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            if (x.grad() == null) fail(name + ": input " + i + " got no gradient");
            float[] analytic = x.grad().toArray();
            float[] d = x.data();
            for (int j = 0; j < d.length; j++) {
                float orig = d[j];
                d[j] = orig + eps;
                double plus = projected(f, inputs, proj);
                d[j] = orig - eps;
                double minus = projected(f, inputs, proj);
                d[j] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[j];
                if (Math.abs(a - numeric) > atol + rtol * Math.max(Math.abs(a), Math.abs(numeric))) {
                    fail(String.format("%s: d/d input %d [%d]: analytic %.6f, numeric %.6f", name, i, j, a, numeric));
                }
            }
        }
    }

    private static double projected(Function<Tensor[], Tensor> f, Tensor[] inputs, Tensor proj) {
        try (var ignored = GradMode.noGrad()) {
            float[] o = f.apply(inputs).data();
            float[] p = proj.data();
            double s = 0;
            for (int k = 0; k < o.length; k++) s += (double) o[k] * p[k];
            return s;
        }
    }
}
