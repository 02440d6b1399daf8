package dev.glassbox.models.explain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A model as the course draws it: layers of nodes from input to output (a bias node is drawn
 * and marked but not counted), arrows between layers that carry the weights, and the weights
 * themselves with their values at the step's start and whether this step trains them.
 */
public record Graph(List<Layer> layers, List<Connection> connections, List<Weight> weights) {
    /** Where a layer stands. */
    public enum Role { INPUT, HIDDEN, OUTPUT }

    /**
     * A node computes one value (a unit), a map of values (a feature map), a vector of values
     * (an embedding, a recurrent state: the course's box for it), or always holds 1 (the bias
     * node, not counted).
     */
    public enum NodeKind { UNIT, MAP, VECTOR, BIAS }

    /** How arrows join two layers. */
    public enum Pattern {
        /**
         * Every node of {@code from} to every unit of {@code to}: the arrow from unit i to unit j
         * carries {@code weight[j][i]} (PyTorch's [out, in]), the arrow from the bias node to unit
         * j carries {@code bias[j]}.
         */
        DENSE,
        /**
         * Every map of {@code from} to every map of {@code to} through a filter: map o's cell
         * [r][c] = bias[o] + Σ over input maps i of the window of map i at [r·stride − padding,
         * c·stride − padding] (k×k, zeros outside) times {@code weight[o][i]} (k×k).
         */
        CONV,
        /** Map i to map i: each cell the largest value of its k×k window, windows {@code stride} apart. */
        MAX_POOL,
        /** Map i to map i (or unit i to unit i), cell by cell through the activation: max(0, z) for ReLU. */
        ELEMENTWISE,
        /** The maps of {@code from} laid end to end, row by row, as the units of {@code to}. */
        FLATTEN,
        /**
         * As DENSE, from the state of the time step before: unit i of S(t−1) to unit j of
         * {@code to} carries {@code weight[j][i]}; the same weight at every step (the state before
         * the first step is 0).
         */
        RECURRENT,
        /**
         * An LSTM's cell state: unit j of C(t) from the gates i, f, g of unit j ({@code from} the
         * gates layer G(t)) and unit j of C(t−1) ({@code from} the cell before):
         * c = f·c(t−1) + i·g. No weights.
         */
        LSTM_CELL,
        /**
         * From a one-hot layer, as the course writes X·W: unit j of {@code to} = Σ over i of
         * x_i·{@code weight[i][j]} (the weight is [words, dimensions], a row per word), which for
         * a one-hot X is the row of its word — the lookup.
         */
        EMBEDDING,
        /**
         * An LSTM step into a state vector: from the step's input vector ({@code weight} is
         * weight_ih, {@code bias} bias_ih) or from the state of the step before (weight_hh,
         * bias_hh; for a decoder's first step, the encoder's last state): the gates i, f, g, o,
         * the cell and the state as an LSTM makes them.
         */
        LSTM,
        /**
         * Attention: the decoder state d(t) ({@code from}) scored against every encoder state
         * e(s) (Luong: d(t)·e(s); Bahdanau: v·tanh(W_e·e(s) + W_d·d(t)), the attn_* weights of
         * the graph), and the softmax of the scores over s, a weight per input position.
         */
        ATTENTION,
        /** The context c(t) = Σ over s of a(t)[s]·e(s): the encoder states weighed by the attention ({@code from}). */
        CONTEXT,
        /**
         * Layer normalization of each position's vector: (x − mean)/√(variance + 1e-5) by the
         * vector's own mean and biased variance, times {@code weight} (γ) plus {@code bias} (β).
         */
        LAYER_NORM,
        /**
         * Causal multi-head self-attention over the positions of {@code from}: per head, queries,
         * keys and values are the position vectors times the head's rows of {@code weight}
         * (W_Q, W_K, W_V stacked: rows h·d_k…, E + h·d_k…, 2E + h·d_k…) plus {@code bias}; each
         * position's output is the softmax of its scores q·k/√d_k over itself and the positions
         * before it, weighing the values; the heads side by side. Each head's numbers are an
         * {@code attention_head} event.
         */
        SELF_ATTENTION,
        /** The residual connection: each position's vector of {@code to} is the sum of those of the layers whose RESIDUAL arrows enter it. */
        RESIDUAL,
        /** An LSTM's new state: unit j of S(t) from gate o of unit j (G(t)) and unit j of C(t): h = o·tanh(c). No weights. */
        LSTM_OUTPUT,
        /**
         * A VAE's sampling: unit j of z from unit j of μ and unit j of log σ² (one arrow from each
         * layer), z = μ + e^(½·log σ²)·ε with ε drawn from N(0, 1). No weights.
         */
        REPARAMETERIZE,
        /**
         * Through a whole network the graph does not draw layer by layer (a GAN's generator or
         * discriminator; the {@code to} layer's label says which): its parameters are the
         * weights whose ids start with the network's name. No weight on the arrow itself.
         */
        NETWORK
    }

    /** Whether a step changes a weight. */
    public enum Training { TRAINED, FROZEN }

    /** A node: its id (unique in the graph), its label in the course's notation, its kind, and for a map its [height, width], for a vector its [length]. */
    public record Node(String id, String label, NodeKind kind, int[] shape) {
        public Node(String id, String label, NodeKind kind) { this(id, label, kind, null); }
    }

    /**
     * A layer: id, its name in the course's words ({@code label}: "X", "hidden layer 1", "Z1",
     * "S(2)"), its role, the activation its units apply (null for an input; {@code lstm_gates}
     * for an LSTM's gates, each node saying its own in its forward event), its nodes, and for a
     * network unrolled in time its time step (from 1; null otherwise).
     */
    public record Layer(String id, String label, Role role, String activation, List<Node> nodes, Integer step) {
        public Layer(String id, String label, Role role, String activation, List<Node> nodes) { this(id, label, role, activation, nodes, null); }

        /** Its units: the node count the course gives (the bias node is not counted). */
        public int units() { return (int) nodes.stream().filter(n -> n.kind() == NodeKind.UNIT).count(); }
    }

    /**
     * The arrows from one layer into the next, and the weights they carry ({@code weight} and
     * {@code bias} null: none); a convolution's or pooling's window size, stride and padding.
     */
    public record Connection(String from, String to, Pattern pattern, String weight, String bias, Integer kernel, Integer stride,
                             Integer padding) {
        public Connection(String from, String to, Pattern pattern, String weight, String bias) {
            this(from, to, pattern, weight, bias, null, null, null);
        }
    }

    /** A weight: its id (the parameter's state-dict name), its label in the course's notation, shape and values at the step's start. */
    public record Weight(String id, String label, int[] shape, float[] values, Training training) {
        /** Value at [row, col] of a 2-D weight. */
        public float at(int row, int col) { return values[row * shape[1] + col]; }
    }

    public Layer layer(String id) {
        return layers.stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the graph has no layer '" + id + "'"));
    }

    public Weight weight(String id) {
        return weights.stream().filter(w -> w.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the graph has no weight '" + id + "'"));
    }

    /** Fails unless ids are unique and every connection names layers and weights that exist. */
    void validate() {
        Set<String> ids = new HashSet<>();
        for (Layer l : layers) {
            if (!ids.add(l.id())) throw new IllegalStateException("two layers are called '" + l.id() + "'");
            for (Node n : l.nodes()) if (!ids.add(n.id())) throw new IllegalStateException("two nodes are called '" + n.id() + "'");
        }
        for (Connection c : connections) {
            layer(c.from());
            layer(c.to());
            if (c.weight() != null) weight(c.weight());
            if (c.bias() != null) weight(c.bias());
        }
    }
}
