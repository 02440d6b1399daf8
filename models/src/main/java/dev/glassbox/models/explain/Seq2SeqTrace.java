package dev.glassbox.models.explain;

import java.util.List;

/**
 * One decoding of the seq2seq model told step by step: the input characters and the encoder's
 * state after each (its first values), then for every output step the attention weights over
 * the input characters, the character read most, and the decoded character with its
 * probability; then the beam search's best few candidates with their log-probabilities.
 */
public record Seq2SeqTrace(String model, String attention, String input, List<String> inputChars, float[][] encoderStates,
                           List<OutputStep> steps, String greedy, List<Candidate> beam) implements Explanation {

    /** One output step: the weights over the input (empty without attention), the decoded character and its probability. */
    public record OutputStep(int t, float[] weights, String decoded, float probability) {}

    /** A beam-search candidate and the sum of its characters' log-probabilities. */
    public record Candidate(String output, float logProbability) {}
}
