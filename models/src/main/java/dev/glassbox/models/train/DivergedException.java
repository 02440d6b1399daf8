package dev.glassbox.models.train;

import java.util.Locale;

/**
 * Training stopped because it diverged: a loss or a gradient that is not finite, or a loss far
 * above where the run started. Names the step, the loss and the first parameter whose gradient
 * was not finite; the model is not saved over any checkpoint.
 */
public final class DivergedException extends ArithmeticException {
    private final long step;
    private final float loss;
    private final String parameter;

    DivergedException(long step, float loss, String parameter, String reason) {
        super(String.format(Locale.ROOT, "training diverged at step %d: %s%s", step, reason,
                parameter == null ? "" : "; the gradient of " + parameter + " is not finite"));
        this.step = step;
        this.loss = loss;
        this.parameter = parameter;
    }

    public long step() { return step; }

    public float loss() { return loss; }

    /** The first parameter (by its state-dict name) whose gradient was not finite, or null. */
    public String parameter() { return parameter; }
}
