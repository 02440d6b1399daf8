package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A part of a network: its own parameters and buffers plus named sub-modules, found by name
 * the way PyTorch names them ({@code hidden1.weight}), so state dicts and checkpoints map one
 * to one. Life-cycle: construct (parameters are created and initialised), {@link #train()} or
 * {@link #eval()}, call {@link #forward}, read {@link #parameters()} for an optimizer, save and
 * load with {@link #stateDict()} / {@link #loadStateDict}.
 *
 * <p>Subclasses register what they own in their constructor with {@link #registerParameter},
 * {@link #registerBuffer} and {@link #registerModule}, and override {@link #forward} when they
 * map one tensor to one tensor.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private List<ForwardHook> forwardHooks = List.of();

    /**
     * Called after a module's forward with what went in and what came out (PyTorch's
     * {@code register_forward_hook}): how an explainer records the engine's real forward pass.
     * The input is null for modules whose input is not a tensor (an embedding's ids).
     */
    @FunctionalInterface
    public interface ForwardHook {
        void onForward(Module module, Tensor input, Tensor output);
    }

    /** A registered hook; closing it removes the hook. */
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }

    /** Maps one input to one output; modules with other signatures define their own methods. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take a single tensor input");
    }

    protected final Parameter registerParameter(String name, Parameter p) {
        checkName(name);
        params.put(name, p);
        return p;
    }

    /** A buffer is saved state that is not trained (e.g. running statistics). */
    protected final Tensor registerBuffer(String name, Tensor t) {
        checkName(name);
        buffers.put(name, t);
        return t;
    }

    protected final <M extends Module> M registerModule(String name, M m) {
        checkName(name);
        children.put(name, m);
        return m;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module names must be non-empty and contain no '.': \"" + name + "\"");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has something named \"" + name + "\"");
        }
    }

    /** All parameters, depth first, keyed by dotted path. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    public final List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Direct children, by name. */
    public final Map<String, Module> namedChildren() { return new LinkedHashMap<>(children); }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> state) {
        for (var e : params.entrySet()) {
            if (ps != null) ps.put(prefix + e.getKey(), e.getValue());
            if (state != null) state.put(prefix + e.getKey(), e.getValue());
        }
        if (state != null) for (var e : buffers.entrySet()) state.put(prefix + e.getKey(), e.getValue());
        for (var e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", ps, state);
    }

    /** Number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    /** Training mode for this module and all below it (dropout active, batch statistics). */
    public Module train() { return setTraining(true); }

    /** Evaluation mode for this module and all below it. */
    public Module eval() { return setTraining(false); }

    private Module setTraining(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.setTraining(mode);
        return this;
    }

    public final boolean isTraining() { return training; }

    /** Clears the gradients of all parameters. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) p.zeroGrad();
    }

    /** Parameters and buffers by dotted name (the tensors themselves, not copies). */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    /**
     * Copies values from {@code state} into this module's parameters and buffers. Every key must
     * be present and every shape equal; the error lists missing and unexpected keys and names the
     * first shape mismatch. Nothing is changed unless everything matches.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>();
        for (String k : own.keySet()) if (!state.containsKey(k)) missing.add(k);
        for (String k : state.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict for " + getClass().getSimpleName() + ": missing keys "
                    + firstFew(missing) + ", unexpected keys " + firstFew(unexpected));
        }
        for (var e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: size mismatch for " + e.getKey() + ": the file has "
                        + Arrays.toString(src.shape()) + ", the model has " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (var e : own.entrySet()) {
            System.arraycopy(state.get(e.getKey()).data(), 0, e.getValue().data(), 0, e.getValue().numel());
        }
    }

    /** A list as PyTorch prints it, cut after six entries with the count of the rest. */
    private static String firstFew(List<String> keys) {
        if (keys.size() <= 6) return keys.toString();
        return keys.subList(0, 6).toString().replace("]", ", … " + (keys.size() - 6) + " more]");
    }

    /**
     * Calls {@code hook} after every forward of this module (not of its children: register on
     * them for theirs) until the returned handle is closed.
     */
    public final HookHandle registerForwardHook(ForwardHook hook) {
        List<ForwardHook> more = new ArrayList<>(forwardHooks);
        more.add(hook);
        forwardHooks = List.copyOf(more);
        return () -> {
            List<ForwardHook> fewer = new ArrayList<>(forwardHooks);
            fewer.remove(hook);
            forwardHooks = List.copyOf(fewer);
        };
    }

    /** Hands a forward's input and output to the hooks, if any, and returns the output (for the layers' forward). */
    protected final Tensor hooked(Tensor input, Tensor output) {
        for (ForwardHook h : forwardHooks) h.onForward(this, input, output);
        return output;
    }

    /** One line for this module's own settings, as PyTorch's extra_repr. */
    protected String extraRepr() { return ""; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (var e : children.entrySet()) {
                String child = e.getValue().toString().replace("\n", "\n  ");
                sb.append("  (").append(e.getKey()).append("): ").append(child).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
