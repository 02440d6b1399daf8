package dev.glassbox.models.rnn;

import dev.glassbox.models.text.Draw;
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
        return sample(m, prompt, length, temperature, 0, seed);
    }

    /** {@link #sample} drawing among the {@code topK} most likely tokens only (0: all of them). */
    public static String sample(LanguageModel m, String prompt, int length, float temperature, int topK, long seed) {
        InvalidSettingException.check(topK >= 0, "topK", "must be 0 (all tokens) or more, got " + topK);
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
                int next = Draw.token(last, temperature, topK, g);
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
}
