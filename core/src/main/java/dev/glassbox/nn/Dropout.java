package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

/**
 * In training, zeroes each element with probability p and scales the rest by 1/(1−p)
 * (inverted dropout, Srivastava et al. 2014); in eval mode, the identity.
 */
public final class Dropout extends Module {
    private final float p;
    private final Generator gen;

    public Dropout(float p) { this(p, Generator.global()); }

    public Dropout(float p, Generator gen) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        this.p = p;
        this.gen = gen;
    }

    @Override
    public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining(), gen); }

    @Override
    protected String extraRepr() { return "p=" + p; }
}
