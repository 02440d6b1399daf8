package dev.glassbox.models.course;

import dev.glassbox.nn.Activations;
import dev.glassbox.nn.Conv2d;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Pooling;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * The course's CNN: convolution and max pooling twice — each filter spans all channels of its
 * input and makes one feature map — then the maps flattened into fc1 and the classifier, as in
 * the DNN. Presets: {@code course} for 8×8 digits (8 and 16 filters of 3×3, padding 1), and
 * {@code w4}, the benchmark network for 28×28 images (32 and 64 filters of 3×3, no padding).
 */
public final class Cnn extends Module {
    public final Conv2d conv1, conv2;
    public final Pooling.MaxPool2d pool1, pool2;
    public final Linear fc1, output;
    /** The ReLUs after each convolution and after fc1, as modules so that explain's hooks see them (no parameters). */
    public final Activations.ReLU relu1, relu2, relu3;

    /** @param side the images' width and height; the preset fixes the rest */
    public Cnn(String preset, int side, Generator g) {
        boolean w4 = preset.equals("w4");
        int c1 = w4 ? 32 : 8, c2 = w4 ? 64 : 16, pad = w4 ? 0 : 1, hidden = w4 ? 128 : 32;
        conv1 = registerModule("conv1", new Conv2d(1, c1, 3, 1, pad, g));
        pool1 = registerModule("pool1", new Pooling.MaxPool2d(2));
        conv2 = registerModule("conv2", new Conv2d(c1, c2, 3, 1, pad, g));
        pool2 = registerModule("pool2", new Pooling.MaxPool2d(2));
        int s = ((side + 2 * pad - 2) / 2 + 2 * pad - 2) / 2;   // after conv, pool, conv, pool
        fc1 = registerModule("fc1", new Linear(c2 * s * s, hidden, g));
        output = registerModule("output", new Linear(hidden, 10, g));
        relu1 = registerModule("relu1", new Activations.ReLU());
        relu2 = registerModule("relu2", new Activations.ReLU());
        relu3 = registerModule("relu3", new Activations.ReLU());
    }

    /**
     * The logits of each image. Each convolution, its ReLU and its max pooling run as one node
     * ({@link dev.glassbox.nn.Conv2d#forwardReluMaxPool}); the explainer shows them as three steps.
     */
    @Override
    public Tensor forward(Tensor x) { return output.forward(features(x)); }

    /** The penultimate layer: fc1 after its ReLU [N, hidden], what the classifier's last layer reads (the sample scores' features). */
    public Tensor features(Tensor x) {
        Tensor h = conv1.forwardReluMaxPool(x, pool1);       // x: [N, 1, 8, 8] -> pooled feature maps [N, 8, 4, 4]
        h = conv2.forwardReluMaxPool(h, pool2);              // -> [N, 16, 2, 2]
        return fc1.forward(h.flatten(1, -1)).relu();         // flattened [N, 64] -> fc1 [N, 32]; the output layer makes the logits [N, 10]
    }

    /**
     * The same function as {@link #forward}, one stage at a time — convolution, ReLU, pooling as
     * three nodes — so that each stage's maps can be seen (explain's hooks). The same values.
     */
    public Tensor forwardByStage(Tensor x) {
        Tensor h = pool1.forward(relu1.forward(conv1.forward(x)));   // z1 [N, 8, 8, 8] -> a1 -> pooled [N, 8, 4, 4]
        h = pool2.forward(relu2.forward(conv2.forward(h)));          // -> z2 -> a2 -> pooled [N, 16, 2, 2]
        h = relu3.forward(fc1.forward(h.flatten(1, -1)));            // flattened [N, 64] -> fc1 [N, 32]
        return output.forward(h);                                    // -> logits [N, 10]
    }
}
