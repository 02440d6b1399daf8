package dev.glassbox.nn;

import dev.glassbox.tensor.Tensor;

import java.util.List;

/** Modules held in a list, named "0", "1", ... as torch.nn.ModuleList (so keys read {@code layers.0.linear1.weight}); it has no forward of its own. */
public final class ModuleList extends Module {
    private final List<Module> modules;

    public ModuleList(List<? extends Module> modules) {
        this.modules = List.copyOf(modules);
        for (int i = 0; i < modules.size(); i++) registerModule(Integer.toString(i), modules.get(i));
    }

    public Module get(int i) { return modules.get(i); }

    public int size() { return modules.size(); }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("a ModuleList has no forward: call its modules"); }
}
