package dev.glassbox.tensor;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Elementwise backward rules write the input's gradient over the output's gradient when the
 * engine says that array is theirs ({@link Tensor#consumable}): the same values as into a new
 * array, and never over a gradient something else still reads.
 */
class InPlaceGradTest {
    private static final float[] X = {-1.5f, -0.2f, 0.3f, 0.9f, 2.0f, -3.0f, 0.05f, 1.1f, -0.7f, 0.6f,
            1.7f, -2.2f, 0.4f, 0.8f, -0.1f, 2.5f, 0.2f, -1.0f};

    private static Map<String, Function<Tensor, Tensor>> ops() {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        ops.put("relu", Tensor::relu);
        ops.put("sigmoid", Tensor::sigmoid);
        ops.put("tanh", Tensor::tanh);
        ops.put("gelu", Tensor::gelu);
        ops.put("exp", Tensor::exp);
        ops.put("abs", Tensor::abs);
        ops.put("neg", Tensor::neg);
        ops.put("log", x -> x.abs().log());
        ops.put("sqrt", x -> x.abs().sqrt());
        ops.put("leaky_relu", x -> x.leakyRelu(0.2f));
        ops.put("clamp", x -> x.clamp(-0.5f, 1f));
        ops.put("mul", x -> x.mul(-2.5f));
        ops.put("softmax", x -> x.reshape(3, 6).softmax(1));
        ops.put("log_softmax", x -> x.reshape(3, 6).logSoftmax(1));
        ops.put("softmax dim 0", x -> x.reshape(3, 6).softmax(0));
        ops.put("dropout", x -> x.dropout(0.4f, new Generator(3)));
        ops.put("layer_norm", x -> NormOps.layerNorm(x.reshape(3, 6), 6, null, null, 1e-5f));
        ops.put("layer_norm affine", x -> NormOps.layerNorm(x.reshape(3, 6), 6, Tensor.ones(6).mul(1.5f), Tensor.ones(6).mul(-0.25f), 1e-5f));
        ops.put("batch_norm", x -> NormOps.batchNorm(x.reshape(3, 2, 3), null, null, 1e-5f, new float[2], new float[2], true));
        return ops;
    }

    /** The op's last rule run on g, with g consumable or not; g is a copy of {@code gv} each time. */
    private static Tensor[] rule(Tensor y, float[] gv, boolean consumable) {
        Tensor g = new Tensor(gv.clone(), y.shape.clone(), true);
        g.consumable = consumable;
        Tensor[] grads = y.gradFn.backward.apply(g);
        return new Tensor[] {g, grads[0]};
    }

    @Test
    void aConsumableGradientIsOverwrittenWithTheSameValues() {
        float[] gv = new float[X.length];
        for (int i = 0; i < gv.length; i++) gv[i] = 0.37f * i - 2.1f;
        for (var op : ops().entrySet()) {
            Tensor x = new Tensor(X.clone(), new int[] {X.length}, true).requiresGrad(true);
            Tensor y = op.getValue().apply(x);
            Tensor[] plain = rule(y, gv, false);
            Tensor[] inPlace = rule(y, gv, true);
            assertArrayEquals(gv, plain[0].data, op.getKey() + ": a gradient not marked consumable was changed");
            assertArrayEquals(plain[1].data, inPlace[1].data, 0f, op.getKey() + ": in place differs from a new array");
            // softmax over dim 0 ends in a transpose's rule
            if (!op.getKey().equals("softmax dim 0")) {
                assertSame(inPlace[0].data, inPlace[1].data, op.getKey() + ": the consumable gradient's array was not reused");
            }
            assertNotSame(plain[0].data, plain[1].data, op.getKey());
        }
    }

    @Test
    void retainedAndSharedGradientsSurviveTheRulesBelowThem() {
        // h's gradient reaches relu's rule after h keeps it: h.grad must be what reached h
        Tensor x = new Tensor(X.clone(), new int[] {X.length}, true).requiresGrad(true);
        Tensor h = x.mul(1.5f).retainGrad();
        Tensor s = h.sigmoid();
        s.tanh().sum().backward();
        float[] expectH = new float[X.length], expectX = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            double sv = 1 / (1 + Math.exp(-1.5 * X[i])), t = Math.tanh(sv);
            expectH[i] = (float) ((1 - t * t) * sv * (1 - sv));
            expectX[i] = 1.5f * expectH[i];
        }
        assertArrayEquals(expectH, h.grad().data(), 1e-6f);
        assertArrayEquals(expectX, x.grad().data(), 1e-6f);
        // one output feeding two elementwise ops, and a gradient that meets another
        GradCheck.check("fan-out through in-place rules", in -> {
            Tensor a = in[0].tanh();
            return a.relu().sigmoid().sum().add(a.leakyRelu(0.1f).mul(a).sum()).add(a.exp().mul(0.5f).sum());
        }, new Tensor(X.clone(), new int[] {X.length}, true).requiresGrad(true));
    }
}
