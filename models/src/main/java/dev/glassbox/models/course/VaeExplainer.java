package dev.glassbox.models.course;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.Updates;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real Adam step of a {@link Vae} on one image, as the course draws the VAE: X through the
 * encoder (ReLU units), the latent layer read as μ and log σ² (two dense layers), each latent
 * unit drawn as z = μ + σ·ε with the ε the step drew, the decoder (ReLU units, then sigmoid
 * units X̂); loss 2, the reconstruction of X itself (binary cross-entropy summed over the
 * pixels), loss 1, the KL divergence of N(μ, σ²) from N(0, 1) unit by unit, and their sum; the
 * backward pass node by node, with the gradient reaching μ and log σ² both through z and from
 * the KL term; each weight's gradient and Adam's update. Every value is the model's own, taken
 * by forward hooks on its layers.
 */
final class VaeExplainer {
    private VaeExplainer() {}

    private static final int SHOWN = 8, WHOLE = 512;

    static Trace explain(Vae vae, float[] input, float lr, long seed) {
        List<Linear> linears = List.of(vae.encoder, vae.mu, vae.logvar, vae.decoderHidden, vae.decoderOut);
        Map<Linear, Tensor[]> seen = new IdentityHashMap<>();                 // layer -> {input, weighted sums}
        List<Module.HookHandle> hooks = new ArrayList<>();
        for (Linear l : linears) hooks.add(l.registerForwardHook((m, in, out) -> seen.put((Linear) m, new Tensor[] {in, out.retainGrad()})));
        Map<String, Parameter> params = vae.namedParameters();
        Map<String, float[]> before = new LinkedHashMap<>();
        List<Graph.Weight> weights = new ArrayList<>();
        params.forEach((id, p) -> {
            before.put(id, p.toArray());
            weights.add(new Graph.Weight(id, label(id), p.shape(), p.toArray(), Graph.Training.TRAINED));
        });

        vae.train();
        Vae.Pass pass;
        try {
            pass = vae.pass(Tensor.of(input, 1, input.length), new Generator(seed));   // the model's own pass, ε from the seed
        } finally {
            hooks.forEach(Module.HookHandle::close);
        }
        pass.z().retainGrad();
        Tensor loss = pass.loss();
        Adam opt = new Adam(new ArrayList<>(params.values()), lr);                     // the recipe's optimizer
        vae.zeroGrad();
        loss.backward();

        int latent = vae.latent;
        List<Graph.Layer> layers = List.of(
                layer("input", "X", Graph.Role.INPUT, null, "x", input.length, true),
                layer("encoder", "H", Graph.Role.HIDDEN, "relu", "h", vae.hidden, true),
                layer("mu", "μ", Graph.Role.HIDDEN, "identity", "μ", latent, false),
                layer("logvar", "log σ²", Graph.Role.HIDDEN, "identity", "log σ²", latent, false),
                layer("z", "z", Graph.Role.HIDDEN, null, "z", latent, true),
                layer("decoder_hidden", "H'", Graph.Role.HIDDEN, "relu", "h'", vae.hidden, true),
                layer("decoder_out", "X̂", Graph.Role.OUTPUT, "sigmoid", "x̂", input.length, false));
        List<Graph.Connection> connections = List.of(
                dense("input", "encoder"), dense("encoder", "mu"), dense("encoder", "logvar"),
                new Graph.Connection("mu", "z", Graph.Pattern.REPARAMETERIZE, null, null),
                new Graph.Connection("logvar", "z", Graph.Pattern.REPARAMETERIZE, null, null),
                dense("z", "decoder_hidden"), dense("decoder_hidden", "decoder_out"));

        List<Event> events = new ArrayList<>();
        float[] h = seen.get(vae.mu)[0].toArray(), hPrime = seen.get(vae.decoderOut)[0].toArray();
        float[] mu = pass.code().mu().toArray(), lv = pass.code().logvar().toArray(), eps = pass.eps().toArray(), z = pass.z().toArray();
        float[] xHat = pass.logits().sigmoid().toArray();
        forward(events, "encoder", vae.encoder, seen, "relu", h);
        forward(events, "mu", vae.mu, seen, "identity", mu);
        forward(events, "logvar", vae.logvar, seen, "identity", lv);
        for (int j = 0; j < latent; j++) {
            events.add(new Event.Reparameterize("z", j + 1, mu[j], lv[j], (float) Math.exp(0.5 * lv[j]), eps[j], z[j]));
        }
        forward(events, "decoder_hidden", vae.decoderHidden, seen, "relu", hPrime);
        forward(events, "decoder_out", vae.decoderOut, seen, "sigmoid", xHat);

        float recon = pass.recon().item(), kl = pass.kl().item();
        events.add(new Event.Loss("bce_sum", "decoder_out", xHat, input.clone(), null, recon));
        float[] terms = new float[latent];
        for (int j = 0; j < latent; j++) terms[j] = (float) (-0.5 * (1 + lv[j] - mu[j] * mu[j] - Math.exp(lv[j])));
        events.add(new Event.KlDivergence("mu", "logvar", terms, kl));
        events.add(new Event.TotalLoss(new float[] {kl, recon}, "sum", loss.item()));

        nodeGradients(events, "decoder_out", seen.get(vae.decoderOut)[1]);
        nodeGradients(events, "decoder_hidden", seen.get(vae.decoderHidden)[1]);
        nodeGradients(events, "z", pass.z());
        float[] dz = pass.z().grad().toArray(), dMu = seen.get(vae.mu)[1].grad().toArray(), dLv = seen.get(vae.logvar)[1].grad().toArray();
        for (int j = 0; j < latent; j++) {
            float sigma = (float) Math.exp(0.5 * lv[j]);
            events.add(new Event.LatentGradient(j + 1, dz[j], mu[j], dMu[j], 0.5f * sigma * eps[j] * dz[j], 0.5f * (sigma * sigma - 1), dLv[j]));
        }
        nodeGradients(events, "mu", seen.get(vae.mu)[1]);
        nodeGradients(events, "logvar", seen.get(vae.logvar)[1]);
        nodeGradients(events, "encoder", seen.get(vae.encoder)[1]);
        Updates.record(params, before, opt, events, WHOLE, SHOWN);
        vae.eval();
        return new Trace(Trace.SCHEMA, "vae", null, List.of(), new Graph(layers, connections, weights),
                new Trace.Example(input.clone(), new int[] {input.length}, input.clone(), null), Trace.Rule.adam(lr, 0.9f, 0.999f, 1e-8f, 1), events);
    }

    /** The forward events of a dense layer: each unit's inputs, weights, bias, weighted sum and activated value. */
    private static void forward(List<Event> events, String id, Linear l, Map<Linear, Tensor[]> seen, String activation, float[] values) {
        float[] x = seen.get(l)[0].toArray(), sums = seen.get(l)[1].toArray(), w = l.weight.toArray(), b = l.bias.toArray();
        for (int j = 0; j < sums.length; j++) {
            float[] row = new float[x.length];
            System.arraycopy(w, j * x.length, row, 0, x.length);
            events.add(new Event.Forward(id, id + "." + (j + 1), x, row, b[j], sums[j], activation, values[j]));
        }
    }

    private static void nodeGradients(List<Event> events, String layer, Tensor t) {
        float[] g = t.grad().toArray();
        for (int j = 0; j < g.length; j++) events.add(new Event.NodeGradient(layer, layer + "." + (j + 1), g[j]));
    }

    private static Graph.Connection dense(String from, String to) {
        return new Graph.Connection(from, to, Graph.Pattern.DENSE, to + ".weight", to + ".bias");
    }

    private static Graph.Layer layer(String id, String label, Graph.Role role, String activation, String prefix, int units, boolean withBias) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 1; j <= units; j++) nodes.add(new Graph.Node(id + "." + j, prefix + j, Graph.NodeKind.UNIT));
        if (withBias) nodes.add(new Graph.Node(id + ".bias", "1", Graph.NodeKind.BIAS));
        return new Graph.Layer(id, label, role, activation, nodes);
    }

    /** The course's names: W and b of the encoder, W_μ, W_σ (of log σ²), W' and b' of the decoder's layers. */
    static String label(String id) {
        return switch (id) {
            case "encoder.weight" -> "W_enc";
            case "encoder.bias" -> "b_enc";
            case "mu.weight" -> "W_μ";
            case "mu.bias" -> "b_μ";
            case "logvar.weight" -> "W_logσ²";
            case "logvar.bias" -> "b_logσ²";
            case "decoder_hidden.weight" -> "W_dec1";
            case "decoder_hidden.bias" -> "b_dec1";
            case "decoder_out.weight" -> "W_dec2";
            case "decoder_out.bias" -> "b_dec2";
            default -> id;
        };
    }
}
