package dev.glassbox.models.explain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * A worked example of the course that a trace carries before the model's step, computed by the
 * engine's own operations: the convolution of the 5×5 '2' with the 3×3 cross filter, and max
 * pooling of a 4×4 map. In JSON each carries its kind as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Demo.Convolution.class, name = "convolution"),
        @JsonSubTypes.Type(value = Demo.Pooling.class, name = "pooling"),
        @JsonSubTypes.Type(value = Demo.GradientFlow.class, name = "gradient_flow"),
        @JsonSubTypes.Type(value = Demo.Frames.class, name = "frames"),
        @JsonSubTypes.Type(value = Demo.NegativeSampling.class, name = "negative_sampling"),
        @JsonSubTypes.Type(value = Demo.Decoding.class, name = "decoding")})
public sealed interface Demo {
    /**
     * An image convolved with one filter at {@code stride}: every cell of the feature map with
     * the window it sees, the window's products with the filter (cell by cell), and their sum.
     */
    record Convolution(float[][] image, float[][] filter, int stride, List<Cell> cells, float[][] featureMap) implements Demo {}

    /** Max pooling of {@code input} with {@code size}×{@code size} windows at {@code stride}: every window and its maximum. */
    record Pooling(float[][] input, int size, int stride, List<Cell> cells, float[][] pooled) implements Demo {}

    /**
     * How much of a loss's gradient reaches each word of a sentence, through each kind of
     * recurrent cell: the sentence's {@code words}, the loss (of the prediction of {@code target}
     * after the last input word), and per cell the norm ‖dL/dX(t)‖ at each input word X(t)
     * ({@code norms}, t = 1 first) and that norm as a fraction of the last word's
     * ({@code fractions}). Measured by the engine's backward pass on networks of the same size
     * and seed before any training.
     */
    record GradientFlow(List<String> words, String target, List<Flow> flows) implements Demo {}

    /** One cell's gradient per input word: {@code cell} is {@code rnn} or {@code lstm}. */
    record Flow(String cell, int hidden, float[] norms, float[] fractions) {}

    /**
     * word2vec's training pairs as the course makes them: a frame of {@code frameSize} words
     * slides along a sentence ({@code words}); in each position the word in its middle is the
     * input and every other word in the frame a target, one pair each. The pairs, frame after
     * frame, are the course's input0 / target0, input1 / target1, ...
     */
    record Frames(List<String> words, int frameSize, List<Frame> frames) implements Demo {}

    /** One position of the frame: the words inside it, its middle word (the input), and the pairs it gives. */
    record Frame(List<String> inside, String input, List<Pair> pairs) {}

    /** A training pair: the input (the centre word) and the target (a word of its context). */
    record Pair(String input, String target) {}

    /**
     * The step's pair trained with negative sampling instead of the full softmax, from the same
     * starting weights, by the engine's operations: the centre's row e of W_embeddings; the
     * target (the true context) and the negative samples, drawn from the unigram counts to the
     * power 0.75 among the words that are never a context of the centre in the sentences nor the
     * centre itself ({@code excluded} are the words left out); each with its row of W_nce, its
     * score s = e·row, σ(s), its part of the loss (−ln σ(s) for the target, −ln σ(−s) for a
     * negative sample), its row's gradient and new value; the loss, e's gradient and new value
     * after one SGD step at {@code lr}. No other row changes.
     */
    record NegativeSampling(String centre, String target, List<String> excluded, float lr, float[] embedding, List<Sample> samples, float loss,
                            float[] embeddingGradient, float[] newEmbedding) implements Demo {}

    /** One scored word of negative sampling: {@code positive} for the target, false for a negative sample. */
    record Sample(String word, boolean positive, float[] row, float score, float sigmoid, float lossPart, float[] gradient, float[] after) {}

    /**
     * seq2seq decoding an input by itself, as the model stands before the step: the input's
     * characters, the encoder's state after each ({@code encoderStates}, [characters][hidden]),
     * the attention ({@code none}, {@code luong}, {@code bahdanau}), for each output step the
     * attention weights over the input characters (empty without attention; padding left out),
     * the character decoded greedily and its probability; the greedy output; and a beam
     * search's best candidates with their log-probabilities.
     */
    record Decoding(List<String> inputChars, float[][] encoderStates, String attention, List<OutputStep> steps, String greedy,
                    int beamWidth, List<Candidate> beam) implements Demo {}

    /** One output step of a decoding: t from 1, the weights over the input, the decoded character, its probability. */
    record OutputStep(int t, float[] weights, String decoded, float probability) {}

    /** A beam-search candidate and the sum of its characters' log-probabilities. */
    record Candidate(String output, float logProbability) {}

    /** One output cell: its row and column (from 0), the window it sees, the products with the filter (none for pooling), its value. */
    record Cell(int row, int col, float[][] window, float[][] products, float value) {}
}
