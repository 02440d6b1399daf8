package dev.glassbox.models.course;

import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * The course's DNN classifier: a 5×5 image read pixel by pixel into 25 input nodes, two hidden
 * layers of sigmoid nodes (3 and 3 in the course), and 10 output nodes whose softmax gives the
 * probability of each digit; trained on cross-entropy against the one-hot target.
 */
public final class DnnClassifier extends Module {
    public static final int INPUTS = 25, CLASSES = 10;
    public final Linear hidden1, hidden2, output;

    public DnnClassifier(int hidden1Size, int hidden2Size, Generator g) {
        hidden1 = registerModule("hidden1", new Linear(INPUTS, hidden1Size, g));
        hidden2 = registerModule("hidden2", new Linear(hidden1Size, hidden2Size, g));
        output = registerModule("output", new Linear(hidden2Size, CLASSES, g));
    }

    /** The logits; their softmax is the probability of each digit. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h1 = hidden1.forward(x).sigmoid();    // x: [batch, 25] -> h1: [batch, 3]
        Tensor h2 = hidden2.forward(h1).sigmoid();   // h1 -> h2: [batch, 3]
        return output.forward(h2);                   // h2 -> logits: [batch, 10]
    }
}
