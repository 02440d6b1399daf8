package dev.glassbox.models.rnn;

import dev.glassbox.models.text.TextData;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/** Text from a trained language model: a prompt sets the state, then each next token is drawn and fed back. */
public final class Sampling {
    private Sampling() {}

    /**
     * Text generated after {@code prompt}: the prompt's tokens set the state, then each next token
     * is drawn from softmax(scores / temperature) and fed back in.
     */
    public static String sample(LanguageModel m, String prompt, int length, float temperature, long seed) {
        InvalidSettingException.check(length >= 0, "length", "must be 0 or more, got " + length);
        InvalidSettingException.check(temperature > 0 && Float.isFinite(temperature), "temperature", "must be positive, got " + temperature);
        List<String> toks = TextData.tokens(prompt, m.vocab.kind());
        if (toks.isEmpty()) toks = List.of(m.vocab.words() ? m.vocab.tokens().getFirst() : m.vocab.tokens().contains("\n") ? "\n" : m.vocab.tokens().getFirst());
        int[] ids = TextData.encode(toks, m.vocab);
        Generator g = new Generator(seed);
        StringBuilder sb = new StringBuilder(prompt);
        m.eval();
        try (var ignored = GradMode.noGrad()) {
            LanguageModel.Step st = m.step(ids, 1, ids.length, null, null);
            float[] last = st.logits().select(1, ids.length - 1).reshape(-1).toArray();
            Tensor h = st.h(), c = st.c();
            for (int i = 0; i < length; i++) {
                int next = draw(last, temperature, g);
                String tok = m.vocab.tokens().get(next);
                if (m.vocab.words()) sb.append(sb.isEmpty() || sb.charAt(sb.length() - 1) == ' ' ? "" : " ");
                sb.append(tok);
                st = m.step(new int[] {next}, 1, 1, h, c);
                h = st.h();
                c = st.c();
                last = st.logits().reshape(-1).toArray();
            }
        }
        return sb.toString();
    }

    /** A prompt for the sample shown after training: {@code wanted} if the vocabulary has all of it, else none. */
    static String promptFor(LanguageModel m, String wanted) {
        for (String t : TextData.tokens(wanted, m.vocab.kind())) if (!m.vocab.tokens().contains(t)) return "";
        return wanted;
    }

    private static int draw(float[] scores, float temperature, Generator g) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) max = Math.max(max, s / temperature);
        double[] p = new double[scores.length];
        double z = 0;
        for (int i = 0; i < p.length; i++) z += p[i] = Math.exp(scores[i] / temperature - max);
        double u = g.uniform(0f, 1f) * z;
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u <= 0) return i;
        }
        return p.length - 1;
    }
}
