package dev.glassbox.models.transformer;

import dev.glassbox.models.text.Draw;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.tensor.Generator;

import java.util.List;

/**
 * Text from a trained Transformer language model, one token at a time through the key/value
 * cache ({@link TransformerLM.Generation}): the prompt's tokens are fed, then each next token is
 * drawn from softmax(scores / temperature), over the {@code topK} most likely tokens only when
 * topK is positive, and fed back.
 */
public final class TransformerSampling {
    private TransformerSampling() {}

    public static String sample(TransformerLM m, String prompt, int length, float temperature, int topK, long seed) {
        InvalidSettingException.check(length >= 0, "length", "must be 0 or more, got " + length);
        InvalidSettingException.check(temperature > 0 && Float.isFinite(temperature), "temperature", "must be positive, got " + temperature);
        InvalidSettingException.check(topK >= 0, "topK", "must be 0 (all tokens) or more, got " + topK);
        List<String> toks = TextData.tokens(prompt, m.vocab.kind());
        if (toks.isEmpty()) toks = List.of(m.vocab.tokens().contains("\n") ? "\n" : m.vocab.tokens().getFirst());
        int[] ids = TextData.encode(toks, m.vocab);
        Generator g = new Generator(seed);
        StringBuilder sb = new StringBuilder(prompt);
        m.eval();
        TransformerLM.Generation gen = m.generator();
        float[] scores = null;
        for (int id : ids) scores = gen.feed(id);
        for (int i = 0; i < length; i++) {
            int next = Draw.token(scores, temperature, topK, g);
            if (m.vocab.words()) sb.append(sb.isEmpty() || sb.charAt(sb.length() - 1) == ' ' ? "" : " ");
            sb.append(m.vocab.tokens().get(next));
            scores = gen.feed(next);
        }
        return sb.toString();
    }
}
