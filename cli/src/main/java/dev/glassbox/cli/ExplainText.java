package dev.glassbox.cli;

import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Seq2SeqTrace;
import dev.glassbox.models.explain.Trace;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Tells a {@link Trace} in the course's words, in English or Korean: each node's weighted sum
 * and activation, the output against the target and the loss, then each weight's update.
 * Long layers are cut in the terminal; {@code --json} has the whole trace.
 */
final class ExplainText {
    private static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("s2sTitle", new String[] {"seq2seq (%s attention) decoding '%s'", "seq2seq (%s 어텐션)로 '%s' 디코딩"}),
            Map.entry("s2sEncoder", new String[] {"encoder: one state per input character (first %d of %d values)",
                    "인코더: 입력 글자마다 상태 하나 (%d개 값 중 처음 %d개)"}),
            Map.entry("s2sAttention", new String[] {"decoder: at each output step, the attention over the input characters (percent), then the character decoded",
                    "디코더: 출력 시점마다 입력 글자에 대한 어텐션 (퍼센트), 그리고 디코딩된 글자"}),
            Map.entry("s2sNoAttention", new String[] {"decoder (no attention: it sees the input only through the encoder's final state)",
                    "디코더 (어텐션 없음: 입력은 인코더의 마지막 상태로만 전해짐)"}),
            Map.entry("s2sLooks", new String[] {"looks most at", "가장 많이 봄"}),
            Map.entry("s2sGreedy", new String[] {"greedy output: %s", "탐욕적 출력: %s"}),
            Map.entry("s2sBeam", new String[] {"beam search (width %d), best first:", "빔 서치 (폭 %d), 좋은 순:"}),
            Map.entry("paramUpdate", new String[] {"%s %s: gradient norm %s", "%s %s: 기울기 크기 %s"}));

    private final int lang;

    ExplainText(String lang) { this.lang = lang.equals("ko") ? 1 : 0; }

    private String w(String key, Object... args) { return String.format(Locale.ROOT, WORDS.get(key)[lang], args); }

    static String n(float v) { return String.format(Locale.ROOT, "%.4f", v); }

    String render(Explanation e) {
        return switch (e) {
            case Trace t when SequenceText.applies(t) -> new SequenceText(Messages.of(lang == 1 ? "ko" : "en")).render(t);
            case Trace t -> new TraceText(Messages.of(lang == 1 ? "ko" : "en")).render(t);
            case Seq2SeqTrace q -> render(q);
        };
    }

    String render(Seq2SeqTrace t) {
        StringBuilder sb = new StringBuilder();
        sb.append(w("s2sTitle", t.attention(), t.input())).append("\n\n");
        int shown = Math.min(4, t.encoderStates().length == 0 ? 0 : t.encoderStates()[0].length);
        int total = t.encoderStates().length == 0 ? 0 : t.encoderStates()[0].length;
        sb.append(lang == 0 ? w("s2sEncoder", shown, total) : w("s2sEncoder", total, shown)).append('\n');
        for (int s = 0; s < t.inputChars().size(); s++) {
            sb.append(String.format(Locale.ROOT, "  '%s' ", t.inputChars().get(s)));
            sb.append(vector(Arrays.copyOf(t.encoderStates()[s], shown))).append('\n');
        }
        sb.append('\n');
        boolean attention = !t.steps().isEmpty() && t.steps().getFirst().weights().length > 0;
        if (attention) {
            sb.append(w("s2sAttention")).append('\n').append("      ");
            int pad = t.steps().getFirst().weights().length - t.inputChars().size();
            for (String ch : t.inputChars()) sb.append(String.format(Locale.ROOT, "%4s", "'" + ch + "'"));
            sb.append('\n');
            for (Seq2SeqTrace.OutputStep st : t.steps()) {
                sb.append(String.format(Locale.ROOT, "  %2d  ", st.t()));
                int best = 0;
                for (int s = 0; s < t.inputChars().size(); s++) {
                    float wv = st.weights()[pad + s];
                    if (wv > st.weights()[pad + best]) best = s;
                    sb.append(String.format(Locale.ROOT, "%4d", Math.round(100 * wv)));
                }
                sb.append(String.format(Locale.ROOT, "  -> '%s' (p = %s), %s '%s'%n", st.decoded(), n(st.probability()), w("s2sLooks"),
                        t.inputChars().get(best)));
            }
        } else {
            sb.append(w("s2sNoAttention")).append('\n');
            for (Seq2SeqTrace.OutputStep st : t.steps()) {
                sb.append(String.format(Locale.ROOT, "  %2d  -> '%s' (p = %s)%n", st.t(), st.decoded(), n(st.probability())));
            }
        }
        sb.append('\n').append(w("s2sGreedy", t.greedy())).append('\n');
        sb.append(w("s2sBeam", t.beam().size())).append('\n');
        for (Seq2SeqTrace.Candidate c : t.beam()) sb.append("  ").append(c.output()).append("  log p = ").append(n(c.logProbability())).append('\n');
        return sb.toString();
    }

    /** Terminal columns a string takes: Hangul syllables and CJK take two. */
    static int columns(String s) {
        return s.codePoints().map(c -> (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60) ? 2 : 1).sum();
    }

    /** A whole number without decimals, else four decimals. */
    private static String v(float x) { return x == Math.rint(x) ? String.valueOf((int) x) : n(x); }

    private static String vector(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            float x = v[i];
            sb.append(x == Math.rint(x) ? String.valueOf((int) x) : n(x));
        }
        return sb.append(']').toString();
    }
}
