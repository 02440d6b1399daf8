package dev.glassbox.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.Golden;
import dev.glassbox.tensor.GradCheck;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RNN, LSTM and GRU against PyTorch's nn modules (state dicts loaded by name) and finite differences. */
class RecurrentTest {
    private static void close(float[] want, float[] got, String what) { Golden.close(want, got, 2e-5f, what); }

    private static int[] shape(JsonNode a) { return Golden.ints(a); }

    /** Loads PyTorch's state dict by name, runs the same input and compares outputs, states and gradients. */
    private static void matchesTorch(String key, Recurrent m) {
        JsonNode g = Golden.section("recurrent").get(key);
        Map<String, Tensor> state = new LinkedHashMap<>();
        g.get("state").fields().forEachRemaining(e -> state.put(e.getKey(),
                Tensor.of(Golden.floats(e.getValue().get("values")), shape(e.getValue().get("shape")))));
        assertEquals(List.copyOf(state.keySet()), List.copyOf(m.namedParameters().keySet()), key + ": parameter names and order");
        m.loadStateDict(state);
        Tensor x = Tensor.of(Golden.floats(g.get("x")), shape(g.get("x_shape"))).requiresGrad(true);
        int layers = m.numLayers * m.directions, n = m.batchFirst ? x.size(0) : x.size(1);
        Tensor h0 = g.has("h0") ? Tensor.of(Golden.floats(g.get("h0")), layers, n, m.hiddenSize) : null;
        Tensor c0 = g.has("c0") ? Tensor.of(Golden.floats(g.get("c0")), layers, n, m.hiddenSize) : null;
        Recurrent.Output out = m.run(x, h0, c0);
        assertArrayEquals(shape(g.get("y_shape")), out.output().shape(), key + " output shape");
        close(Golden.floats(g.get("y")), out.output().data(), key + " output");
        close(Golden.floats(g.get("h_n")), out.h().data(), key + " h_n");
        Tensor loss = out.output().mul(Tensor.of(Golden.floats(g.get("proj_y")), out.output().shape())).sum()
                .add(out.h().mul(Tensor.of(Golden.floats(g.get("proj_h")), out.h().shape())).sum());
        if (g.has("c_n")) {
            close(Golden.floats(g.get("c_n")), out.c().data(), key + " c_n");
            loss = loss.add(out.c().mul(Tensor.of(Golden.floats(g.get("proj_c")), out.c().shape())).sum());
        } else {
            assertNull(out.c());
        }
        loss.backward();
        close(Golden.floats(g.get("dx")), x.grad().data(), key + " dx");
        for (var e : m.namedParameters().entrySet()) {
            close(Golden.floats(g.get("grads").get(e.getKey())), e.getValue().grad().data(), key + " d" + e.getKey());
        }
    }

    @Test
    void lstmMatchesTorch() { matchesTorch("lstm", Recurrent.lstm(3, 4, 2, new Generator(1))); }

    @Test
    void gruMatchesTorch() { matchesTorch("gru", new Recurrent(Recurrent.Mode.GRU, 3, 4, 1, new Generator(1), Recurrent.Option.BATCH_FIRST)); }

    @Test
    void bidirectionalLayersMatchTorch() {
        matchesTorch("lstm_bi", new Recurrent(Recurrent.Mode.LSTM, 3, 4, 2, new Generator(1), Recurrent.Option.BIDIRECTIONAL));
        matchesTorch("gru_bi", new Recurrent(Recurrent.Mode.GRU, 3, 4, 1, new Generator(1), Recurrent.Option.BATCH_FIRST, Recurrent.Option.BIDIRECTIONAL));
        Recurrent bi = new Recurrent(Recurrent.Mode.LSTM, 3, 4, 2, new Generator(1), Recurrent.Option.BIDIRECTIONAL);
        assertArrayEquals(new int[] {16, 8}, bi.namedParameters().get("weight_ih_l1").shape(), "layer 1 reads both directions");
        var e = assertThrows(IllegalArgumentException.class, () -> bi.run(Tensor.zeros(5, 2, 3), Tensor.zeros(2, 2, 4), Tensor.zeros(4, 2, 4)));
        assertTrue(e.getMessage().contains("h0 must be [4, 2, 4] (layers × 2 directions, batch, hidden)"), e.getMessage());
    }

    @Test
    void rnnMatchesTorch() {
        matchesTorch("rnn_tanh", Recurrent.rnn(3, 4, 2, new Generator(1)));
        matchesTorch("rnn_relu", new Recurrent(Recurrent.Mode.RNN_RELU, 3, 5, 1, new Generator(1), Recurrent.Option.NO_BIAS));
    }

    /** Whole unrolled sequences against central differences, for every parameter and the input. */
    @Test
    void unrolledSequencesMatchFiniteDifferences() {
        for (Recurrent.Mode mode : Recurrent.Mode.values()) {
            boolean bi = mode.ordinal() % 2 == 0;   // RNN_TANH and LSTM bidirectional, the others one way
            Recurrent m = (bi ? new Recurrent(mode, 2, 3, 2, new Generator(5), Recurrent.Option.BIDIRECTIONAL) : new Recurrent(mode, 2, 3, 2, new Generator(5)));
            int states = 2 * m.directions;
            Tensor x = Tensor.randn(new Generator(6), 4, 2, 2);
            Tensor h0 = Tensor.randn(new Generator(7), states, 2, 3).mul(0.5f);
            Tensor c0 = mode == Recurrent.Mode.LSTM ? Tensor.randn(new Generator(8), states, 2, 3).mul(0.5f) : null;
            List<Tensor> inputs = new java.util.ArrayList<>(List.of(x, h0));
            if (c0 != null) inputs.add(c0);
            inputs.addAll(m.parameters());
            // ReLU has a kink: a step of 1e-2 crosses it for some units, so its check uses 1e-3.
            GradCheck.check(mode + " sequence", mode == Recurrent.Mode.RNN_RELU ? 1e-3f : 1e-2f, 3e-2, 3e-3, in -> {
                Recurrent.Output o = m.run(x, h0, c0);
                Tensor all = Tensor.cat(List.of(o.output().reshape(-1), o.h().reshape(-1)), 0);
                return o.c() == null ? all : Tensor.cat(List.of(all, o.c().reshape(-1)), 0);
            }, inputs.toArray(Tensor[]::new));
        }
    }

    /** The stepwise recurrence (explain's) gives run's outputs, states and gradients, and hands over every step. */
    @Test
    void stepwiseRunMatchesTheFusedOne() {
        for (Recurrent.Mode mode : List.of(Recurrent.Mode.RNN_TANH, Recurrent.Mode.RNN_RELU, Recurrent.Mode.LSTM)) {
            Recurrent m = new Recurrent(mode, 3, 4, 1, new Generator(11), Recurrent.Option.BATCH_FIRST);
            Tensor x = Tensor.randn(new Generator(12), 2, 5, 3);
            Recurrent.Output fused = m.run(x, null, null);
            fused.output().sum().backward();
            Map<String, float[]> want = new LinkedHashMap<>();
            m.namedParameters().forEach((k, p) -> want.put(k, p.grad().toArray()));
            m.zeroGrad();
            List<Recurrent.StepTensors> seen = new java.util.ArrayList<>();
            Recurrent.Output stepwise = m.runStepwise(x, seen::add);
            close(fused.output().toArray(), stepwise.output().toArray(), mode + " outputs");
            close(fused.h().toArray(), stepwise.h().toArray(), mode + " final h");
            if (mode == Recurrent.Mode.LSTM) close(fused.c().toArray(), stepwise.c().toArray(), mode + " final c");
            else assertNull(stepwise.c());
            assertEquals(5, seen.size());
            for (Recurrent.StepTensors st : seen) {
                assertArrayEquals(new int[] {2, m.mode.gates * 4}, st.preActivation().shape(), mode + " pre-activation shape");
                close(x.select(1, st.t()).toArray(), st.x().toArray(), mode + " step input");
            }
            stepwise.output().sum().backward();
            m.namedParameters().forEach((k, p) -> close(want.get(k), p.grad().toArray(), mode + " gradient of " + k));
        }
        Recurrent two = Recurrent.lstm(3, 4, 2, new Generator(1));
        assertThrows(IllegalArgumentException.class, () -> two.runStepwise(Tensor.zeros(2, 1, 3), st -> {}));
    }

    /** Dropout between stacked layers: only in training, never after the last layer, repeatable for a seed. */
    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        Tensor x = Tensor.randn(new Generator(4), 5, 3, 2);
        for (Recurrent.Mode mode : Recurrent.Mode.values()) {
            Recurrent plain = new Recurrent(mode, 2, 6, 2, new Generator(9));
            Recurrent dropped = new Recurrent(mode, 2, 6, 2, new Generator(9)).dropout(0.5f, new Generator(1));
            Tensor want = plain.run(x).output();
            dropped.eval();
            assertArrayEquals(want.data(), dropped.run(x).output().data(), 0f, mode + ": eval mode is the identity");
            dropped.train();
            float[] a = dropped.run(x).output().data();
            assertFalse(java.util.Arrays.equals(want.data(), a), mode + ": training drops units of layer 0's output");
            Recurrent again = new Recurrent(mode, 2, 6, 2, new Generator(9)).dropout(0.5f, new Generator(1));
            assertArrayEquals(a, again.run(x).output().data(), 0f, mode + ": a seed repeats the masks");
            Recurrent single = new Recurrent(mode, 2, 6, 1, new Generator(9)).dropout(0.5f, new Generator(1));
            Recurrent singlePlain = new Recurrent(mode, 2, 6, 1, new Generator(9));
            assertArrayEquals(singlePlain.run(x).output().data(), single.run(x).output().data(), 0f, mode + ": nothing after the last layer");
        }
        assertThrows(IllegalArgumentException.class, () -> Recurrent.lstm(2, 3, 2, new Generator(1)).dropout(1.5f, new Generator(1)));
    }

    @Test
    void initialisationAndErrorsFollowTorch() {
        Recurrent lstm = Recurrent.lstm(10, 8, 1, new Generator(3));
        assertArrayEquals(new int[] {32, 10}, lstm.namedParameters().get("weight_ih_l0").shape());
        float k = (float) (1 / Math.sqrt(8));
        for (Parameter p : lstm.parameters()) for (float v : p.data()) assertTrue(v >= -k && v <= k, "U(-1/sqrt(H), 1/sqrt(H))");
        var bad = assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensor.zeros(5, 2, 9)));
        assertEquals("lstm: input has 9 features per step, the layer takes 10", bad.getMessage());
        var badState = assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensor.zeros(5, 2, 10), Tensor.zeros(1, 3, 8), null));
        assertTrue(badState.getMessage().contains("h0 must be [1, 2, 8]"), badState.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> lstm.run(Tensor.zeros(5, 10)));
        assertTrue(rank.getMessage().contains("[T, N, input]"), rank.getMessage());
    }
}
