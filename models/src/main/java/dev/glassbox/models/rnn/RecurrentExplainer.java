package dev.glassbox.models.rnn;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real Adam step of {@link CourseRnn} (an RNN or LSTM cell) on one sentence, unrolled in
 * time and recorded as a {@link Trace}: the recurrence is the engine's own, run step by step
 * ({@link CourseRnn#forwardStepwise}) so that each step's pre-activations are seen and keep
 * their gradients; the output layer is seen through a forward hook; the losses, gradients and
 * update are the engine's. Each shared weight's gradient is given with each time step's share.
 */
final class RecurrentExplainer {
    private RecurrentExplainer() {}

    private static final float BETA1 = 0.9f, BETA2 = 0.999f, EPS = 1e-8f;

    /** The course's names of the parameters. */
    private static final Map<String, String> LABELS = Map.of("rnn.weight_ih_l0", "W_ih", "rnn.weight_hh_l0", "W_hh", "rnn.bias_ih_l0", "b_ih",
            "rnn.bias_hh_l0", "b_hh", "W_ho.weight", "W_ho");

    static Trace explain(CourseRnn m, String model, String sentence, float lr, List<Demo> demos) {
        int[] ids = m.ids(sentence);
        if (ids.length < 2) throw new IllegalArgumentException("explain " + model + ": a sentence of at least two words, got '" + sentence + "'");
        boolean lstm = m.rnn.mode == Recurrent.Mode.LSTM;
        int steps = ids.length - 1, v = m.vocabSize(), h = CourseRnn.HIDDEN, gh = m.rnn.mode.gates * h;
        int[] inputs = Arrays.copyOf(ids, steps), targets = Arrays.copyOfRange(ids, 1, ids.length);
        Map<String, Parameter> params = m.namedParameters();
        List<Graph.Weight> weights = new ArrayList<>();
        Map<String, float[]> before = new LinkedHashMap<>();
        params.forEach((id, p) -> {
            weights.add(new Graph.Weight(id, LABELS.get(id), p.shape(), p.toArray(), Graph.Training.TRAINED));
            before.put(id, p.toArray());
        });

        m.train();
        Tensor[] seenOutput = new Tensor[2];                                     // the output layer's input S(t) and its z, every step
        List<Recurrent.StepTensors> seen = new ArrayList<>();
        Tensor x = m.oneHot(new int[][] {inputs});                               // [T, 1, V]
        Tensor scores;
        try (Module.HookHandle ignored = m.output.registerForwardHook((mod, in, out) -> {
            seenOutput[0] = in;
            seenOutput[1] = out.retainGrad();
        })) {
            scores = m.forwardStepwise(x, st -> {
                st.preActivation().retainGrad();
                seen.add(st);
            }).reshape(steps, v);
        }
        Tensor perStep = F.crossEntropy(scores, targets, Reduction.NONE);      // L_1, L_2, ...
        Tensor loss = perStep.sum();                                             // the recipe's loss of one sentence: the steps' sum
        Adam opt = new Adam(m.parameters(), lr);
        m.zeroGrad();
        loss.backward();

        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = scores.softmax(-1).toArray();
        }
        float[] z = seenOutput[1].toArray(), dz = seenOutput[1].grad().toArray();
        float[] losses = perStep.toArray();
        float[] wih = before.get("rnn.weight_ih_l0"), whh = before.get("rnn.weight_hh_l0"), who = before.get("W_ho.weight");
        float[] bias = new float[gh];
        if (lstm) for (int j = 0; j < gh; j++) bias[j] = before.get("rnn.bias_ih_l0")[j] + before.get("rnn.bias_hh_l0")[j];

        List<Graph.Layer> layers = new ArrayList<>();
        List<Graph.Connection> connections = new ArrayList<>();
        layers.add(units("s0", "S(0)", Graph.Role.INPUT, null, "s", h, 0));
        if (lstm) layers.add(units("c0", "C(0)", Graph.Role.INPUT, null, "c", h, 0));
        List<Event> events = new ArrayList<>();
        float[] oneHots = new float[steps * v], targetRows = new float[steps * v];
        float[][] states = new float[steps + 1][], cells = new float[steps + 1][], pre = new float[steps][], dPre = new float[steps][];
        states[0] = new float[h];
        cells[0] = new float[h];
        for (int t = 1; t <= steps; t++) {
            Recurrent.StepTensors st = seen.get(t - 1);
            float[] xt = st.x().toArray();
            System.arraycopy(xt, 0, oneHots, (t - 1) * v, v);
            targetRows[(t - 1) * v + targets[t - 1]] = 1f;
            states[t] = st.h().toArray();
            pre[t - 1] = st.preActivation().toArray();
            dPre[t - 1] = st.preActivation().grad().toArray();
            String xs = "x" + t, ss = "s" + t, ys = "y" + t, prevS = "s" + (t - 1);
            layers.add(words(xs, "X(" + t + ")", Graph.Role.INPUT, null, m.vocabulary, t));
            float[] in = concat(xt, states[t - 1]);
            if (lstm) {
                String gs = "g" + t, cs = "c" + t;
                cells[t] = st.c().toArray();
                List<Graph.Node> gates = new ArrayList<>();
                for (int k = 0; k < gh; k++) gates.add(new Graph.Node(gateNode(t, k, h), GATES.charAt(k / h) + String.valueOf(k % h + 1), Graph.NodeKind.UNIT));
                layers.add(new Graph.Layer(gs, "G(" + t + ")", Graph.Role.HIDDEN, "lstm_gates", gates, t));
                layers.add(units(cs, "C(" + t + ")", Graph.Role.HIDDEN, "lstm_cell", "c", h, t));
                layers.add(units(ss, "S(" + t + ")", Graph.Role.HIDDEN, "lstm_state", "s", h, t));
                connections.add(new Graph.Connection(xs, gs, Graph.Pattern.DENSE, "rnn.weight_ih_l0", "rnn.bias_ih_l0"));
                connections.add(new Graph.Connection(prevS, gs, Graph.Pattern.RECURRENT, "rnn.weight_hh_l0", "rnn.bias_hh_l0"));
                connections.add(new Graph.Connection(gs, cs, Graph.Pattern.LSTM_CELL, null, null));
                connections.add(new Graph.Connection("c" + (t - 1), cs, Graph.Pattern.LSTM_CELL, null, null));
                connections.add(new Graph.Connection(gs, ss, Graph.Pattern.LSTM_OUTPUT, null, null));
                connections.add(new Graph.Connection(cs, ss, Graph.Pattern.LSTM_OUTPUT, null, null));
                float[] act = new float[gh];
                for (int k = 0; k < gh; k++) {
                    boolean candidate = k / h == 2;
                    act[k] = candidate ? (float) Math.tanh(pre[t - 1][k]) : (float) (1 / (1 + Math.exp(-pre[t - 1][k])));
                    events.add(new Event.Forward(gs, gates.get(k).id(), in, concat(row(wih, k, v), row(whh, k, h)), bias[k], pre[t - 1][k],
                            candidate ? "tanh" : "sigmoid", act[k]));
                }
                for (int j = 0; j < h; j++) {
                    events.add(new Event.LstmCell(cs, ss, j + 1, act[j], act[h + j], act[2 * h + j], act[3 * h + j], cells[t - 1][j], cells[t][j],
                            states[t][j]));
                }
            } else {
                layers.add(units(ss, "S(" + t + ")", Graph.Role.HIDDEN, "tanh", "s", h, t));
                connections.add(new Graph.Connection(xs, ss, Graph.Pattern.DENSE, "rnn.weight_ih_l0", null));
                connections.add(new Graph.Connection(prevS, ss, Graph.Pattern.RECURRENT, "rnn.weight_hh_l0", null));
                for (int j = 0; j < h; j++) {
                    events.add(new Event.Forward(ss, ss + "." + (j + 1), in, concat(row(wih, j, v), row(whh, j, h)), 0f, pre[t - 1][j], "tanh",
                            states[t][j]));
                }
            }
            layers.add(words(ys, "Y(" + t + ")", Graph.Role.OUTPUT, "softmax", m.vocabulary, t));
            connections.add(new Graph.Connection(ss, ys, Graph.Pattern.DENSE, "W_ho.weight", null));
            for (int j = 0; j < v; j++) {
                events.add(new Event.Forward(ys, ys + "." + (j + 1), states[t], row(who, j, h), 0f, z[(t - 1) * v + j], "softmax",
                        probs[(t - 1) * v + j]));
            }
            events.add(new Event.Loss("cross_entropy", ys, Arrays.copyOfRange(probs, (t - 1) * v, t * v), Arrays.copyOfRange(targetRows, (t - 1) * v, t * v),
                    targets[t - 1], losses[t - 1]));
        }
        events.add(new Event.TotalLoss(losses, "sum", loss.item()));

        for (int t = steps; t >= 1; t--) {
            for (int j = 0; j < v; j++) events.add(new Event.NodeGradient("y" + t, "y" + t + "." + (j + 1), dz[(t - 1) * v + j]));
            String layer = (lstm ? "g" : "s") + t;
            for (int k = 0; k < (lstm ? gh : h); k++) {
                events.add(new Event.NodeGradient(layer, lstm ? gateNode(t, k, h) : layer + "." + (k + 1), dPre[t - 1][k]));
            }
        }

        float[][] xs = new float[steps][];
        for (int t = 0; t < steps; t++) xs[t] = Arrays.copyOfRange(oneHots, t * v, (t + 1) * v);
        Map<String, float[][]> shares = new LinkedHashMap<>();
        shares.put("rnn.weight_ih_l0", outer(dPre, xs));                        // dL/dz of the cell at t times X(t)
        shares.put("rnn.weight_hh_l0", outer(dPre, Arrays.copyOf(states, steps))); // ... times S(t−1)
        if (lstm) {
            shares.put("rnn.bias_ih_l0", dPre.clone());
            shares.put("rnn.bias_hh_l0", dPre.clone());
        }
        float[][] dY = new float[steps][];
        for (int t = 0; t < steps; t++) dY[t] = Arrays.copyOfRange(dz, t * v, (t + 1) * v);
        shares.put("W_ho.weight", outer(dY, Arrays.copyOfRange(states, 1, steps + 1)));   // dL/dz of Y(t) times S(t)
        Map<String, float[]> grads = new LinkedHashMap<>();
        params.forEach((id, p) -> {
            grads.put(id, p.grad().toArray());
            events.add(new Event.WeightGradient(id, grads.get(id), shares.get(id)));
        });
        opt.step();
        Optimizer.State state = opt.state();
        int p = 0;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            events.add(new Event.Update(e.getKey(), before.get(e.getKey()), grads.get(e.getKey()), e.getValue().toArray(),
                    state.buffers().get(p + ".exp_avg"), state.buffers().get(p + ".exp_avg_sq")));
            p++;
        }
        m.eval();
        List<String> words = Arrays.stream(ids).mapToObj(m.vocabulary::get).toList();
        return new Trace(Trace.SCHEMA, model, null, demos, new Graph(layers, connections, weights),
                new Trace.Example(oneHots, new int[] {steps, v}, targetRows, null, words), Trace.Rule.adam(lr, BETA1, BETA2, EPS, 1), events);
    }

    /**
     * How much of the last prediction's loss reaches each input word through an RNN and through
     * an LSTM of the course's size over the words of {@code sentences}, both fresh from
     * {@code seed}: ‖dL/dX(t)‖ by the engine's backward pass, and as a fraction of the last word's.
     */
    static Demo.GradientFlow gradientFlow(List<String> sentences, String sentence, long seed) {
        List<Demo.Flow> flows = new ArrayList<>();
        List<String> words = null;
        String target = null;
        for (Recurrent.Mode cell : List.of(Recurrent.Mode.RNN_TANH, Recurrent.Mode.LSTM)) {
            CourseRnn net = new CourseRnn(cell, sentences, new Generator(seed));
            int[] ids = net.ids(sentence);
            if (ids.length < 3) throw new IllegalArgumentException("the gradient's flow needs a sentence of at least three words, got '" + sentence + "'");
            int steps = ids.length - 1;
            Tensor x = net.oneHot(new int[][] {Arrays.copyOf(ids, steps)}).requiresGrad(true);
            Tensor last = net.forward(x).reshape(steps, net.vocabSize()).slice(0, steps - 1, steps);
            F.crossEntropy(last, new int[] {ids[steps]}).backward();
            float[] g = x.grad().toArray(), norms = new float[steps], fractions = new float[steps];
            int v = net.vocabSize();
            for (int t = 0; t < steps; t++) {
                double sq = 0;
                for (int k = 0; k < v; k++) sq += (double) g[t * v + k] * g[t * v + k];
                norms[t] = (float) Math.sqrt(sq);
            }
            for (int t = 0; t < steps; t++) fractions[t] = norms[t] / norms[steps - 1];
            flows.add(new Demo.Flow(cell == Recurrent.Mode.LSTM ? "lstm" : "rnn", CourseRnn.HIDDEN, norms, fractions));
            words = Arrays.stream(ids).mapToObj(net.vocabulary::get).toList();
            target = net.vocabulary.get(ids[steps]);
        }
        return new Demo.GradientFlow(words, target, flows);
    }

    /** The LSTM's gates in PyTorch's order: input, forget, candidate, output. */
    private static final String GATES = "ifgo";

    /** The id of the k-th gate unit of G(t): g3.f2 is the forget gate of unit 2 at step 3. */
    private static String gateNode(int t, int k, int h) { return "g" + t + "." + GATES.charAt(k / h) + (k % h + 1); }

    /** Row j of a [rows, cols] weight. */
    private static float[] row(float[] w, int j, int cols) { return Arrays.copyOfRange(w, j * cols, (j + 1) * cols); }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Per step t, the outer product gradient[t] ⊗ values[t] as a [rows, cols] weight's share. */
    private static float[][] outer(float[][] gradient, float[][] values) {
        float[][] out = new float[gradient.length][];
        for (int t = 0; t < gradient.length; t++) {
            float[] g = gradient[t], x = values[t], s = new float[g.length * x.length];
            for (int j = 0; j < g.length; j++) for (int i = 0; i < x.length; i++) s[j * x.length + i] = g[j] * x[i];
            out[t] = s;
        }
        return out;
    }

    private static Graph.Layer units(String id, String label, Graph.Role role, String activation, String prefix, int n, int step) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 1; j <= n; j++) nodes.add(new Graph.Node(id + "." + j, prefix + j, Graph.NodeKind.UNIT));
        return new Graph.Layer(id, label, role, activation, nodes, step);
    }

    /** A layer of one node per vocabulary word, labelled by the word. */
    private static Graph.Layer words(String id, String label, Graph.Role role, String activation, List<String> vocabulary, int step) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 0; j < vocabulary.size(); j++) nodes.add(new Graph.Node(id + "." + (j + 1), vocabulary.get(j), Graph.NodeKind.UNIT));
        return new Graph.Layer(id, label, role, activation, nodes, step);
    }
}
