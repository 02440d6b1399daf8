package dev.glassbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.AdamW;
import dev.glassbox.optim.ClipGrad;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden values from PyTorch 1.13 (tools/make_torch_golden.py wrote the JSON): a composite
 * network's loss and every gradient, losses and activations, optimizer steps, schedules, clipping.
 */
class TorchGoldenTest {
    private static JsonNode golden(String section) { return Golden.section(section); }

    private static float[] floats(JsonNode a) { return Golden.floats(a); }

    private static int[] ints(JsonNode a) { return Golden.ints(a); }

    private static void close(float[] expected, float[] actual, float tol, String what) { Golden.close(expected, actual, tol, what); }

    /** The course's 25-3-3-10 classifier, with PyTorch's parameter names. */
    static final class CourseDnn extends Module {
        final Linear hidden1 = registerModule("hidden1", new Linear(25, 3));
        final Linear hidden2 = registerModule("hidden2", new Linear(3, 3));
        final Linear output = registerModule("output", new Linear(3, 10));

        @Override
        public Tensor forward(Tensor x) {
            return output.forward(hidden2.forward(hidden1.forward(x).sigmoid()).sigmoid());
        }
    }

    @Test
    void courseDnnLossAndAllGradientsMatchTorch() {
        JsonNode g = golden("mlp");
        CourseDnn net = new CourseDnn();
        var state = new java.util.LinkedHashMap<String, Tensor>();
        g.get("params").fields().forEachRemaining(e ->
                state.put(e.getKey(), Tensor.of(floats(e.getValue().get("values")), ints(e.getValue().get("shape")))));
        net.loadStateDict(state);
        Tensor x = Tensor.of(floats(g.get("x")), 4, 25);
        Tensor logits = net.forward(x);
        close(floats(g.get("logits")), logits.data(), 1e-5f, "logits");
        Tensor loss = F.crossEntropy(logits, ints(g.get("labels")));
        assertEquals(g.get("loss").asDouble(), loss.item(), 1e-5);
        loss.backward();
        for (var e : net.namedParameters().entrySet()) {
            close(floats(g.get("grads").get(e.getKey())), e.getValue().grad().data(), 1e-4f, "grad " + e.getKey());
        }
    }

    @Test
    void lossesAndActivationsMatchTorch() {
        JsonNode g = golden("losses");
        Tensor a = Tensor.of(floats(g.get("logits")), 3, 5);
        int[] lab = ints(g.get("labels"));
        assertEquals(g.get("cross_entropy_mean").asDouble(), F.crossEntropy(a, lab).item(), 1e-5);
        assertEquals(g.get("cross_entropy_sum").asDouble(), F.crossEntropy(a, lab, Reduction.SUM).item(), 1e-5);
        assertEquals(g.get("cross_entropy_mean").asDouble(), F.nllLoss(a.logSoftmax(1), lab).item(), 1e-5);
        close(floats(g.get("log_softmax")), a.logSoftmax(1).data(), 1e-5f, "log_softmax");
        close(floats(g.get("softmax_dim0")), a.softmax(0).data(), 1e-5f, "softmax dim 0");
        Tensor p = Tensor.of(floats(g.get("p"))), t = Tensor.of(floats(g.get("target"))), z = Tensor.of(floats(g.get("z")));
        assertEquals(g.get("bce").asDouble(), F.binaryCrossEntropy(p, t).item(), 1e-5);
        assertEquals(g.get("bce_with_logits").asDouble(), F.binaryCrossEntropyWithLogits(z, t).item(), 1e-5);
        assertEquals(g.get("mse").asDouble(), F.mseLoss(p, t).item(), 1e-6);
        close(floats(g.get("gelu")), z.gelu().data(), 2e-6f, "gelu");
        close(floats(g.get("sigmoid")), z.sigmoid().data(), 1e-6f, "sigmoid");
        close(floats(g.get("tanh")), z.tanh().data(), 1e-6f, "tanh");
    }

    private float[] runOptimizer(Function<List<Parameter>, Optimizer> make) {
        JsonNode g = golden("optim");
        Parameter w = new Parameter(Tensor.of(floats(g.get("w0"))));
        Tensor c = Tensor.of(floats(g.get("c")));
        Optimizer opt = make.apply(List.of(w));
        for (int i = 0; i < 3; i++) {
            opt.zeroGrad();
            c.mul(w).mul(w).sum().backward();
            opt.step();
        }
        return w.data();
    }

    @Test
    void optimizersMatchTorchOverThreeSteps() {
        JsonNode g = golden("optim");
        close(floats(g.get("sgd")), runOptimizer(ps -> new SGD(ps, 0.1f)), 1e-5f, "sgd");
        close(floats(g.get("sgd_momentum")), runOptimizer(ps -> new SGD(ps, 0.1f).momentum(0.9f).dampening(0.1f).weightDecay(0.01f)),
                1e-5f, "sgd momentum");
        close(floats(g.get("sgd_nesterov")), runOptimizer(ps -> new SGD(ps, 0.1f).momentum(0.9f).nesterov()), 1e-5f, "nesterov");
        close(floats(g.get("adam")), runOptimizer(ps -> new Adam(ps, 0.01f)), 1e-5f, "adam");
        close(floats(g.get("adam_wd")), runOptimizer(ps -> new Adam(ps, 0.01f).betas(0.8f, 0.99f).weightDecay(0.1f)), 1e-5f, "adam wd");
        close(floats(g.get("adamw")), runOptimizer(ps -> new AdamW(ps, 0.01f)), 1e-5f, "adamw");
    }

    @Test
    void schedulesMatchTorch() {
        JsonNode g = golden("schedules");
        SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), 0.5f);
        var step = new LRScheduler.StepLR(opt, 2, 0.5f);
        float[] got = new float[6];
        for (int i = 0; i < 6; i++) {
            step.step();
            got[i] = opt.lr();
        }
        close(floats(g.get("step_lr_2_0.5")), got, 1e-6f, "StepLR");
        SGD opt2 = new SGD(List.of(new Parameter(Tensor.zeros(1))), 0.5f);
        var cos = new LRScheduler.CosineAnnealingLR(opt2, 4, 0.01f);
        for (int i = 0; i < 6; i++) {
            cos.step();
            got[i] = opt2.lr();
        }
        close(floats(g.get("cosine_4_0.01")), got, 1e-5f, "cosine");
    }

    @Test
    void clipGradNormMatchesTorch() {
        JsonNode g = golden("clip");
        Parameter q1 = new Parameter(Tensor.zeros(3)), q2 = new Parameter(Tensor.zeros(2, 2));
        q1.setGrad(Tensor.of(floats(g.get("g1"))));
        q2.setGrad(Tensor.of(floats(g.get("g2")), 2, 2));
        float norm = ClipGrad.clipGradNorm(List.of(q1, q2), 0.5f);
        assertEquals(g.get("norm").asDouble(), norm, 1e-5);
        close(floats(g.get("c1")), q1.grad().data(), 1e-5f, "clipped 1");
        close(floats(g.get("c2")), q2.grad().data(), 1e-5f, "clipped 2");
    }
}
