package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

/** Modules applied in order, named "0", "1", ... as in PyTorch (so keys read {@code 0.weight}). */
public final class Sequential extends Module {
    private final Module[] layers;

    public Sequential(Module... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Module m : layers) x = m.forward(x);
        return x;
    }

    public int size() { return layers.length; }

    public Module get(int i) { return layers[i]; }
}
