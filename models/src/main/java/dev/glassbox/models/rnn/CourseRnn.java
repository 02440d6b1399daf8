package dev.glassbox.models.rnn;

import dev.glassbox.models.data.CourseData;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The course's word-level RNN: at step t the word X(t) (one-hot) and the previous state
 * S(t−1) make the new state S(t) = tanh(X(t)·W_ih + S(t−1)·W_hh), and the output
 * Y(t) = softmax(S(t)·W_ho) predicts the next word; W_ih, W_hh and W_ho are the same at every
 * step, and the steps' losses add up to the sentence's loss. The course's sentence '나는 오늘
 * 집에 간다' and two more in its style: after '오늘' the next word depends on the first word,
 * which only the carried state remembers.
 */
public final class CourseRnn extends Module {
    public static final List<String> SENTENCES = List.of("나는 오늘 집에 간다", "너는 오늘 학교에 간다", "우리는 내일 공원에 간다");
    public static final int HIDDEN = 6;

    public final List<String> vocabulary;
    public final Map<String, Integer> index = new LinkedHashMap<>();
    /** The recurrence: weight_ih_l0 is W_ih as PyTorch stores it, [hidden, vocabulary]; weight_hh_l0 is W_hh. */
    public final Recurrent rnn;
    /** W_ho as a Linear without bias: scores = S·W_hoᵀ in PyTorch's orientation. */
    public final Linear output;

    public CourseRnn(Generator g) {
        List<String> words = new ArrayList<>();
        for (String s : SENTENCES) for (String w : s.split(" ")) if (!words.contains(w)) words.add(w);
        vocabulary = List.copyOf(words);
        for (int i = 0; i < words.size(); i++) index.put(words.get(i), i);
        rnn = registerModule("rnn", new Recurrent(Recurrent.Mode.RNN_TANH, words.size(), HIDDEN, 1, g, Recurrent.Option.NO_BIAS));
        output = registerModule("W_ho", new Linear(HIDDEN, words.size(), g, Linear.Bias.NONE));
    }

    public int vocabSize() { return vocabulary.size(); }

    /** A sentence's word ids, with an error naming the words the model knows. */
    public int[] ids(String sentence) { return CourseData.wordIds(sentence, index, vocabulary); }

    /** One-hot inputs of sequences of equal length: [T, N, V]. */
    public Tensor oneHot(int[][] seqs) {
        int n = seqs.length, t = seqs[0].length, v = vocabSize();
        float[] x = new float[t * n * v];
        for (int b = 0; b < n; b++) for (int s = 0; s < t; s++) x[(s * n + b) * v + seqs[b][s]] = 1f;
        return Tensor.of(x, t, n, v);
    }

    /** Next-word scores at every step: [T, N, V]. */
    @Override
    public Tensor forward(Tensor oneHot) {
        Tensor s = rnn.forward(oneHot);                                   // S(t) for every step: [T, N, hidden]
        return output.forward(s);                                         // S(t)·W_ho: [T, N, V]
    }
}
