package dev.glassbox.cli;

import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

import static dev.glassbox.cli.TraceText.n;
import static dev.glassbox.cli.TraceText.v;
import static dev.glassbox.cli.TraceText.vector;

/**
 * Says a GAN's trace in the terminal, every sentence from the message bundle: the two networks,
 * D's step (the probabilities it gives the real and the generated images, its loss, the
 * probabilities after its update, how far each network moved), then G's step the same way, then
 * the updates of both.
 */
final class GanText {
    private final Messages m;
    private final TraceText dense;

    GanText(Messages m) {
        this.m = m;
        this.dense = new TraceText(m);
    }

    static boolean applies(Trace t) { return !t.events(Event.GanStep.class).isEmpty(); }

    String render(Trace t) {
        StringBuilder sb = new StringBuilder();
        Graph g = t.graph();
        Event.GanStep d = t.events(Event.GanStep.class).get(0), gen = t.events(Event.GanStep.class).get(1);
        int side = g.layer("real").nodes().getFirst().shape()[0];
        sb.append(m.say("gan.title", "lr", v(t.rule().lr()), "beta1", v(t.rule().beta1()), "n", d.real().length)).append("\n\n");
        sb.append(m.say("gan.graph", "latent", g.layer("z").nodes().getFirst().shape()[0], "side", side)).append("\n\n");
        sb.append(m.say("gan.d.head")).append('\n');
        sb.append("  ").append(m.say("gan.real", "values", vector(d.real()))).append('\n');
        sb.append("  ").append(m.say("gan.fake", "values", vector(d.fake()))).append('\n');
        sb.append("  ").append(m.say("gan.d.loss", "real", n(d.realLoss()), "fake", n(d.fakeLoss()), "value", n(d.loss()))).append('\n');
        sb.append("  ").append(m.say("gan.after", "real", vector(d.realAfter()), "fake", vector(d.fakeAfter()))).append('\n');
        sb.append("  ").append(m.say("gan.moved", "d", n(d.discriminatorMoved()), "g", n(d.generatorMoved()))).append("\n\n");
        sb.append(m.say("gan.g.head")).append('\n');
        sb.append("  ").append(m.say("gan.fake", "values", vector(gen.fake()))).append('\n');
        sb.append("  ").append(m.say("gan.g.loss", "value", n(gen.loss()))).append('\n');
        sb.append("  ").append(m.say("gan.g.after", "fake", vector(gen.fakeAfter()))).append('\n');
        sb.append("  ").append(m.say("gan.moved", "d", n(gen.discriminatorMoved()), "g", n(gen.generatorMoved()))).append("\n\n");
        dense.updates(sb, t);
        return sb.toString().stripTrailing();
    }
}
