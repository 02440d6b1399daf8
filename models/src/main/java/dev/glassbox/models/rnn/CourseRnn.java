package dev.glassbox.models.rnn;

import dev.glassbox.models.data.CourseData;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The course's word-level RNN: at step t the word X(t) (one-hot) and the previous state
 * S(t−1) make the new state S(t) = tanh(X(t)·W_ih + S(t−1)·W_hh), and the output
 * Y(t) = softmax(S(t)·W_ho) predicts the next word; W_ih, W_hh and W_ho are the same at every
 * step, and the steps' losses add up to the sentence's loss. The course's sentence '나는 오늘
 * 집에 간다' and two more in its style: after '오늘' the next word depends on the first word,
 * which only the carried state remembers.
 *
 * <p>The same network with an LSTM cell ({@link #CourseRnn(Recurrent.Mode, List, Generator)})
 * is how explain shows the course's reason for the LSTM on its long sentence
 * {@link #LONG_SENTENCE}: its biases are PyTorch's, but the forget gate's starts 1 higher (as
 * Keras's {@code unit_forget_bias} does), so the cell keeps about three quarters of itself at
 * each step before training.
 */
public final class CourseRnn extends Module {
    public static final List<String> SENTENCES = List.of("나는 오늘 집에 간다", "너는 오늘 학교에 간다", "우리는 내일 공원에 간다");
    /** The course's sentence of 11 words over which a plain RNN's memory of the first fades. */
    public static final String LONG_SENTENCE = "나는 오늘 학교가 끝나고 서점에 들러 책을 산 후 집에 갔다";
    public static final int HIDDEN = 6;

    public final List<String> sentences;
    public final List<String> vocabulary;
    public final Map<String, Integer> index = new LinkedHashMap<>();
    /** The recurrence: weight_ih_l0 is W_ih as PyTorch stores it, [gates·hidden, vocabulary]; weight_hh_l0 is W_hh. */
    public final Recurrent rnn;
    /** W_ho as a Linear without bias: scores = S·W_hoᵀ in PyTorch's orientation. */
    public final Linear output;

    /** The course's RNN on its three sentences. */
    public CourseRnn(Generator g) { this(Recurrent.Mode.RNN_TANH, SENTENCES, g); }

    /**
     * The network with a {@code cell} of RNN_TANH (no biases, as the course draws it) or LSTM
     * (biases b_ih and b_hh, the forget gate's 1 higher), over the words of {@code sentences}.
     */
    public CourseRnn(Recurrent.Mode cell, List<String> sentences, Generator g) {
        if (cell != Recurrent.Mode.RNN_TANH && cell != Recurrent.Mode.LSTM) {
            throw new IllegalArgumentException("the course's network has an RNN (tanh) or an LSTM cell, not " + cell);
        }
        this.sentences = List.copyOf(sentences);
        List<String> words = new ArrayList<>();
        for (String s : sentences) for (String w : s.split(" ")) if (!words.contains(w)) words.add(w);
        vocabulary = List.copyOf(words);
        for (int i = 0; i < words.size(); i++) index.put(words.get(i), i);
        rnn = registerModule("rnn", cell == Recurrent.Mode.LSTM ? new Recurrent(cell, words.size(), HIDDEN, 1, g)
                : new Recurrent(cell, words.size(), HIDDEN, 1, g, Recurrent.Option.NO_BIAS));
        output = registerModule("W_ho", new Linear(HIDDEN, words.size(), g, Linear.Bias.NONE));
        if (cell == Recurrent.Mode.LSTM) {
            try (var ignored = GradMode.noGrad()) {
                Tensor b = rnn.namedParameters().get("bias_ih_l0");
                float[] d = b.data();
                for (int j = HIDDEN; j < 2 * HIDDEN; j++) d[j] += 1f;      // gates i, f, g, o: f is the second block
            }
        }
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

    /**
     * {@link #forward} with the recurrence written out step by step
     * ({@link Recurrent#runStepwise}), each step's tensors handed to {@code observer}: the
     * same scores, for explaining.
     */
    public Tensor forwardStepwise(Tensor oneHot, Consumer<Recurrent.StepTensors> observer) {
        return output.forward(rnn.runStepwise(oneHot, observer).output());
    }
}
