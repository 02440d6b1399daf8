package dev.glassbox.cli;

import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Trace;

/**
 * Says an explanation in the terminal, in English or Korean, every sentence from the message
 * bundle: a network unrolled in time by {@link SequenceText}, seq2seq by {@link Seq2SeqText}, the
 * Transformer by {@link TransformerText}, the VAE by {@link VaeText}, the DCGAN by {@link GanText},
 * every other trace node by node or map by map by {@link TraceText}. Long layers are cut in the
 * terminal; {@code --json} has the whole trace.
 */
final class ExplainText {
    private final Messages m;

    ExplainText(String lang) { this.m = Messages.of(lang); }

    String render(Explanation e) {
        Trace t = (Trace) e;
        if (Seq2SeqText.applies(t)) return new Seq2SeqText(m).render(t);
        if (TransformerText.applies(t)) return new TransformerText(m).render(t);
        if (VaeText.applies(t)) return new VaeText(m).render(t);
        if (GanText.applies(t)) return new GanText(m).render(t);
        if (SequenceText.applies(t)) return new SequenceText(m).render(t);
        return new TraceText(m).render(t);
    }
}
