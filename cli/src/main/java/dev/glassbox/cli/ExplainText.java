package dev.glassbox.cli;

import dev.glassbox.models.explain.Trace;

import java.util.Locale;
import java.util.Map;

/**
 * Tells a {@link Trace} in the course's words, in English or Korean: each node's weighted sum
 * and activation, the output against the target and the loss, then each weight's update.
 * Long layers are cut in the terminal; {@code --json} has the whole trace.
 */
final class ExplainText {
    private static final int MAX_TERMS = 6, MAX_NODES = 10, PER_LAYER = 4;

    private static final Map<String, String[]> WORDS = Map.ofEntries(
            Map.entry("title", new String[] {"One training step of '%s', node by node (learning rate %s)",
                    "'%s' 모델의 학습 한 단계, 노드별 계산 (학습률 %s)"}),
            Map.entry("input", new String[] {"input x (%d values)", "입력 x (%d개 값)"}),
            Map.entry("layer", new String[] {"layer %s: %d nodes, activation %s", "%s 층: 노드 %d개, 활성화 함수 %s"}),
            Map.entry("node", new String[] {"node", "노드"}),
            Map.entry("sum", new String[] {"weighted sum", "가중합"}),
            Map.entry("bias", new String[] {"bias", "편향"}),
            Map.entry("more", new String[] {"... %d more terms", "... 항 %d개 더"}),
            Map.entry("moreNodes", new String[] {"... %d more nodes", "... 노드 %d개 더"}),
            Map.entry("output", new String[] {"output", "출력"}),
            Map.entry("target", new String[] {"target", "정답"}),
            Map.entry("loss", new String[] {"loss", "손실"}),
            Map.entry("mse", new String[] {"mean squared error", "평균 제곱 오차"}),
            Map.entry("bce", new String[] {"binary cross-entropy", "이진 교차 엔트로피"}),
            Map.entry("cross_entropy", new String[] {"cross-entropy", "교차 엔트로피"}),
            Map.entry("update", new String[] {"weight update: new weight = weight - learning rate x gradient",
                    "가중치 갱신: 새 가중치 = 가중치 - 학습률 x 기울기"}),
            Map.entry("grad", new String[] {"dL/dz (error at the node)", "dL/dz (노드의 오차)"}),
            Map.entry("moreUpdates", new String[] {"... %d more weights (see --json)", "... 가중치 %d개 더 (--json 참고)"}),
            Map.entry("identity", new String[] {"none (identity)", "없음 (항등)"}),
            Map.entry("sigmoid", new String[] {"sigmoid", "시그모이드"}),
            Map.entry("softmax", new String[] {"softmax", "소프트맥스"}),
            Map.entry("class", new String[] {"class %d", "%d번 클래스"}));

    private final int lang;

    ExplainText(String lang) { this.lang = lang.equals("ko") ? 1 : 0; }

    private String w(String key, Object... args) { return String.format(Locale.ROOT, WORDS.get(key)[lang], args); }

    static String n(float v) { return String.format(Locale.ROOT, "%.4f", v); }

    String render(Trace t) {
        StringBuilder sb = new StringBuilder();
        sb.append(w("title", t.model(), n(t.learningRate()))).append("\n\n");
        sb.append(w("input", t.input().length)).append(": ").append(vector(t.input())).append("\n\n");
        for (Trace.LayerTrace layer : t.layers()) {
            sb.append(w("layer", layer.name(), layer.nodes().size(), w(layer.activation()))).append('\n');
            int shown = 0;
            for (Trace.NodeTrace node : layer.nodes()) {
                if (shown++ == MAX_NODES) {
                    sb.append("  ").append(w("moreNodes", layer.nodes().size() - MAX_NODES)).append('\n');
                    break;
                }
                sb.append("  ").append(w("node")).append(' ').append(node.node()).append(": ").append(w("sum")).append(" z = ");
                float[] x = layer.inputs();
                for (int i = 0; i < Math.min(x.length, MAX_TERMS); i++) {
                    sb.append(i == 0 ? "" : " + ").append(n(node.weights()[i])).append("·").append(n(x[i]));
                }
                if (x.length > MAX_TERMS) sb.append(" + (").append(w("more", x.length - MAX_TERMS)).append(')');
                sb.append(" + ").append(n(node.bias())).append(" = ").append(n(node.weightedSum()));
                sb.append("  ->  a = ").append(activation(layer.activation(), node)).append('\n');
            }
            sb.append('\n');
        }
        sb.append(w("output")).append(": ").append(vector(t.output())).append('\n');
        sb.append(w("target")).append(": ").append(t.targetClass() != null ? w("class", t.targetClass()) + "  " : "")
                .append(vector(t.target())).append('\n');
        sb.append(w("loss")).append(" (").append(w(t.lossKind())).append(") = ").append(lossFormula(t)).append("\n\n");
        sb.append(w("update")).append('\n');
        for (Trace.LayerTrace layer : t.layers()) {
            sb.append("  ").append(layer.name()).append(' ').append(w("grad")).append(": ");
            float[] dz = new float[layer.nodes().size()];
            for (int j = 0; j < dz.length; j++) dz[j] = layer.nodes().get(j).lossGradient();
            sb.append(vector(dz)).append('\n');
        }
        int shown = 0, total = 0;
        for (Trace.LayerUpdate u : t.updates()) {
            int inLayer = 0;
            for (int j = 0; j < u.weight().length; j++) {
                for (int i = 0; i < u.weight()[j].length; i++) {
                    total++;
                    if (inLayer >= PER_LAYER || u.weightGrad()[j][i] == 0f) continue;
                    inLayer++;
                    shown++;
                    sb.append(String.format(Locale.ROOT, "  %s.weight[%d][%d]: %s - %s x %s = %s%n", u.name(), j, i, n(u.weight()[j][i]),
                            n(t.learningRate()), n(u.weightGrad()[j][i]), n(u.newWeight()[j][i])));
                }
            }
            for (int j = 0; j < u.bias().length; j++) {
                total++;
                if (j >= 2) continue;
                shown++;
                sb.append(String.format(Locale.ROOT, "  %s.bias[%d]: %s - %s x %s = %s%n", u.name(), j, n(u.bias()[j]), n(t.learningRate()),
                        n(u.biasGrad()[j]), n(u.newBias()[j])));
            }
        }
        if (total > shown) sb.append("  ").append(w("moreUpdates", total - shown)).append('\n');
        return sb.toString();
    }

    private String activation(String act, Trace.NodeTrace node) {
        return switch (act) {
            case "sigmoid" -> "sigmoid(" + n(node.weightedSum()) + ") = " + n(node.activation());
            case "softmax" -> "softmax(z)[" + node.node() + "] = " + n(node.activation());
            default -> n(node.activation());
        };
    }

    private static String lossFormula(Trace t) {
        return switch (t.lossKind()) {
            case "cross_entropy" -> "-ln(" + n(t.output()[t.targetClass()]) + ") = " + n(t.loss());
            case "mse" -> "(" + n(t.output()[0]) + " - " + n(t.target()[0]) + ")² = " + n(t.loss());
            default -> "-(" + n(t.target()[0]) + "·ln(" + n(t.output()[0]) + ") + (1 - " + n(t.target()[0]) + ")·ln(1 - " + n(t.output()[0])
                    + ")) = " + n(t.loss());
        };
    }

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
