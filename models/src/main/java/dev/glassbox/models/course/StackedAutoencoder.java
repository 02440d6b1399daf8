package dev.glassbox.models.course;

import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * The course's stacked autoencoder: encoder_1/decoder_1 learn to reconstruct the image X from
 * its code Z1; encoder_2/decoder_2 learn to reconstruct Z1 from a smaller code Z2; a classifier
 * reads Z2. Every layer is a dense layer with a sigmoid (the classifier's softmax lives in the
 * cross-entropy). {@link #forward} is the fine-tuned network: encoder_1, encoder_2, classifier.
 */
public final class StackedAutoencoder extends Module {
    public final Linear encoder1, decoder1, encoder2, decoder2, classifier;
    public final int inputs;

    public StackedAutoencoder(int inputs, int code1, int code2, int classes, Generator g) {
        this.inputs = inputs;
        encoder1 = registerModule("encoder_1", new Linear(inputs, code1, g));
        decoder1 = registerModule("decoder_1", new Linear(code1, inputs, g));
        encoder2 = registerModule("encoder_2", new Linear(code1, code2, g));
        decoder2 = registerModule("decoder_2", new Linear(code2, code1, g));
        classifier = registerModule("classifier", new Linear(code2, classes, g));
    }

    /** Images of any shape [N, ...] as rows [N, inputs]. */
    public Tensor rows(Tensor x) {
        Tensor r = x.dim() == 2 ? x : x.flatten(1, -1);
        if (r.size(1) != inputs) {
            throw new IllegalArgumentException("autoencoder: inputs of " + r.size(1) + " values, this model takes " + inputs);
        }
        return r;
    }

    /** Z1 = sigmoid(X·W1ᵀ + b1). */
    public Tensor encode1(Tensor x) { return encoder1.forward(rows(x)).sigmoid(); }

    /** X̂ = sigmoid(Z1·W1'ᵀ + b1'), the reconstruction of X. */
    public Tensor decode1(Tensor z1) { return decoder1.forward(z1).sigmoid(); }

    /** Z2 = sigmoid(Z1·W2ᵀ + b2). */
    public Tensor encode2(Tensor z1) { return encoder2.forward(z1).sigmoid(); }

    /** Ẑ1 = sigmoid(Z2·W2'ᵀ + b2'), the reconstruction of Z1. */
    public Tensor decode2(Tensor z2) { return decoder2.forward(z2).sigmoid(); }

    /** The class logits of each image: classifier(encoder_2(encoder_1(X))). */
    @Override
    public Tensor forward(Tensor x) { return classifier.forward(encode2(encode1(x))); }
}
