package dev.glassbox.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.tensor.GradCheck;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNormTest {
    private static float[] floats(JsonNode a) { return dev.glassbox.Golden.floats(a); }

    private static void close(float[] want, float[] got, String what) { dev.glassbox.Golden.close(want, got, 2e-4f, what); }

    @Test
    void trainAndEvalModesMatchTorch() {
        JsonNode g = dev.glassbox.Golden.section("batchnorm");
        BatchNorm bn = BatchNorm.batchNorm2d(3);
        try (var ignored = dev.glassbox.tensor.GradMode.noGrad()) {
            bn.weight.copy_(Tensor.of(floats(g.get("weight"))));
            bn.bias.copy_(Tensor.of(floats(g.get("bias"))));
        }
        Tensor x = Tensor.of(floats(g.get("x")), 4, 3, 5, 2).requiresGrad(true);
        Tensor y = bn.forward(x);
        close(floats(g.get("y")), y.data(), "train output");
        y.mul(Tensor.of(floats(g.get("proj")), y.shape())).sum().backward();
        close(floats(g.get("dx")), x.grad().data(), "dx");
        close(floats(g.get("dweight")), bn.weight.grad().data(), "dweight");
        close(floats(g.get("dbias")), bn.bias.grad().data(), "dbias");
        close(floats(g.get("running_mean")), bn.runningMean.data(), "running mean");
        close(floats(g.get("running_var")), bn.runningVar.data(), "running var");
        assertEquals(1f, bn.numBatchesTracked.item());
        bn.eval();
        close(floats(g.get("y_eval")), bn.forward(Tensor.of(floats(g.get("x_eval")), 2, 3, 5, 2)).data(), "eval output");
    }

    /**
     * [N, C] (one value a channel a sample, read sample by sample along the channels) against the same
     * numbers laid out [1, C, N, 1] (each channel's values side by side): outputs, running statistics and
     * gradients, in training and eval mode, over many channels (chunks on every thread).
     */
    @Test
    void oneValueAChannelASampleMatchesTheChannelLayout() {
        Generator r = new Generator(5);
        int n = 24, c = 301;
        Tensor x = Tensor.randn(r, n, c), g = Tensor.randn(r, n, c);
        BatchNorm rows = BatchNorm.batchNorm1d(c), maps = BatchNorm.batchNorm2d(c);
        Tensor w = Tensor.randn(r, c);
        for (BatchNorm bn : List.of(rows, maps)) {
            System.arraycopy(w.data(), 0, bn.stateDict().get("weight").data(), 0, c);
            for (int i = 0; i < c; i++) bn.stateDict().get("bias").data()[i] = 0.01f * i;
        }
        for (boolean training : new boolean[] {true, false}) {
            for (BatchNorm bn : List.of(rows, maps)) {
                if (training) bn.train(); else bn.eval();
            }
            Tensor a = x.detach().requiresGrad(true), b = x.detach().t().reshape(1, c, n, 1).requiresGrad(true);
            Tensor ya = rows.forward(a), yb = maps.forward(b);
            close(yb.reshape(c, n).t().data(), ya.data(), "output, training " + training);
            ya.mul(g).sum().backward();
            yb.mul(g.t().reshape(1, c, n, 1)).sum().backward();
            close(b.grad().reshape(c, n).t().data(), a.grad().data(), "input gradient, training " + training);
            close(maps.stateDict().get("running_var").data(), rows.stateDict().get("running_var").data(), "running variance");
            close(maps.stateDict().get("weight").grad().data(), rows.stateDict().get("weight").grad().data(), "weight gradient, training " + training);
            close(maps.stateDict().get("bias").grad().data(), rows.stateDict().get("bias").grad().data(), "bias gradient, training " + training);
            for (BatchNorm bn : List.of(rows, maps)) bn.zeroGrad();
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesAndNamesFollowTorch() {
        Generator r = new Generator(3);
        BatchNorm bn1 = BatchNorm.batchNorm1d(5);
        GradCheck.check("batchnorm1d", x -> bn1.forward(x[0]), Tensor.randn(r, 6, 5));
        BatchNorm bn2 = BatchNorm.batchNorm2d(2);
        GradCheck.check("batchnorm2d", x -> bn2.forward(x[0]), Tensor.randn(r, 3, 2, 3, 3));
        BatchNorm wide = BatchNorm.batchNorm2d(3);   // runs of 20 values: the vector kernels' path
        GradCheck.check("batchnorm2d, runs of 20", x -> wide.forward(x[0]), Tensor.randn(r, 2, 3, 4, 5));
        bn2.eval();                                   // the running statistics: γ·r·g reaches x, Σ g·x̂ and Σ g the weights
        GradCheck.check("batchnorm2d eval", x -> bn2.forward(x[0]), Tensor.randn(r, 3, 2, 3, 3));
        bn2.train();
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn2.stateDict().keySet()));
        var e = assertThrows(IllegalArgumentException.class, () -> bn2.forward(Tensor.zeros(3, 4, 2, 2)));
        assertTrue(e.getMessage().contains("expects [N, 2, H, W]"), e.getMessage());
    }

    /** eps, momentum and affine as PyTorch's options (tools/make_batchnorm_golden.py): outputs, gradients and running statistics. */
    @Test
    void optionsMatchTorch() throws java.io.IOException {
        JsonNode all;
        try (var in = BatchNormTest.class.getResourceAsStream("/golden/batchnorm_options.json")) {
            all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        for (String name : List.of("plain2d", "affine1d")) {
            JsonNode g = all.get(name);
            int[] shape = new int[g.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = g.get("shape").get(i).asInt();
            float eps = (float) g.get("eps").asDouble(), momentum = (float) g.get("momentum").asDouble();
            boolean affine = g.get("affine").asBoolean();
            BatchNorm bn = shape.length == 4 ? BatchNorm.batchNorm2d(shape[1], eps, momentum, affine) : BatchNorm.batchNorm1d(shape[1], eps, momentum, affine);
            assertEquals(affine, bn.weight != null, name + ": gamma and beta only when affine");
            assertEquals(affine ? 2 : 0, bn.parameters().size());
            if (affine) {
                try (var ignored = dev.glassbox.tensor.GradMode.noGrad()) {
                    bn.weight.copy_(Tensor.of(floats(g.get("weight"))));
                    bn.bias.copy_(Tensor.of(floats(g.get("bias"))));
                }
            }
            bn.train();
            bn.forward(Tensor.of(floats(g.get("x1")), shape));
            Tensor x2 = Tensor.of(floats(g.get("x2")), shape).requiresGrad(true);
            Tensor y = bn.forward(x2);
            close(floats(g.get("train_out")), y.data(), name + " train output");
            y.mul(Tensor.of(floats(g.get("r")), shape)).sum().backward();
            close(floats(g.get("x2_grad")), x2.grad().data(), name + " input gradient");
            if (affine) {
                close(floats(g.get("weight_grad")), bn.weight.grad().data(), name + " gamma gradient");
                close(floats(g.get("bias_grad")), bn.bias.grad().data(), name + " beta gradient");
            }
            close(floats(g.get("running_mean")), bn.runningMean.data(), name + " running mean");
            close(floats(g.get("running_var")), bn.runningVar.data(), name + " running variance");
            bn.eval();
            close(floats(g.get("eval_out")), bn.forward(Tensor.of(floats(g.get("x3")), shape)).data(), name + " eval output");
        }
        assertThrows(IllegalArgumentException.class, () -> BatchNorm.batchNorm2d(3, 0f, 0.1f, true));
        assertThrows(IllegalArgumentException.class, () -> BatchNorm.batchNorm2d(3, 1e-5f, 1.5f, true));
    }
}
