package dev.glassbox.models.explain;

import dev.glassbox.nn.Linear;

import java.util.List;

/** A network of fully connected layers, each followed by an activation: what the explainer walks. */
public interface DenseNet {
    /** One layer: its name (the parameter prefix), its weights, its activation. */
    record Layer(String name, Linear linear, Activation activation) {}

    /** The layers from input to output. */
    List<Layer> denseLayers();

    /** How the output is scored against the target. */
    LossKind lossKind();

    enum LossKind {
        /** (y − t)² averaged over outputs. */
        MSE,
        /** −(t·ln y + (1 − t)·ln(1 − y)). */
        BCE,
        /** −ln yₜ, the probability given to the right class. */
        CROSS_ENTROPY
    }
}
