package dev.glassbox.tensor;

import dev.glassbox.nn.F;
import dev.glassbox.nn.Reduction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Every differentiable op against central differences, from one table of cases. */
class GradCheckTest {
    private static final Generator G = new Generator(7);

    private static Tensor r(int... shape) { return Tensor.randn(G, shape); }

    /** Values in [lo, hi): away from kinks and from where a function is undefined. */
    private static Tensor u(float lo, float hi, int... shape) {
        Tensor t = Tensor.rand(G, shape);
        return Tensor.wrap(t.mul(hi - lo).add(lo).toArray(), shape);
    }

    /** Normal values pushed at least 0.1 away from 0 (for relu, abs, leaky relu). */
    private static Tensor awayFromZero(int... shape) {
        float[] d = r(shape).toArray();
        for (int i = 0; i < d.length; i++) d[i] = d[i] >= 0 ? d[i] + 0.1f : d[i] - 0.1f;
        return Tensor.wrap(d, shape);
    }

    private record Case(String name, Function<Tensor[], Tensor> f, Tensor[] inputs, float eps) {}

    private static Case c(String name, Function<Tensor[], Tensor> f, Tensor... inputs) { return new Case(name, f, inputs, 1e-3f); }

    @TestFactory
    Stream<DynamicTest> gradientsMatchFiniteDifferences() {
        List<Case> cs = new ArrayList<>();
        // broadcasting arithmetic, odd widths (17 is not a multiple of the vector width)
        cs.add(c("add same", x -> x[0].add(x[1]), r(3, 17), r(3, 17)));
        cs.add(c("add row", x -> x[0].add(x[1]), r(4, 3), r(3)));
        cs.add(c("add col x row", x -> x[0].add(x[1]), r(2, 1), r(1, 3)));
        cs.add(c("add 3d", x -> x[0].add(x[1]), r(4, 1, 3), r(2, 3)));
        cs.add(c("add scalar tensor", x -> x[0].add(x[1]), r(5), r()));
        cs.add(c("sub", x -> x[0].sub(x[1]), r(1, 9), r(9, 1)));
        cs.add(c("mul", x -> x[0].mul(x[1]), r(2, 3, 5), r(3, 1)));
        cs.add(c("div", x -> x[0].div(x[1]), r(3, 4), u(0.5f, 2f, 4)));
        Tensor m0 = r(6, 5);
        cs.add(c("maximum", x -> x[0].maximum(x[1]), m0, m0.add(awayFromZero(6, 5)).detach()));
        Tensor m1 = r(5);
        cs.add(c("minimum", x -> x[0].minimum(x[1]), m1.add(awayFromZero(6, 5)).detach(), m1));
        cs.add(c("pow tensor", x -> x[0].pow(x[1]), u(0.5f, 2f, 3, 4), u(-1f, 2f, 4)));
        cs.add(c("scalar ops", x -> x[0].mul(3f).add(1f).rsub(2f).div(0.5f).neg(), r(2, 9)));
        cs.add(c("pow 3", x -> x[0].pow(3f), r(11)));
        cs.add(c("pow 0.5", x -> x[0].pow(0.5f), u(0.5f, 3f, 11)));
        cs.add(c("square", x -> x[0].square(), r(4, 4)));
        // elementwise math and activations
        cs.add(c("exp", x -> x[0].exp(), r(3, 17)));
        cs.add(c("log", x -> x[0].log(), u(0.2f, 3f, 3, 17)));
        cs.add(c("sqrt", x -> x[0].sqrt(), u(0.2f, 3f, 19)));
        cs.add(c("abs", x -> x[0].abs(), awayFromZero(19)));
        cs.add(c("sigmoid", x -> x[0].sigmoid(), r(5, 17)));
        cs.add(c("tanh", x -> x[0].tanh(), r(5, 17)));
        cs.add(c("relu", x -> x[0].relu(), awayFromZero(5, 17)));
        cs.add(c("leaky relu", x -> x[0].leakyRelu(0.2f), awayFromZero(5, 17)));
        cs.add(c("gelu", x -> x[0].gelu(), r(5, 17)));
        cs.add(c("clamp", x -> x[0].clamp(-0.5f, 0.5f), u(-0.45f, 0.45f, 9).add(Tensor.of(new float[] {1.5f, -1.5f, 0, 0, 0, 0, 0, 0, 0}))));
        cs.add(c("softmax last", x -> x[0].softmax(-1), r(4, 17)));
        cs.add(c("softmax dim 0", x -> x[0].softmax(0), r(4, 3)));
        cs.add(c("log softmax", x -> x[0].logSoftmax(1), r(3, 10)));
        cs.add(c("log softmax 3d mid", x -> x[0].logSoftmax(1), r(2, 5, 3)));
        cs.add(c("dropout", x -> x[0].dropout(0.3f, new Generator(3)), r(4, 9)));
        Tensor cond = r(3, 4).gt(0f);
        cs.add(c("where", x -> Tensor.where(cond, x[0], x[1]), r(3, 4), r(4)));
        // matmul: 2-D, vectors, batched, broadcast batch, 1xN and Nx1
        cs.add(c("matmul 2d", x -> x[0].matmul(x[1]), r(3, 5), r(5, 4)));
        cs.add(c("matmul 1xN Nx1", x -> x[0].matmul(x[1]), r(1, 17), r(17, 1)));
        cs.add(c("matmul Nx1 1xM", x -> x[0].matmul(x[1]), r(17, 1), r(1, 9)));
        cs.add(c("matmul dot", x -> x[0].matmul(x[1]), r(7), r(7)));
        cs.add(c("matmul vec mat", x -> x[0].matmul(x[1]), r(5), r(5, 3)));
        cs.add(c("matmul mat vec", x -> x[0].matmul(x[1]), r(3, 5), r(5)));
        cs.add(c("matmul batched", x -> x[0].matmul(x[1]), r(2, 3, 4), r(2, 4, 5)));
        cs.add(c("matmul 3d @ 2d", x -> x[0].matmul(x[1]), r(2, 3, 4), r(4, 5)));
        cs.add(c("matmul broadcast batch", x -> x[0].matmul(x[1]), r(1, 3, 4), r(2, 4, 2)));
        cs.add(c("matmul 2d @ 3d", x -> x[0].matmul(x[1]), r(3, 4), r(2, 4, 2)));
        // linear in each input, so a large step is exact and keeps float32 rounding out of the slope
        cs.add(new Case("matmul large blocked", x -> x[0].matmul(x[1]), new Tensor[] {r(45, 50), r(50, 41)}, 0.25f));
        cs.add(c("linear", x -> F.linear(x[0], x[1], x[2]), r(4, 5), r(3, 5), r(3)));
        cs.add(c("linear 3d no bias", x -> F.linear(x[0], x[1], null), r(2, 3, 5), r(4, 5)));
        // reductions, keepdim, several dims
        cs.add(c("sum all", x -> x[0].sum(), r(3, 17)));
        cs.add(c("sum dim keepdim", x -> x[0].sum(1, true), r(3, 4, 5)));
        cs.add(c("sum dim", x -> x[0].sum(0, false), r(3, 4, 5)));
        cs.add(c("sum dims", x -> x[0].sum(new int[] {0, 2}, true), r(3, 4, 5)));
        cs.add(c("mean", x -> x[0].mean(), r(3, 7)));
        cs.add(c("mean dim", x -> x[0].mean(-1, false), r(3, 7)));
        cs.add(c("max dim", x -> x[0].max(1, false), r(4, 6)));
        cs.add(c("max dim keepdim", x -> x[0].max(0, true), r(4, 6)));
        cs.add(c("max all", x -> x[0].max(), r(4, 6)));
        // shapes and indexing
        cs.add(c("reshape", x -> x[0].reshape(4, -1).mul(x[0].reshape(4, 6)), r(2, 3, 4)));
        cs.add(c("flatten", x -> x[0].flatten(1, 2), r(2, 3, 4)));
        cs.add(c("transpose", x -> x[0].transpose(0, 2), r(2, 3, 4)));
        cs.add(c("permute", x -> x[0].permute(2, 0, 1), r(2, 3, 4)));
        cs.add(c("expand", x -> x[0].expand(3, 4, 5), r(4, 1)));
        cs.add(c("slice", x -> x[0].slice(1, 1, -1), r(3, 6)));
        cs.add(c("select", x -> x[0].select(0, -1), r(3, 6)));
        cs.add(c("index select", x -> x[0].indexSelect(0, new int[] {2, 0, 2}), r(3, 4)));
        cs.add(c("gather", x -> x[0].gather(1, new int[] {0, 2, 1, 1}, 2, 2), r(2, 3)));
        cs.add(c("cat", x -> Tensor.cat(List.of(x[0], x[1]), 1), r(2, 3), r(2, 2)));
        cs.add(c("stack", x -> Tensor.stack(List.of(x[0], x[1]), 0), r(2, 3), r(2, 3)));
        cs.add(c("split", x -> { var p = x[0].split(2, 1); return p.get(0).mul(2f).add(p.get(1).sum()); }, r(3, 4)));
        cs.add(c("squeeze unsqueeze", x -> x[0].unsqueeze(0).squeeze(0).unsqueeze(-1), r(3, 4)));
        // losses
        int[] labels = {1, 0, 4};
        cs.add(c("cross entropy mean", x -> F.crossEntropy(x[0], labels), r(3, 5)));
        cs.add(c("cross entropy sum", x -> F.crossEntropy(x[0], labels, Reduction.SUM), r(3, 5)));
        cs.add(c("cross entropy none", x -> F.crossEntropy(x[0], labels, Reduction.NONE), r(3, 5)));
        cs.add(c("nll", x -> F.nllLoss(x[0].logSoftmax(1), labels), r(3, 5)));
        cs.add(c("mse", x -> F.mseLoss(x[0], x[1]), r(4, 3), r(4, 3)));
        cs.add(c("bce with logits", x -> F.binaryCrossEntropyWithLogits(x[0], x[1]),
                Tensor.of(new float[] {0f, -3f, 2.5f, 0.3f}, 4), u(0f, 1f, 4)));
        cs.add(c("bce with logits sum", x -> F.binaryCrossEntropyWithLogits(x[0], x[1], Reduction.SUM),
                Tensor.of(new float[] {0f, -3f, 2.5f, 0.3f}, 4), u(0f, 1f, 4)));
        cs.add(c("bce", x -> F.binaryCrossEntropy(x[0], Tensor.of(new float[] {0f, 1f, 0.3f, 1f}, 4)), u(0.1f, 0.9f, 4)));
        return cs.stream().map(k -> DynamicTest.dynamicTest(k.name, () -> GradCheck.check(k.name, k.eps, 2e-2, 2e-3, k.f, k.inputs)));
    }
}
