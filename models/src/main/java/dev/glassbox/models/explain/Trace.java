package dev.glassbox.models.explain;

import java.util.List;

/**
 * One training step of a model told the course's way, from the engine's real values: the
 * model's graph as the course draws it ({@link Graph}: layers of nodes, bias nodes marked,
 * arrows carrying weights) and the ordered events of the step ({@link Event}: each node's
 * forward computation, the loss against the target, each node's and weight's gradient, each
 * weight's update with the rule used). The trace says no sentence: the terminal and the studio
 * say it in English or Korean with the one message bundle ({@link Messages}). Its JSON form
 * ({@code glassbox explain --json}) is documented in docs/explain.md, the studio's contract.
 *
 * @param schema  the version of this form ({@link #SCHEMA})
 * @param model   the model's name, e.g. {@code dnn}
 * @param stage   which stage of a model trained in stages (the autoencoder), or null
 * @param demos   the course's worked examples shown before the step (the CNN's), or empty
 * @param example the input and the target of the step
 * @param rule    the update rule and its numbers
 */
public record Trace(int schema, String model, Stage stage, List<Demo> demos, Graph graph, Example example, Rule rule, List<Event> events)
        implements Explanation {
    public static final int SCHEMA = 1;

    public Trace {
        graph.validate();
        demos = demos == null ? List.of() : List.copyOf(demos);
        events = List.copyOf(events);
    }

    /**
     * A stage of a model trained in stages: its number of {@code of}, its name, and what it
     * learns to produce ({@code target}: "X", "Z1" or "Y").
     */
    public record Stage(int index, int of, String name, String target) {}

    /**
     * The example: input values (and their shape), the target values (regression, a
     * reconstruction: the input itself) or the right class (with its one-hot row as target);
     * for a sentence its words ({@code words}, else null), the input then one one-hot row per
     * input word and the target one per next word.
     */
    public record Example(float[] input, int[] shape, float[] target, Integer targetClass, List<String> words) {
        public Example(float[] input, int[] shape, float[] target, Integer targetClass) { this(input, shape, target, targetClass, null); }
    }

    /**
     * How the weights are updated: {@code sgd} (new = old − lr·g) or {@code adam} (from the
     * moments m and v with β₁, β₂, ε, at step {@code step}); null numbers do not apply. With
     * {@code clip}, the gradients are first scaled together so that their joint norm is at most
     * {@code clip} (by clip / (norm + 1e-6) when the norm is larger), as the model trains; the
     * updates' gradients are the scaled ones.
     */
    public record Rule(String name, float lr, Float beta1, Float beta2, Float eps, Long step, Float clip) {
        public static Rule sgd(float lr) { return new Rule("sgd", lr, null, null, null, null, null); }

        public static Rule adam(float lr, float beta1, float beta2, float eps, long step) { return new Rule("adam", lr, beta1, beta2, eps, step, null); }

        /** This rule after clipping the gradients' joint norm at {@code maxNorm}. */
        public Rule clipped(float maxNorm) { return new Rule(name, lr, beta1, beta2, eps, step, maxNorm); }
    }

    /** The graph's weight of this id. */
    public Graph.Weight weight(String id) { return graph.weight(id); }

    /** The events of one kind, in order. */
    public <E extends Event> List<E> events(Class<E> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
