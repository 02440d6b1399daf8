package dev.glassbox.cli;

import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.explain.Seq2SeqTrace;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.Word2VecTrace;

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
            Map.entry("target", new String[] {"target", "정답"}),
            Map.entry("loss", new String[] {"loss", "손실"}),
            Map.entry("cross_entropy", new String[] {"cross-entropy", "교차 엔트로피"}),
            Map.entry("image", new String[] {"image", "이미지"}),
            Map.entry("filter", new String[] {"filter", "필터"}),
            Map.entry("window", new String[] {"window", "창"}),
            Map.entry("w2vTitle", new String[] {"The course's word2vec, step by step (learning rate %s)", "강의의 word2vec, 단계별 계산 (학습률 %s)"}),
            Map.entry("sentences", new String[] {"sentences", "문장"}),
            Map.entry("vocab", new String[] {"vocabulary (%d words)", "어휘 (단어 %d개)"}),
            Map.entry("pairs", new String[] {"training pairs of '%s', window %d word each side (centre -> context):",
                    "'%s'의 학습 쌍, 앞뒤 %d단어 창 (중심 단어 -> 주변 단어):"}),
            Map.entry("softmaxPart", new String[] {"Full softmax on the pair %s -> %s", "전체 소프트맥스: %s -> %s 쌍"}),
            Map.entry("oneHot", new String[] {"one-hot of '%s'", "'%s'의 원-핫 벡터"}),
            Map.entry("lookup", new String[] {"one-hot x W_embeddings = row %d of W_embeddings (the lookup) e", "원-핫 x W_embeddings = W_embeddings의 %d번 행 (조회) e"}),
            Map.entry("scoresHead", new String[] {"score of each word j: z_j = e . W_nce[j], then softmax over all %d words",
                    "각 단어 j의 점수: z_j = e . W_nce[j], 그다음 단어 %d개 전체에 소프트맥스"}),
            Map.entry("contextMark", new String[] {"<- the context", "<- 주변 단어"}),
            Map.entry("w2vLoss", new String[] {"loss = -ln p(%s) = -ln(%s) = %s", "손실 = -ln p(%s) = -ln(%s) = %s"}),
            Map.entry("w2vUpdate", new String[] {"update (new = old - learning rate x gradient):", "갱신 (새 값 = 이전 값 - 학습률 x 기울기):"}),
            Map.entry("allRows", new String[] {"(with the full softmax every row of W_nce changes: %d rows; --json has all)",
                    "(전체 소프트맥스에서는 W_nce의 모든 행이 바뀜: %d개 행; 전체는 --json)"}),
            Map.entry("nsPart", new String[] {"Negative sampling on the same pair, from the same starting weights: the context and %d noise words drawn from unigram^0.75",
                    "같은 쌍의 네거티브 샘플링 (같은 시작 가중치): 주변 단어와 unigram^0.75에서 뽑은 잡음 단어 %d개"}),
            Map.entry("nsTrue", new String[] {"true", "정답"}),
            Map.entry("nsNoise", new String[] {"noise", "잡음"}),
            Map.entry("nsLoss", new String[] {"loss = -ln sigma(s_true) - sum ln sigma(-s_noise) = %s", "손실 = -ln sigma(s_정답) - sum ln sigma(-s_잡음) = %s"}),
            Map.entry("nsRows", new String[] {"only the centre's row and these %d rows of W_nce change (not all %d)",
                    "중심 단어의 행과 W_nce의 이 %d개 행만 바뀜 (%d개 전체가 아님)"}),
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
            case Word2VecTrace w -> render(w);
            case Seq2SeqTrace q -> render(q);
        };
    }

    String render(Word2VecTrace t) {
        StringBuilder sb = new StringBuilder();
        sb.append(w("w2vTitle", n(t.learningRate()))).append("\n\n");
        sb.append(w("sentences")).append(": ").append(String.join(" | ", t.sentences())).append('\n');
        sb.append(w("vocab", t.vocabulary().size())).append(": ");
        for (int i = 0; i < t.vocabulary().size(); i++) sb.append(i == 0 ? "" : ", ").append(i).append(' ').append(t.vocabulary().get(i));
        sb.append("\n\n").append(w("pairs", t.sentences().getFirst(), t.window())).append("\n  ");
        for (int i = 0; i < t.pairs().size(); i++) sb.append(i == 0 ? "" : ", ").append(t.pairs().get(i).get(0)).append(" -> ").append(t.pairs().get(i).get(1));
        sb.append("\n\n").append(w("softmaxPart", t.centre(), t.context())).append('\n');
        int c = t.vocabulary().indexOf(t.centre()), ctx = t.vocabulary().indexOf(t.context());
        sb.append("  ").append(w("oneHot", t.centre())).append(": ").append(vector(t.oneHot())).append('\n');
        sb.append("  ").append(w("lookup", c)).append(": ").append(vector(t.embedding())).append('\n');
        sb.append("  ").append(w("scoresHead", t.vocabulary().size())).append('\n');
        int width = t.vocabulary().stream().mapToInt(ExplainText::columns).max().orElse(0);
        for (int j = 0; j < t.vocabulary().size(); j++) {
            String word = t.vocabulary().get(j);
            StringBuilder terms = new StringBuilder();
            for (int i = 0; i < t.embedding().length; i++) {
                terms.append(i == 0 ? "" : " + ").append(n(t.embedding()[i])).append("·").append(n(t.nce()[j][i]));
            }
            sb.append("    ").append(word).append(" ".repeat(width - columns(word))).append("  z = ").append(terms).append(" = ")
                    .append(n(t.scores()[j])).append("   p = ").append(n(t.probabilities()[j]))
                    .append(j == ctx ? "   " + w("contextMark") : "").append('\n');
        }
        sb.append("  ").append(w("w2vLoss", t.context(), n(t.probabilities()[ctx]), n(t.loss()))).append('\n');
        sb.append("  ").append(w("w2vUpdate")).append('\n');
        sb.append("    W_embeddings[").append(t.centre()).append("]: ").append(vector(t.embedding())).append(" - ").append(n(t.learningRate()))
                .append(" x ").append(vector(t.embeddingGradient())).append(" = ").append(vector(t.newEmbedding())).append('\n');
        for (int j : c == ctx ? new int[] {ctx} : new int[] {ctx, c}) {   // the context's row, then the centre word's own
            sb.append("    W_nce[").append(t.vocabulary().get(j)).append("]: ").append(vector(t.nce()[j])).append(" - ").append(n(t.learningRate()))
                    .append(" x ").append(vector(t.nceGradient()[j])).append(" = ").append(vector(t.newNce()[j])).append('\n');
        }
        sb.append("    ").append(w("allRows", t.vocabulary().size())).append("\n\n");

        Word2VecTrace.NegativeSampling ns = t.negativeSampling();
        sb.append(w("nsPart", ns.targets().size() - 1)).append('\n');
        for (int i = 0; i < ns.targets().size(); i++) {
            float sc = ns.scores()[i];
            String term = i == 0 ? "-ln sigma(" + n(sc) + ") = " + n((float) Math.log1p(Math.exp(-sc)))
                    : "-ln sigma(" + n(-sc) + ") = " + n((float) Math.log1p(Math.exp(sc)));
            sb.append("  ").append(ns.targets().get(i)).append(" (").append(w(i == 0 ? "nsTrue" : "nsNoise")).append("): s = e . W_nce = ")
                    .append(n(sc)).append(", sigma(s) = ").append(n(ns.sigmoids()[i])).append(", ").append(term).append('\n');
        }
        sb.append("  ").append(w("nsLoss", n(ns.loss()))).append('\n');
        sb.append("  ").append(w("w2vUpdate")).append('\n');
        sb.append("    W_embeddings[").append(t.centre()).append("]: ").append(vector(ns.embedding())).append(" - ").append(n(t.learningRate()))
                .append(" x ").append(vector(ns.embeddingGradient())).append(" = ").append(vector(ns.newEmbedding())).append('\n');
        for (int i = 0; i < ns.targets().size(); i++) {
            sb.append("    W_nce[").append(ns.targets().get(i)).append("]: ").append(vector(ns.rows()[i])).append(" - ").append(n(t.learningRate()))
                    .append(" x ").append(vector(ns.rowGradients()[i])).append(" = ").append(vector(ns.newRows()[i])).append('\n');
        }
        sb.append("    ").append(w("nsRows", ns.targets().size(), t.vocabulary().size())).append('\n');
        return sb.toString();
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
