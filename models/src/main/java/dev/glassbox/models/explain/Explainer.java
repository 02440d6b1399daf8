package dev.glassbox.models.explain;

import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one real training step of a {@link DenseNet} on one example and records it as a
 * {@link Trace}: the forward pass goes through the model's own layers, the loss through the
 * engine's loss, the gradients come from {@code backward()}, and the update is a real SGD step.
 * The model's weights are changed by that step.
 */
public final class Explainer {
    private Explainer() {}

    /**
     * @param target the target values (regression, binary) or null with {@code targetClass}
     * @param targetClass the right class for a classifier, else null
     */
    public static Trace explain(String modelName, Module model, DenseNet net, float[] input, float[] target,
                                Integer targetClass, float lr) {
        model.train();
        Tensor a = Tensor.of(input, 1, input.length);                   // x: [1, in]
        List<Tensor> ins = new ArrayList<>(), zs = new ArrayList<>(), acts = new ArrayList<>();
        for (DenseNet.Layer layer : net.denseLayers()) {
            ins.add(a);
            Tensor z = layer.linear().forward(a).retainGrad();           // z = a·Wᵀ + b: [1, nodes]
            a = layer.activation().apply(z);                             // a = f(z):      [1, nodes]
            zs.add(z);
            acts.add(a);
        }
        Tensor out = a;
        int outSize = out.size(1);
        float[] t;
        Tensor loss;
        switch (net.lossKind()) {
            case MSE -> {
                t = target.clone();
                loss = F.mseLoss(out, Tensor.of(t, 1, outSize));
            }
            case BCE -> {
                t = target.clone();
                loss = F.binaryCrossEntropy(out, Tensor.of(t, 1, outSize));
            }
            case CROSS_ENTROPY -> {
                t = Tensor.oneHot(new int[] {targetClass}, outSize).data();
                loss = F.nllLoss(out.log(), new int[] {targetClass});
            }
            default -> throw new AssertionError(net.lossKind());
        }
        model.zeroGrad();
        loss.backward();

        List<Trace.LayerTrace> layers = new ArrayList<>();
        List<DenseNet.Layer> dl = net.denseLayers();
        List<float[][]> oldW = new ArrayList<>(), grads = new ArrayList<>();
        List<float[]> oldB = new ArrayList<>(), gradB = new ArrayList<>();
        for (int l = 0; l < dl.size(); l++) {
            DenseNet.Layer layer = dl.get(l);
            float[][] w = rows(layer.linear().weight);
            float[] b = layer.linear().bias.toArray();
            float[] z = zs.get(l).toArray(), act = acts.get(l).toArray(), dz = zs.get(l).grad().toArray();
            List<Trace.NodeTrace> nodes = new ArrayList<>();
            for (int j = 0; j < z.length; j++) nodes.add(new Trace.NodeTrace(j, w[j], b[j], z[j], act[j], dz[j]));
            layers.add(new Trace.LayerTrace(layer.name(), layer.activation().key(), ins.get(l).toArray(), nodes));
            oldW.add(w);
            oldB.add(b);
            grads.add(rows(layer.linear().weight.grad()));
            gradB.add(layer.linear().bias.grad().toArray());
        }
        new SGD(model.parameters(), lr).step();
        List<Trace.LayerUpdate> updates = new ArrayList<>();
        for (int l = 0; l < dl.size(); l++) {
            DenseNet.Layer layer = dl.get(l);
            updates.add(new Trace.LayerUpdate(layer.name(), oldW.get(l), grads.get(l), rows(layer.linear().weight),
                    oldB.get(l), gradB.get(l), layer.linear().bias.toArray()));
        }
        model.eval();
        return new Trace(modelName, input.clone(), layers, net.lossKind().name().toLowerCase(Locale.ROOT),
                out.toArray(), t, targetClass, loss.item(), lr, updates);
    }

    private static float[][] rows(Tensor w) {
        int r = w.size(0), c = w.size(1);
        float[][] out = new float[r][c];
        for (int i = 0; i < r; i++) System.arraycopy(w.data(), i * c, out[i], 0, c);
        return out;
    }
}
