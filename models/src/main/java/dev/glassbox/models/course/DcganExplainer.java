package dev.glassbox.models.course;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.Updates;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real training step of a {@link Dcgan} as the course draws a GAN: a batch of real images
 * and as many of G's from z, then D's step — the real images against target 1, G's images
 * (detached: G is not part of this step) against target 0, both losses, D's weights updated and
 * G's untouched — then G's step — G's images through D against target 1, G's weights updated
 * through D and D's untouched — with the probabilities D gives before and after each step. The
 * same calls, optimizers (Adam, β = (0.5, 0.999)) and losses as training.
 */
final class DcganExplainer {
    private DcganExplainer() {}

    private static final int SHOWN = 4, WHOLE = 64;

    static Trace explain(Dcgan gan, float[] realImages, int n, float lr, long seed) {
        int side = gan.side;
        Adam dOpt = new Adam(gan.discriminator.parameters(), lr).betas(0.5f, 0.999f);
        Adam gOpt = new Adam(gan.generator.parameters(), lr).betas(0.5f, 0.999f);
        Tensor real = Tensor.of(realImages, n, side * side), z = Tensor.randn(new Generator(seed), n, gan.latent);
        List<Event> events = new ArrayList<>();
        gan.train();

        // D's step, as training takes it
        Map<String, float[]> d0 = values(gan.discriminator.namedParameters()), g0 = values(gan.generator.namedParameters());
        Tensor fake = gan.generator.forward(z);
        float[] fakeImages = fake.add(1f).mul(0.5f).toArray();
        Tensor realLogits = gan.discriminate(real), fakeLogits = gan.discriminator.forward(fake.detach());
        Tensor lossReal = Dcgan.against(realLogits, 1f), lossFake = Dcgan.against(fakeLogits, 0f);
        Tensor dLoss = lossReal.add(lossFake);
        dOpt.zeroGrad();
        dLoss.backward();
        Map<String, float[]> dGrads = grads(gan.discriminator.namedParameters());
        dOpt.step();
        float[][] afterD = probabilities(gan, real, fake.detach());
        Map<String, float[]> d1 = values(gan.discriminator.namedParameters()), g1 = values(gan.generator.namedParameters());
        events.add(new Event.GanStep("discriminator", realLogits.sigmoid().toArray(), fakeLogits.sigmoid().toArray(), 1f, 0f, lossReal.item(),
                lossFake.item(), dLoss.item(), afterD[0], afterD[1], moved(d0, d1), moved(g0, g1)));
        events.addAll(Updates.adam(prefixed("discriminator.", gan.discriminator.namedParameters()), prefixed("discriminator.", d0),
                prefixed("discriminator.", dGrads), dOpt.state(), WHOLE, SHOWN));

        // G's step: G's images through the updated D, against target 1
        Tensor gLogits = gan.discriminator.forward(fake);
        Tensor gLoss = Dcgan.against(gLogits, 1f);
        gOpt.zeroGrad();
        gLoss.backward();
        Map<String, float[]> gGrads = grads(gan.generator.namedParameters());
        gOpt.step();
        Tensor fakeAfter;
        try (var ignored = GradMode.noGrad()) {
            fakeAfter = gan.generator.forward(z);
        }
        float[][] afterG = probabilities(gan, real, fakeAfter);
        Map<String, float[]> d2 = values(gan.discriminator.namedParameters()), g2 = values(gan.generator.namedParameters());
        events.add(new Event.GanStep("generator", new float[0], gLogits.sigmoid().toArray(), 1f, 1f, 0f, gLoss.item(), gLoss.item(),
                new float[0], afterG[1], moved(d1, d2), moved(g1, g2)));
        events.addAll(Updates.adam(prefixed("generator.", gan.generator.namedParameters()), prefixed("generator.", g1),
                prefixed("generator.", gGrads), gOpt.state(), WHOLE, SHOWN));
        gan.eval();

        List<Graph.Weight> weights = new ArrayList<>();
        prefixed("discriminator.", d0).forEach((id, v) -> weights.add(weight(gan, id, v)));
        prefixed("generator.", g0).forEach((id, v) -> weights.add(weight(gan, id, v)));
        List<Graph.Layer> layers = List.of(
                new Graph.Layer("z", "z", Graph.Role.INPUT, null, List.of(new Graph.Node("z.1", "z", Graph.NodeKind.VECTOR, new int[] {gan.latent}))),
                new Graph.Layer("fake", "G(z)", Graph.Role.HIDDEN, "tanh", List.of(new Graph.Node("fake.1", "G(z)", Graph.NodeKind.MAP, new int[] {side, side}))),
                new Graph.Layer("real", "X", Graph.Role.INPUT, null, List.of(new Graph.Node("real.1", "X", Graph.NodeKind.MAP, new int[] {side, side}))),
                new Graph.Layer("d", "D(·)", Graph.Role.OUTPUT, "sigmoid", List.of(new Graph.Node("d.1", "D", Graph.NodeKind.UNIT))));
        List<Graph.Connection> connections = List.of(new Graph.Connection("z", "fake", Graph.Pattern.NETWORK, null, null),
                new Graph.Connection("fake", "d", Graph.Pattern.NETWORK, null, null), new Graph.Connection("real", "d", Graph.Pattern.NETWORK, null, null));
        float[] input = new float[2 * n * side * side];
        System.arraycopy(realImages, 0, input, 0, n * side * side);
        System.arraycopy(fakeImages, 0, input, n * side * side, n * side * side);
        return new Trace(Trace.SCHEMA, "dcgan", null, List.of(), new Graph(layers, connections, weights),
                new Trace.Example(input, new int[] {2 * n, side, side}, null, null), Trace.Rule.adam(lr, 0.5f, 0.999f, 1e-8f, 1), events);
    }

    /** D's probabilities for the real images and for {@code fakes}, without a graph (batch norm in training mode, as the step). */
    private static float[][] probabilities(Dcgan gan, Tensor real, Tensor fakes) {
        try (var ignored = GradMode.noGrad()) {
            return new float[][] {gan.discriminate(real).sigmoid().toArray(), gan.discriminator.forward(fakes).sigmoid().toArray()};
        }
    }

    private static Graph.Weight weight(Dcgan gan, String id, float[] v) {
        Parameter p = gan.namedParameters().get(id);
        return new Graph.Weight(id, id, p.shape(), v, Graph.Training.TRAINED);
    }

    private static Map<String, float[]> values(Map<String, Parameter> ps) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ps.forEach((k, p) -> out.put(k, p.toArray()));
        return out;
    }

    private static Map<String, float[]> grads(Map<String, Parameter> ps) {
        Map<String, float[]> out = new LinkedHashMap<>();
        ps.forEach((k, p) -> out.put(k, p.grad().toArray()));
        return out;
    }

    private static <V> Map<String, V> prefixed(String prefix, Map<String, V> m) {
        Map<String, V> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** The norm of after − before over all of a network's weights. */
    private static float moved(Map<String, float[]> before, Map<String, float[]> after) {
        double s = 0;
        for (var e : before.entrySet()) {
            float[] a = after.get(e.getKey()), b = e.getValue();
            for (int i = 0; i < b.length; i++) s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return (float) Math.sqrt(s);
    }
}
