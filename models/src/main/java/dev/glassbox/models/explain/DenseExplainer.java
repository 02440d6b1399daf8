package dev.glassbox.models.explain;

import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs one real training step of a network of dense layers on one example and records it as a
 * {@link Trace}. Nothing is computed beside the model: the forward pass is the model's own
 * (its function for the step, e.g. {@code model::forward} or a stage's), each layer's input and
 * weighted sums are taken by forward hooks on its {@link Linear} modules, the gradients come
 * from {@code backward()}, and the update is a real step of the recipe's optimizer over the
 * weights this step trains. The model's weights are changed by that step.
 */
public final class DenseExplainer {
    private DenseExplainer() {}

    /** How the last layer's output is scored. */
    public enum LossKind {
        /** mean of (ŷ − t)² over the outputs. */
        MSE,
        /** −(t·ln p + (1 − t)·ln(1 − p)), p = σ(z), on the logit. */
        BCE,
        /** −ln p_t, p = softmax(z), on the logits. */
        CROSS_ENTROPY
    }

    /** The optimizer of the step: the course's plain SGD, or Adam as the recipe trains with. */
    public enum Optimizing { SGD, ADAM }

    /**
     * A dense layer as the course draws it: the module, the activation of its units, its
     * label, its units' labels ({@code nodePrefix} + 1, 2, ...), its weights' labels, and whether
     * this step trains it.
     */
    public record Layer(String id, String label, Linear linear, Activation activation, String nodePrefix, String weightLabel,
                        String biasLabel, Graph.Training training) {}

    /**
     * One step to explain: the model, which stage (or null), the input layer's label and node
     * prefix, the layers in order, the model's function from the input [1, in] to the last
     * layer's output — its weighted sums when {@code loss} scores logits (BCE,
     * cross-entropy), its activation when it scores values (MSE) — and how to update.
     */
    public record Step(String model, Module module, Trace.Stage stage, String inputLabel, String inputPrefix, List<Layer> layers,
                       Function<Tensor, Tensor> forward, LossKind loss, Optimizing optimizing) {}

    /** Runs the step on {@code input} against {@code target} (values) or {@code targetClass}. */
    public static Trace explain(Step s, float[] input, float[] target, Integer targetClass, float lr) {
        Map<Linear, Tensor[]> seen = new IdentityHashMap<>();               // layer -> {input, z}
        List<Module.HookHandle> hooks = new ArrayList<>();
        for (Layer l : s.layers()) {
            hooks.add(l.linear().registerForwardHook((m, in, out) -> seen.put((Linear) m, new Tensor[] {in, out.retainGrad()})));
        }
        Map<String, float[]> before = new LinkedHashMap<>();
        List<Graph.Weight> weights = new ArrayList<>();
        List<Parameter> trained = new ArrayList<>();
        for (Layer l : s.layers()) {
            weights.add(weight(l.id() + ".weight", l.weightLabel(), l.linear().weight, l.training()));
            if (l.linear().bias != null) weights.add(weight(l.id() + ".bias", l.biasLabel(), l.linear().bias, l.training()));
            if (l.training() == Graph.Training.TRAINED) {
                trained.add(l.linear().weight);
                if (l.linear().bias != null) trained.add(l.linear().bias);
            }
        }
        for (Graph.Weight w : weights) before.put(w.id(), w.values());

        s.module().train();
        Tensor out;
        try {
            out = s.forward().apply(Tensor.of(input, 1, input.length));       // the model's own forward: [1, out]
        } finally {
            hooks.forEach(Module.HookHandle::close);
        }
        Layer last = s.layers().getLast();
        Tensor zLast = seen.get(last.linear())[1];
        int outSize = zLast.size(1);
        float[] t;
        Tensor loss, a;
        switch (s.loss()) {
            case MSE -> {
                a = out;                                                         // the activated output the model returned
                t = target.clone();
                loss = F.mseLoss(out, Tensor.of(t, 1, outSize));
            }
            case BCE -> {
                a = last.activation().apply(out);                                 // p = σ(z), for the trace
                t = target.clone();
                loss = F.binaryCrossEntropyWithLogits(out, Tensor.of(t, 1, outSize));
            }
            case CROSS_ENTROPY -> {
                a = last.activation().apply(out);                                 // softmax(z), for the trace
                t = Tensor.oneHot(new int[] {targetClass}, outSize).data();
                loss = F.crossEntropy(out, new int[] {targetClass});
            }
            default -> throw new AssertionError(s.loss());
        }
        Optimizer opt = s.optimizing() == Optimizing.ADAM ? new Adam(trained, lr) : new SGD(trained, lr);
        s.module().zeroGrad();
        loss.backward();

        List<Event> events = new ArrayList<>();
        List<Graph.Layer> layers = new ArrayList<>();
        List<Graph.Connection> connections = new ArrayList<>();
        layers.add(layer("input", s.inputLabel(), Graph.Role.INPUT, null, s.inputPrefix(), input.length, s.layers().getFirst().linear().bias != null));
        String from = "input";
        for (int i = 0; i < s.layers().size(); i++) {
            Layer l = s.layers().get(i);
            Tensor[] io = seen.get(l.linear());
            float[] x = io[0].toArray(), z = io[1].toArray();
            float[] act = i + 1 < s.layers().size() ? seen.get(s.layers().get(i + 1).linear())[0].toArray() : a.toArray();
            float[] w = l.linear().weight.toArray(), b = l.linear().bias == null ? null : l.linear().bias.toArray();
            boolean lastLayer = i == s.layers().size() - 1;
            boolean nextHasBias = !lastLayer && s.layers().get(i + 1).linear().bias != null;
            layers.add(layer(l.id(), l.label(), lastLayer ? Graph.Role.OUTPUT : Graph.Role.HIDDEN, l.activation().key(), l.nodePrefix(), z.length,
                    nextHasBias));
            connections.add(new Graph.Connection(from, l.id(), Graph.Pattern.DENSE, l.id() + ".weight", b == null ? null : l.id() + ".bias"));
            for (int j = 0; j < z.length; j++) {
                float[] row = new float[x.length];
                System.arraycopy(w, j * x.length, row, 0, x.length);
                events.add(new Event.Forward(l.id(), l.id() + "." + (j + 1), x, row, b == null ? 0f : b[j], z[j], l.activation().key(), act[j]));
            }
            from = l.id();
        }
        events.add(new Event.Loss(s.loss().name().toLowerCase(Locale.ROOT), last.id(), a.toArray(), t, targetClass, loss.item()));
        for (int i = s.layers().size() - 1; i >= 0; i--) {
            Layer l = s.layers().get(i);
            float[] dz = seen.get(l.linear())[1].grad().toArray();
            for (int j = 0; j < dz.length; j++) events.add(new Event.NodeGradient(l.id(), l.id() + "." + (j + 1), dz[j]));
        }
        Map<String, float[]> grads = new LinkedHashMap<>();
        for (Layer l : s.layers()) {
            if (l.training() != Graph.Training.TRAINED) continue;
            grads.put(l.id() + ".weight", l.linear().weight.grad().toArray());
            if (l.linear().bias != null) grads.put(l.id() + ".bias", l.linear().bias.grad().toArray());
        }
        grads.forEach((id, g) -> events.add(new Event.WeightGradient(id, g)));
        opt.step();
        Optimizer.State state = opt.state();
        int p = 0;
        for (Layer l : s.layers()) {
            if (l.training() != Graph.Training.TRAINED) continue;
            for (Parameter param : l.linear().bias == null ? List.of(l.linear().weight) : List.of(l.linear().weight, l.linear().bias)) {
                String id = l.id() + (param == l.linear().weight ? ".weight" : ".bias");
                events.add(new Event.Update(id, before.get(id), grads.get(id), param.toArray(), state.buffers().get(p + ".exp_avg"),
                        state.buffers().get(p + ".exp_avg_sq")));
                p++;
            }
        }
        s.module().eval();
        Trace.Rule rule = s.optimizing() == Optimizing.ADAM ? Trace.Rule.adam(lr, 0.9f, 0.999f, 1e-8f, 1) : Trace.Rule.sgd(lr);
        int[] shape = {input.length};
        return new Trace(Trace.SCHEMA, s.model(), s.stage(), List.of(), new Graph(layers, connections, weights),
                new Trace.Example(input.clone(), shape, t, targetClass), rule, events);
    }

    private static Graph.Weight weight(String id, String label, Parameter p, Graph.Training training) {
        return new Graph.Weight(id, label, p.shape(), p.toArray(), training);
    }

    /** A layer's units labelled prefix1, prefix2, ..., and its bias node when the next layer's arrows carry a bias. */
    private static Graph.Layer layer(String id, String label, Graph.Role role, String activation, String prefix, int units, boolean withBias) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 1; j <= units; j++) nodes.add(new Graph.Node(id + "." + j, prefix + j, Graph.NodeKind.UNIT));
        if (withBias) nodes.add(new Graph.Node(id + ".bias", "1", Graph.NodeKind.BIAS));
        return new Graph.Layer(id, label, role, activation, nodes);
    }
}
