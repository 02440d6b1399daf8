package dev.glassbox.models.explain;

import java.util.List;

/**
 * One training step of the course's RNN on one sentence, unrolled: at each step the input
 * word (one-hot), its row of W_ih (the product X(t)·W_ih), the previous state times W_hh, their
 * sum through tanh as the new state S(t), the output probabilities softmax(S(t)·W_ho) and the
 * step's loss −ln p(next word); the total loss is the steps' sum. Then the shared weights'
 * gradients (each the sum of every step's contribution) and their updates.
 *
 * @param weights W_ih [V × H] (the course's orientation: row = input word), W_hh [H × H],
 *                W_ho [H × V], each before, its gradient, and after the step
 */
public record RnnTrace(String model, List<String> sentences, List<String> vocabulary, String sentence, List<Step> steps,
                       float totalLoss, float learningRate, List<Weight> weights) implements Explanation {

    /** One unrolled step. */
    public record Step(int t, String input, String target, float[] oneHot, float[] previousState, float[] inputTerm,
                       float[] recurrentTerm, float[] state, float[] probabilities, float loss) {}

    /** A shared weight matrix before the step, its gradient summed over the steps, and after. */
    public record Weight(String name, float[][] before, float[][] gradient, float[][] after) {}
}
