package dev.glassbox.models.explain;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recomputes a GAN's trace by hand: each step's losses from D's probabilities and the targets
 * (the mean binary cross-entropy of each half, and their sum), that D's step moves only D and
 * G's step only G, that G's step starts from the probabilities D's update left, that each step
 * lowers its own loss, and every Adam update of the first step.
 */
public final class GanTraceCheck {
    private GanTraceCheck() {}

    public static void verify(Trace t) {
        List<Event.GanStep> steps = t.events(Event.GanStep.class);
        assertEquals(2, steps.size());
        Event.GanStep d = steps.get(0), g = steps.get(1);
        assertEquals("discriminator", d.trains());
        assertEquals("generator", g.trains());
        assertEquals(1f, d.realTarget());
        assertEquals(0f, d.fakeTarget());
        assertEquals(1f, g.fakeTarget());
        double realLoss = meanLoss(d.real(), 1), fakeLoss = meanLoss(d.fake(), 0);
        assertEquals(realLoss, d.realLoss(), 1e-5, "-mean ln D(X)");
        assertEquals(fakeLoss, d.fakeLoss(), 1e-5, "-mean ln(1 - D(G(z)))");
        assertEquals(d.realLoss() + d.fakeLoss(), d.loss(), 1e-5, "D's loss: the two halves");
        assertTrue(meanLoss(d.realAfter(), 1) + meanLoss(d.fakeAfter(), 0) < d.loss(), "D's step lowers D's loss");
        assertTrue(d.discriminatorMoved() > 0, "D's step moves D");
        assertEquals(0f, d.generatorMoved(), "D's step leaves G exactly as it was");

        for (int i = 0; i < g.fake().length; i++) assertEquals(d.fakeAfter()[i], g.fake()[i], 1e-6f, "G's step starts where D's left image " + i);
        assertEquals(meanLoss(g.fake(), 1), g.loss(), 1e-5, "G's loss: -mean ln D(G(z))");
        assertTrue(meanLoss(g.fakeAfter(), 1) < g.loss(), "G's step lowers G's loss");
        assertTrue(g.generatorMoved() > 0, "G's step moves G");
        assertEquals(0f, g.discriminatorMoved(), "G's step leaves D exactly as it was");

        Trace.Rule r = t.rule();
        List<Event.Update> updates = t.events(Event.Update.class);
        assertTrue(updates.stream().anyMatch(u -> u.weight().startsWith("discriminator.")) && updates.stream().anyMatch(u -> u.weight().startsWith("generator.")));
        for (Event.Update u : updates) {
            for (int k = 0; k < u.before().length; k++) {
                float gk = u.gradient()[k];
                double m = (1 - r.beta1()) * gk, v = (1 - r.beta2()) * gk * gk;
                double step = r.lr() * (m / (1 - r.beta1())) / (Math.sqrt(v / (1 - r.beta2())) + r.eps());
                assertEquals(u.before()[k] - step, u.after()[k], 1e-6 + 1e-5 * Math.abs(u.before()[k]), u.weight() + " update " + k);
            }
        }
    }

    private static double meanLoss(float[] p, int target) {
        double s = 0;
        for (float x : p) s -= target == 1 ? Math.log(x) : Math.log(1 - x);
        return s / p.length;
    }
}
