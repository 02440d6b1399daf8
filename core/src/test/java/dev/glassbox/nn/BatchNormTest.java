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

    @Test
    void gradientsMatchFiniteDifferencesAndNamesFollowTorch() {
        Generator r = new Generator(3);
        BatchNorm bn1 = BatchNorm.batchNorm1d(5);
        GradCheck.check("batchnorm1d", x -> bn1.forward(x[0]), Tensor.randn(r, 6, 5));
        BatchNorm bn2 = BatchNorm.batchNorm2d(2);
        GradCheck.check("batchnorm2d", x -> bn2.forward(x[0]), Tensor.randn(r, 3, 2, 3, 3));
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn2.stateDict().keySet()));
        var e = assertThrows(IllegalArgumentException.class, () -> bn2.forward(Tensor.zeros(3, 4, 2, 2)));
        assertTrue(e.getMessage().contains("expects [N, 2, H, W]"), e.getMessage());
    }
}
