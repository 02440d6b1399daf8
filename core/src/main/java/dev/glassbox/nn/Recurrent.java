package dev.glassbox.nn;

import dev.glassbox.tensor.FusedOps;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Shapes;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Elman RNN, LSTM and GRU layers as PyTorch defines them: the same gate order, parameter
 * names ({@code weight_ih_l0}, {@code weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0},
 * then {@code _l1} ...), shapes ([gates·hidden, input] and [gates·hidden, hidden]),
 * initialisation (uniform in ±1/√hidden), stacked layers, {@code batchFirst}, initial and
 * final states. For each layer the input projections of all time steps are one matrix product;
 * the steps then run in order, each adding h·W_hhᵀ + b_hh. Each layer is one fused autograd
 * node with backpropagation through time written out ({@code FusedOps.lstmLayer},
 * {@code gruLayer}, {@code rnnLayer}). {@link #dropout(float, Generator)} drops out each layer's
 * output but the last's in training, as PyTorch's {@code dropout} argument.
 *
 * <ul>
 *   <li>RNN: h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh) (or ReLU).</li>
 *   <li>LSTM (gates i, f, g, o): i = σ(·), f = σ(·), g = tanh(·), o = σ(·);
 *       c' = f·c + i·g, h' = o·tanh(c').</li>
 *   <li>GRU (gates r, z, n): r = σ(·), z = σ(·), n = tanh(x_n + r·(h·W_hnᵀ + b_hn));
 *       h' = (1 − z)·n + z·h.</li>
 * </ul>
 *
 * Shapes: input [T, N, in] ([N, T, in] with {@code batchFirst}); states [layers, N, hidden];
 * output [T, N, hidden] (or [N, T, hidden]), the last layer's h at every step.
 */
public class Recurrent extends Module {
    /** The cell. */
    public enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        /** Blocks of {@code hidden} rows in the weight matrices. */
        public final int gates;

        Mode(int gates) { this.gates = gates; }
    }

    /**
     * One time step as {@link #runStepwise} hands it over: the step's input x(t) [N, input], the
     * state before h(t−1) (and c(t−1) for an LSTM), the pre-activation W_ih·x(t) + b_ih +
     * W_hh·h(t−1) + b_hh [N, gates·hidden] (for an LSTM the gates i, f, g, o side by side), and
     * the new state h(t) (and c(t)). {@code t} counts from 0.
     */
    public record StepTensors(int t, Tensor x, Tensor hPrev, Tensor cPrev, Tensor preActivation, Tensor h, Tensor c) {}

    /** The last layer's output at every step, and the final states (c only for an LSTM, else null). */
    public record Output(Tensor output, Tensor h, Tensor c) {}

    public final Mode mode;
    public final int inputSize, hiddenSize, numLayers;
    public final boolean batchFirst, bidirectional;
    /** 2 when bidirectional, else 1. */
    public final int directions;
    /** Per layer and direction (index layer·directions + direction). */
    private final Parameter[] wIh, wHh, bIh, bHh;
    private float dropout;
    private Generator dropoutGen;

    /** PyTorch's keyword options, each off unless given. */
    public enum Option {
        /** No bias vectors ({@code bias=False}). */
        NO_BIAS,
        /** Inputs and outputs are [N, T, features] ({@code batch_first=True}); else [T, N, features]. */
        BATCH_FIRST,
        /**
         * Each layer also runs the sequence backwards with its own weights ({@code weight_ih_l0_reverse},
         * ...); its output is the two directions' h side by side [.., 2·hidden], and the states are
         * [2·layers, N, hidden] (layer 0 forward, layer 0 backward, layer 1 forward, ...), as
         * PyTorch's {@code bidirectional=True}.
         */
        BIDIRECTIONAL
    }

    /** A recurrent layer stack, e.g. {@code new Recurrent(Mode.LSTM, 64, 128, 1, g, Option.BATCH_FIRST)}. */
    public Recurrent(Mode mode, int inputSize, int hiddenSize, int numLayers, Generator g, Option... options) {
        this(mode, inputSize, hiddenSize, numLayers, !has(options, Option.NO_BIAS), has(options, Option.BATCH_FIRST),
                has(options, Option.BIDIRECTIONAL), g);
    }

    private static boolean has(Option[] options, Option o) {
        for (Option x : options) if (x == o) return true;
        return false;
    }

    private Recurrent(Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, boolean bidirectional, Generator g) {
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(mode + ": input size, hidden size and layers must be positive, got " + inputSize + ", "
                    + hiddenSize + ", " + numLayers);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.batchFirst = batchFirst;
        this.bidirectional = bidirectional;
        this.directions = bidirectional ? 2 : 1;
        int rows = mode.gates * hiddenSize;
        wIh = new Parameter[numLayers * directions];
        wHh = new Parameter[numLayers * directions];
        bIh = new Parameter[numLayers * directions];
        bHh = new Parameter[numLayers * directions];
        float k = (float) (1 / Math.sqrt(hiddenSize));
        for (int l = 0; l < numLayers; l++) {
            int in = l == 0 ? inputSize : hiddenSize * directions;
            for (int d = 0; d < directions; d++) {
                int i = l * directions + d;
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                wIh[i] = registerParameter("weight_ih" + suffix, new Parameter(Tensor.zeros(rows, in)));
                wHh[i] = registerParameter("weight_hh" + suffix, new Parameter(Tensor.zeros(rows, hiddenSize)));
                if (bias) {
                    bIh[i] = registerParameter("bias_ih" + suffix, new Parameter(Tensor.zeros(rows)));
                    bHh[i] = registerParameter("bias_hh" + suffix, new Parameter(Tensor.zeros(rows)));
                }
            }
        }
        // PyTorch draws every parameter from U(−k, k), in registration order.
        for (Parameter p : parameters()) Init.uniform(p, -k, k, g);
    }

    /**
     * Dropout with probability {@code p} on the outputs of every layer but the last, in training
     * only (PyTorch's {@code dropout}); with one layer it changes nothing, as in PyTorch.
     */
    public Recurrent dropout(float p, Generator g) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException(mode + ": dropout must be in [0, 1], got " + p);
        this.dropout = p;
        this.dropoutGen = g;
        return this;
    }

    /**
     * The same recurrence as {@link #run}, for a one-layer, one-direction RNN or LSTM from zero
     * states, written out step by step with the engine's ordinary operations — each step its own
     * nodes in the graph, its tensors handed to {@code observer} — so that backpropagation through
     * time can be seen step by step (explain). The values are those of {@link #run} up to float
     * rounding; it is for explaining, not for speed.
     */
    public Output runStepwise(Tensor x, Consumer<StepTensors> observer) {
        if (numLayers != 1 || bidirectional || mode == Mode.GRU) {
            throw new IllegalArgumentException("runStepwise: one layer of an RNN or LSTM in one direction, not " + this);
        }
        Tensor seq = batchFirst ? x.transpose(0, 1) : x;          // [T, N, in]
        int steps = seq.size(0), n = seq.size(1), hs = hiddenSize;
        Tensor h = Tensor.zeros(n, hs), c = mode == Mode.LSTM ? Tensor.zeros(n, hs) : null;
        List<Tensor> outs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Tensor xt = seq.select(0, t);                                                  // [N, in]
            Tensor pre = F.linear(xt, wIh[0], bIh[0]).add(F.linear(h, wHh[0], bHh[0]));    // [N, gates·hidden]
            Tensor hPrev = h, cPrev = c;
            switch (mode) {
                case RNN_TANH -> h = pre.tanh();
                case RNN_RELU -> h = pre.relu();
                default -> {                                                                 // LSTM: i, f, g, o
                    Tensor i = pre.slice(1, 0, hs).sigmoid(), f = pre.slice(1, hs, 2 * hs).sigmoid();
                    Tensor g = pre.slice(1, 2 * hs, 3 * hs).tanh(), o = pre.slice(1, 3 * hs, 4 * hs).sigmoid();
                    c = f.mul(c).add(i.mul(g));
                    h = o.mul(c.tanh());
                }
            }
            observer.accept(new StepTensors(t, xt, hPrev, cPrev, pre, h, c));
            outs.add(h);
        }
        Tensor out = Tensor.stack(outs, 0);                                                  // [T, N, hidden]
        if (batchFirst) out = out.transpose(0, 1);
        return new Output(out, h.reshape(1, n, hs), c == null ? null : c.reshape(1, n, hs));
    }

    /** The output sequence only. */
    @Override
    public Tensor forward(Tensor x) { return run(x, null, null).output(); }

    /** From zero initial states. */
    public Output run(Tensor x) { return run(x, null, null); }

    /**
     * Runs the layers over the sequence. {@code h0} (and {@code c0} for an LSTM) are
     * [layers, N, hidden], or null for zeros.
     */
    public Output run(Tensor x, Tensor h0, Tensor c0) {
        String name = mode.name().toLowerCase(Locale.ROOT);
        if (x.dim() != 3) {
            throw new IllegalArgumentException(name + ": input must be " + (batchFirst ? "[N, T, input]" : "[T, N, input]") + ", got "
                    + Shapes.str(x.shape()));
        }
        Tensor seq = batchFirst ? x.transpose(0, 1) : x;          // [T, N, in]
        int steps = seq.size(0), n = seq.size(1);
        if (seq.size(2) != inputSize) {
            throw new IllegalArgumentException(name + ": input has " + seq.size(2) + " features per step, the layer takes " + inputSize);
        }
        checkState(name, "h0", h0, n);
        if (mode == Mode.LSTM) checkState(name, "c0", c0, n);
        else if (c0 != null) throw new IllegalArgumentException(name + ": only an LSTM takes c0");
        if (steps == 0) throw new IllegalArgumentException(name + ": the sequence is empty (T = 0)");
        int hs = hiddenSize;
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor layerIn = seq;
        int[] reversed = new int[steps];
        for (int t = 0; t < steps; t++) reversed[t] = steps - 1 - t;
        for (int l = 0; l < numLayers; l++) {
            int in = layerIn.size(2);
            List<Tensor> outs = new ArrayList<>(directions);
            for (int d = 0; d < directions; d++) {
                int i = l * directions + d;
                // every step's input projection in one product: [T·N, in] → [T, N, gates·hidden];
                // the backward direction runs the same layer over the steps in reverse order
                Tensor proj = F.linear(layerIn.reshape(steps * n, in), wIh[i], bIh[i]).reshape(steps, n, mode.gates * hs);
                if (d == 1) proj = proj.indexSelect(0, reversed);
                Tensor h = h0 == null ? Tensor.zeros(n, hs) : h0.select(0, i);
                Tensor y;
                if (mode == Mode.LSTM) {
                    // the whole layer as one node, its backpropagation through time written out
                    Tensor c = c0 == null ? Tensor.zeros(n, hs) : c0.select(0, i);
                    Tensor yc = FusedOps.lstmLayer(proj, h, c, wHh[i], bHh[i]);   // [T + 1, N, hidden]
                    cn.add(yc.select(0, steps));
                    y = yc.slice(0, 0, steps);
                } else if (mode == Mode.GRU) {
                    y = FusedOps.gruLayer(proj, h, wHh[i], bHh[i]);                // [T, N, hidden]
                } else {
                    y = FusedOps.rnnLayer(proj, h, wHh[i], bHh[i], mode == Mode.RNN_RELU);
                }
                hn.add(y.select(0, steps - 1));                        // the state after the direction's last step
                outs.add(d == 1 ? y.indexSelect(0, reversed) : y);     // back in time order
            }
            layerIn = dropBetween(directions == 1 ? outs.get(0) : Tensor.cat(outs, 2), l);   // [T, N, directions·hidden]
        }
        Tensor out = batchFirst ? layerIn.transpose(0, 1) : layerIn;
        return new Output(hooked(x, out), Tensor.stack(hn, 0), mode == Mode.LSTM ? Tensor.stack(cn, 0) : null);
    }

    /** A layer's output on its way to the next layer: dropped out in training, the last layer's never. */
    private Tensor dropBetween(Tensor y, int layer) {
        return dropout > 0f && layer < numLayers - 1 ? F.dropout(y, dropout, isTraining(), dropoutGen) : y;
    }

    private void checkState(String name, String what, Tensor s, int n) {
        if (s == null) return;
        if (s.dim() != 3 || s.size(0) != numLayers * directions || s.size(1) != n || s.size(2) != hiddenSize) {
            throw new IllegalArgumentException(name + ": " + what + " must be [" + numLayers * directions + ", " + n + ", " + hiddenSize + "] ("
                    + (bidirectional ? "layers × 2 directions" : "layers") + ", batch, hidden), got "
                    + Shapes.str(s.shape()));
        }
    }

    @Override
    protected String extraRepr() {
        return mode + ", " + inputSize + ", " + hiddenSize + ", layers=" + numLayers + (batchFirst ? ", batch_first" : "") + (bidirectional ? ", bidirectional" : "") + (dropout > 0f ? ", dropout=" + dropout : "");
    }

    /** PyTorch's nn.RNN with tanh (for ReLU: {@code new Recurrent(Mode.RNN_RELU, ...)}). */
    public static Recurrent rnn(int inputSize, int hiddenSize, int numLayers, Generator g) {
        return new Recurrent(Mode.RNN_TANH, inputSize, hiddenSize, numLayers, g);
    }

    /** PyTorch's nn.LSTM. */
    public static Recurrent lstm(int inputSize, int hiddenSize, int numLayers, Generator g) {
        return new Recurrent(Mode.LSTM, inputSize, hiddenSize, numLayers, g);
    }

    /** PyTorch's nn.GRU. */
    public static Recurrent gru(int inputSize, int hiddenSize, int numLayers, Generator g) {
        return new Recurrent(Mode.GRU, inputSize, hiddenSize, numLayers, g);
    }
}
