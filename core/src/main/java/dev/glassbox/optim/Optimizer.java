package dev.glassbox.optim;

import dev.glassbox.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Updates a fixed list of parameters from their gradients; the learning rate may be changed by a schedule. */
public abstract class Optimizer {
    protected final List<? extends Tensor> params;
    protected float lr;
    /** Number of steps taken. */
    protected long steps;

    protected Optimizer(List<? extends Tensor> params, float lr) {
        if (params.isEmpty()) throw new IllegalArgumentException(getClass().getSimpleName() + ": got an empty parameter list");
        if (!(lr >= 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid learning rate " + lr);
        }
        for (Tensor p : params) {
            if (!p.requiresGrad()) throw new IllegalArgumentException(getClass().getSimpleName() + ": a parameter does not require grad");
        }
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    /** Applies one update from the current gradients; parameters without a gradient are skipped. */
    public abstract void step();

    /** Clears the gradients of all parameters. */
    public void zeroGrad() {
        for (Tensor p : params) p.zeroGrad();
    }

    public float lr() { return lr; }

    public void setLr(float lr) {
        if (!(lr >= 0f)) throw new IllegalArgumentException("invalid learning rate " + lr);
        this.lr = lr;
    }

    public long steps() { return steps; }

    public List<? extends Tensor> params() { return params; }

    /**
     * What a checkpoint needs to continue exactly: the steps taken, the learning rate, and each
     * parameter's buffers by PyTorch's names, keyed {@code "<index>.<name>"} ({@code "0.exp_avg"},
     * {@code "3.momentum_buffer"}), in key order. Buffers not made yet (before the first step) are absent.
     */
    public record State(long steps, float lr, Map<String, float[]> buffers) {
        public State {
            buffers = Collections.unmodifiableMap(new TreeMap<>(buffers));   // in key order
        }
    }

    /** This optimizer's state; the arrays are copies. */
    public final State state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            for (var e : buffers(i).entrySet()) if (e.getValue() != null) out.put(i + "." + e.getKey(), e.getValue().clone());
        }
        return new State(steps, lr, out);
    }

    /**
     * Continues from a {@link #state()} of an optimizer of the same kind over parameters of the
     * same shapes; an unknown buffer name or a wrong length is an error naming it, and then
     * nothing is changed.
     */
    public final void loadState(State state) {
        Map<String, float[]> own = new LinkedHashMap<>();
        for (var e : state.buffers().entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            int i;
            try {
                i = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
            } catch (NumberFormatException ex) {
                i = -1;
            }
            if (i < 0 || i >= params.size() || !buffers(i).containsKey(key.substring(dot + 1))) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer '" + key + "' in this optimizer of "
                        + params.size() + " parameters (it keeps " + buffers(0).keySet() + " for each)");
            }
            if (e.getValue().length != params.get(i).numel()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": buffer '" + key + "' has " + e.getValue().length
                        + " values for a parameter of " + params.get(i).numel());
            }
            own.put(key, e.getValue());
        }
        if (state.steps() < 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": steps must be 0 or more, got " + state.steps());
        setLr(state.lr());
        steps = state.steps();
        for (int i = 0; i < params.size(); i++) for (String name : buffers(i).keySet()) setBuffer(i, name, null);
        for (var e : own.entrySet()) {
            int dot = e.getKey().indexOf('.');
            setBuffer(Integer.parseInt(e.getKey().substring(0, dot)), e.getKey().substring(dot + 1), e.getValue().clone());
        }
    }

    /** Parameter {@code i}'s buffers by name, null where not made yet; every name is present. */
    protected abstract Map<String, float[]> buffers(int i);

    /** Sets (or, with null, clears) one of parameter {@code i}'s buffers. */
    protected abstract void setBuffer(int i, String name, float[] values);

    static void checkRange(String opt, String name, float v, float lo, float hi) {
        if (!(v >= lo && v < hi)) throw new IllegalArgumentException(opt + ": " + name + " must be in [" + lo + ", " + hi + "), got " + v);
    }
}
