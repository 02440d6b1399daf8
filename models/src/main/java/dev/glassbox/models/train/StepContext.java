package dev.glassbox.models.train;

import dev.glassbox.optim.ClipGrad;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a step uses to update the model: {@link #update} runs the backward pass of a loss and
 * one step of an optimizer, with the {@link Trainer}'s checks and gradient clipping between.
 */
public final class StepContext {
    /** A loss this many times its first value counts as diverged. */
    static final float EXPLODED = 1000f;

    private final Map<Tensor, String> names;
    private final float clipNorm;
    private final Map<Optimizer, Float> start = new IdentityHashMap<>();
    long step;

    StepContext(Map<Tensor, String> names, float clipNorm) {
        this.names = names;
        this.clipNorm = clipNorm;
    }

    /** The step being taken, counting from 1. */
    public long step() { return step; }

    /**
     * Backward from {@code loss}, then one step of {@code optimizer} over its parameters'
     * gradients (clipped to the Trainer's norm, if it has one); returns the loss's value.
     * Throws {@link DivergedException} — before the step changes anything — when the loss or
     * a gradient is not finite, or the loss is over a thousand times its first value.
     */
    public float update(Tensor loss, Optimizer optimizer) { return update(loss, optimizer, "the loss"); }

    /**
     * As {@link #update(Tensor, Optimizer)}, with the loss named in a divergence's message
     * ({@code "the discriminator's loss"}): for a task with several optimizers, which one diverged.
     */
    public float update(Tensor loss, Optimizer optimizer, String lossName) {
        float l = loss.item();
        optimizer.zeroGrad();
        loss.backward();
        return apply(l, optimizer, lossName);
    }

    /**
     * One step of {@code optimizer} with gradients already in its parameters' {@code grad} (as
     * workers elsewhere computed them for a loss of value {@code loss}), with the same checks and
     * clipping as {@link #update(Tensor, Optimizer, String)}; returns {@code loss}.
     */
    public float apply(float loss, Optimizer optimizer, String lossName) {
        float l = loss;
        Float first = start.get(optimizer);
        if (!Float.isFinite(l)) throw diverged(l, firstNonFinite(optimizer), lossName + " is " + l);
        if (first != null && first > 0 && l > EXPLODED * first) {
            throw diverged(l, firstNonFinite(optimizer), String.format(Locale.ROOT, "%s %.4g is over %.0f times its first value %.4g",
                    lossName, l, EXPLODED, first));
        }
        float norm = clipNorm > 0 ? ClipGrad.clipGradNorm(optimizer.params(), clipNorm) : ClipGrad.gradNorm(optimizer.params());
        if (!Float.isFinite(norm)) {
            String bad = firstNonFinite(optimizer);
            if (bad != null) throw diverged(l, bad, String.format(Locale.ROOT, "%s is %.4g", lossName, l));
        }
        if (first == null) start.put(optimizer, l);
        optimizer.step();
        return l;
    }

    /** The first value of each optimizer's loss, for a checkpoint (NaN where none yet). */
    float[] startLosses(List<Optimizer> optimizers) {
        float[] out = new float[optimizers.size()];
        for (int i = 0; i < out.length; i++) out[i] = start.getOrDefault(optimizers.get(i), Float.NaN);
        return out;
    }

    void restoreStartLosses(List<Optimizer> optimizers, float[] losses) {
        start.clear();
        for (int i = 0; i < losses.length && i < optimizers.size(); i++) if (!Float.isNaN(losses[i])) start.put(optimizers.get(i), losses[i]);
    }

    private String firstNonFinite(Optimizer optimizer) {
        for (Tensor p : optimizer.params()) {
            if (!ClipGrad.gradIsFinite(p)) return names.getOrDefault(p, "a parameter of shape " + Arrays.toString(p.shape()));
        }
        return null;
    }

    private DivergedException diverged(float loss, String parameter, String reason) {
        return new DivergedException(step, loss, parameter, reason);
    }
}
