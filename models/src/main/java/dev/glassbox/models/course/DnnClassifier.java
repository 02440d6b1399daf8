package dev.glassbox.models.course;

import dev.glassbox.models.explain.Activation;
import dev.glassbox.models.explain.DenseNet;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/**
 * The course's DNN classifier: a 5×5 image read pixel by pixel into 25 input nodes, two hidden
 * layers of sigmoid nodes (3 and 3 in the course), and 10 output nodes whose softmax gives the
 * probability of each digit; trained on cross-entropy against the one-hot target.
 */
public final class DnnClassifier extends Module implements DenseNet {
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

    @Override
    public List<Layer> denseLayers() {
        return List.of(new Layer("hidden1", hidden1, Activation.SIGMOID), new Layer("hidden2", hidden2, Activation.SIGMOID),
                new Layer("output", output, Activation.SOFTMAX));
    }

    @Override
    public LossKind lossKind() { return LossKind.CROSS_ENTROPY; }
}
