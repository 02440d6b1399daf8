package dev.glassbox.cli;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import java.util.List;

import static dev.glassbox.cli.TraceText.n;
import static dev.glassbox.cli.TraceText.shape;
import static dev.glassbox.cli.TraceText.v;
import static dev.glassbox.cli.TraceText.vector;

/**
 * Says a VAE's trace in the terminal, every sentence from the message bundle: the network, the
 * image, the encoder's and the latent layers' units (weights times inputs, summed, activated),
 * each latent unit drawn as z = μ + σ·ε, the decoder, loss 2 and loss 1 from their formulas and
 * their sum, the gradients (with the two ways they reach μ and log σ²) and the updates.
 */
final class VaeText {
    private final Messages m;
    private final TraceText dense;

    VaeText(Messages m) {
        this.m = m;
        this.dense = new TraceText(m);
    }

    static boolean applies(Trace t) { return !t.events(Event.Reparameterize.class).isEmpty(); }

    String render(Trace t) {
        StringBuilder sb = new StringBuilder();
        Graph g = t.graph();
        sb.append(m.say("vae.title", "rule", m.say("rule." + t.rule().name()), "lr", v(t.rule().lr()))).append("\n\n");
        sb.append(m.say("vae.graph", "in", g.layer("input").units(), "hidden", g.layer("encoder").units(), "latent", g.layer("z").units())).append('\n');
        for (Graph.Connection c : g.connections()) {
            if (c.weight() == null) continue;
            Graph.Weight w = g.weight(c.weight());
            sb.append("  ").append(m.say("graph.weight", "label", w.label() + ", " + g.weight(c.bias()).label(), "shape", shape(w.shape()),
                    "to", g.layer(c.to()).label(), "frozen", "")).append('\n');
        }
        sb.append('\n').append(m.say("vae.input", "count", t.example().input().length, "values", vector(t.example().input()))).append("\n\n");
        sb.append(m.say("forward.head")).append('\n');
        for (String id : List.of("encoder", "mu", "logvar")) dense.forward(sb, t, g.layer(id));
        sb.append(m.say("vae.z.head")).append('\n');
        for (Event.Reparameterize r : t.events(Event.Reparameterize.class)) {
            sb.append("  ").append(m.say("vae.z.node", "node", r.node(), "mu", n(r.mu()), "sigma", n(r.sigma()), "eps", TraceText.signed(r.eps()), "epsDrawn", n(r.eps()), "z", n(r.z()),
                    "logvar", TraceText.signed(r.logvar()))).append('\n');
        }
        sb.append('\n');
        for (String id : List.of("decoder_hidden", "decoder_out")) dense.forward(sb, t, g.layer(id));

        Event.Loss recon = t.events(Event.Loss.class).getFirst();
        Event.KlDivergence kl = t.events(Event.KlDivergence.class).getFirst();
        Event.TotalLoss total = t.events(Event.TotalLoss.class).getFirst();
        sb.append(m.say("vae.loss.head")).append('\n');
        sb.append("  ").append(m.say("loss.output", "label", g.layer(recon.layer()).label(), "values", vector(recon.output()))).append('\n');
        sb.append("  ").append(m.say("vae.loss.recon", "count", recon.output().length, "value", n(recon.value()))).append('\n');
        sb.append("  ").append(m.say("vae.loss.kl", "terms", vector(kl.terms()), "value", n(kl.value()))).append('\n');
        sb.append("  ").append(m.say("vae.loss.total", "kl", n(kl.value()), "recon", n(recon.value()), "value", n(total.value()))).append("\n\n");

        dense.backward(sb, t);
        sb.append(m.say("vae.grad.head")).append('\n');
        for (Event.LatentGradient lg : t.events(Event.LatentGradient.class)) {
            sb.append("  ").append(m.say("vae.grad.node", "node", lg.node(), "dz", n(lg.dz()), "muKl", TraceText.signed(lg.muFromKl()), "mu", n(lg.mu()),
                    "lvZ", n(lg.logvarFromZ()), "lvKl", TraceText.signed(lg.logvarFromKl()), "lv", n(lg.logvar()))).append('\n');
        }
        sb.append('\n');
        dense.updates(sb, t);
        return sb.toString().stripTrailing();
    }
}
