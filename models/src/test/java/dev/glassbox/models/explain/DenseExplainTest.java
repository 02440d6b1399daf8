package dev.glassbox.models.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.course.StackedAutoencoder;
import dev.glassbox.models.train.InvalidSettingException;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-by-node trace of every dense model, recomputed number by number from its weights. */
class DenseExplainTest {
    private static Trace explain(String model, ExplainRequest r) throws IOException {
        return assertInstanceOf(Trace.class, Recipes.get(model).explain(null, r));
    }

    @Test
    void everyDenseModelsTraceRecomputesFromItsWeights() throws IOException {
        for (String model : List.of("linear", "logistic", "dnn")) TraceCheck.verify(explain(model, ExplainRequest.of(0.5f, 42)));
        for (int stage = 1; stage <= 4; stage++) TraceCheck.verify(explain("autoencoder", ExplainRequest.of(3e-3f, 7).withStage(stage)));
    }

    @Test
    void theGraphIsTheCoursesDrawing() throws IOException {
        Trace dnn = explain("dnn", ExplainRequest.of(0.5f, 42));
        Graph g = dnn.graph();
        assertEquals(List.of("input layer", "hidden layer 1", "hidden layer 2", "output layer"), g.layers().stream().map(Graph.Layer::label).toList());
        assertEquals(List.of(25, 3, 3, 10), g.layers().stream().map(Graph.Layer::units).toList(), "25-3-3-10: bias nodes are not counted");
        assertEquals(Graph.NodeKind.BIAS, g.layers().getFirst().nodes().getLast().kind(), "a bias node is drawn");
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), g.weights().stream().map(Graph.Weight::label).toList());
        assertEquals("hidden1.weight", g.connections().getFirst().weight());
        Trace linear = explain("linear", ExplainRequest.of(0.1f, 42));
        assertEquals("w_io", linear.graph().weights().getFirst().label(), "the course's w_io");
        assertEquals("sgd", dnn.rule().name());
        Trace ae = explain("autoencoder", ExplainRequest.of(3e-3f, 7));
        assertEquals("adam", ae.rule().name(), "explained with the optimizer it trains with");
        assertEquals(List.of("W_en1", "b_en1", "W_en2", "b_en2", "W_c", "b_c"), ae.graph().weights().stream().map(Graph.Weight::label).toList());
    }

    @Test
    void theAutoencodersStagesTrainWhatTheCourseSays() throws IOException {
        Trace s1 = explain("autoencoder", ExplainRequest.of(3e-3f, 7).withStage(1));
        assertEquals(new Trace.Stage(1, 4, "encoder_1/decoder_1", "X"), s1.stage());
        assertEquals(List.of("X", "Z1", "X_hat"), s1.graph().layers().stream().map(Graph.Layer::label).toList());
        assertArrayEquals(s1.example().input(), s1.example().target(), 0f, "stage 1's target is X itself");
        assertEquals("mse", s1.events(Event.Loss.class).getFirst().kind());

        Trace s2 = explain("autoencoder", ExplainRequest.of(3e-3f, 7).withStage(2));
        assertEquals(List.of("X", "Z1", "Z2", "Z1_hat"), s2.graph().layers().stream().map(Graph.Layer::label).toList());
        float[] z1 = s2.events(Event.Forward.class).stream().filter(f -> f.layer().equals("encoder_1")).map(Event.Forward::value)
                .reduce(new float[0], (a, v) -> {
                    float[] b = java.util.Arrays.copyOf(a, a.length + 1);
                    b[a.length] = v;
                    return b;
                }, (a, b) -> a);
        assertArrayEquals(z1, s2.example().target(), 1e-6f, "stage 2's target is Z1 = encoder_1(X)");
        assertEquals(Graph.Training.FROZEN, s2.weight("encoder_1.weight").training(), "encoder_1 is fixed in stage 2");
        assertEquals(Graph.Training.TRAINED, s2.weight("encoder_2.weight").training());

        Trace s3 = explain("autoencoder", ExplainRequest.of(3e-3f, 7).withStage(3));
        assertEquals(List.of("classifier.weight", "classifier.bias"), s3.events(Event.Update.class).stream().map(Event.Update::weight).toList(),
                "stage 3 trains only the classifier W_c");
        Trace s4 = explain("autoencoder", ExplainRequest.of(3e-3f, 7));
        assertEquals(4, s4.stage().index(), "fine-tuning unless a stage is asked for");
        assertEquals(6, s4.events(Event.Update.class).size(), "fine-tuning trains encoder_1, encoder_2 and W_c");
        var bad = assertThrows(InvalidSettingException.class, () -> explain("autoencoder", ExplainRequest.of(3e-3f, 7).withStage(5)));
        assertEquals("stage", bad.setting());
        var none = assertThrows(InvalidSettingException.class, () -> explain("dnn", ExplainRequest.of(0.5f, 7).withStage(2)));
        assertEquals("stage", none.setting());
    }

    @Test
    void aTargetGivenAloneIsHonoured() throws IOException {
        Trace t = explain("dnn", ExplainRequest.of(0.5f, 42).withInput(List.of(), "3"));
        assertEquals(3, t.example().targetClass(), "the course's '2' explained against target 3, as asked");
        assertEquals(3, t.events(Event.Loss.class).getFirst().targetClass());
        Trace lin = explain("linear", ExplainRequest.of(0.1f, 42).withInput(List.of(), "4.5"));
        assertEquals(4.5f, lin.example().target()[0]);
        var noTarget = assertThrows(InvalidSettingException.class, () -> explain("dnn",
                ExplainRequest.of(0.5f, 42).withInput(List.of("00110", "01010", "00010", "00100", "01110"), null)));
        assertEquals("target", noTarget.setting());
        var bad = assertThrows(InvalidSettingException.class, () -> explain("dnn", ExplainRequest.of(0.5f, 42).withInput(List.of(), "12")));
        assertEquals("target", bad.setting());
        // the autoencoder's reconstructing stages have their own target: a class given is refused, an image of one's own needs none
        var stage1 = assertThrows(InvalidSettingException.class, () -> explain("autoencoder", ExplainRequest.of(3e-3f, 7).withInput(List.of(), "3")
                .withStage(1)));
        assertEquals("target does not apply to stage 1 of autoencoder: it learns to give back its input X", stage1.getMessage());
        List<String> image = java.util.Collections.nCopies(64, "0.5");
        Trace own = explain("autoencoder", ExplainRequest.of(3e-3f, 7).withInput(image, null).withStage(2));
        TraceCheck.verify(own);
        var classNeeded = assertThrows(InvalidSettingException.class, () -> explain("autoencoder", ExplainRequest.of(3e-3f, 7).withInput(image, null)));
        assertTrue(classNeeded.getMessage().startsWith("target is needed with an input of your own"), classNeeded.getMessage());
    }

    @Test
    void theJsonFormCarriesEachEventsType() throws IOException {
        Trace t = explain("logistic", ExplainRequest.of(0.1f, 42));
        JsonNode j = new ObjectMapper().valueToTree(t);
        assertEquals(Trace.SCHEMA, j.get("schema").asInt());
        assertEquals(List.of("forward", "loss", "node_gradient", "weight_gradient", "weight_gradient", "update", "update"),
                toTypes(j.get("events")));
        Trace back = new ObjectMapper().treeToValue(j, Trace.class);
        assertEquals(t.events().size(), back.events().size());
        assertInstanceOf(Event.Forward.class, back.events().getFirst());
    }

    private static List<String> toTypes(JsonNode events) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        events.forEach(e -> out.add(e.get("type").asText()));
        return out;
    }

    /** The model's weights are those of the trace's start; the step changed them by the updates. */
    @Test
    void theStepIsTheModelsRealStep() throws IOException {
        var recipe = Recipes.get("autoencoder");
        StackedAutoencoder m = new StackedAutoencoder(64, 32, 16, 10, new Generator(3));
        float[] before = m.encoder1.weight.toArray();
        Trace t = assertInstanceOf(Trace.class, recipe.explain(m, ExplainRequest.of(3e-3f, 7).withStage(1)));
        assertArrayEquals(before, t.weight("encoder_1.weight").values(), 0f);
        Event.Update u = t.events(Event.Update.class).getFirst();
        assertArrayEquals(u.after(), m.encoder1.weight.toArray(), 0f, "the model holds the updated weights");
        try (var ignored = GradMode.noGrad()) {
            float[] xHat = m.decode1(m.encode1(Tensor.of(t.example().input(), 1, 64))).toArray();
            assertNotEquals(0f, xHat[0]);
        }
    }

    @Test
    void theBundleSaysEverythingInBothLanguages() {
        Messages en = Messages.of("en"), ko = Messages.of("ko");
        assertEquals(en.keys(), ko.keys(), "the same keys in English and Korean");
        Pattern place = Pattern.compile("\\{(\\w+)}");
        Set<String> notation = Set.of("rule.sgd", "rule.adam", "act.identity", "act.sigmoid", "act.softmax", "update.sgd", "update.adam",
                "backward.layer", "input", "loss.output", "act.relu", "demo.cell", "demo.max", "demo.featureMap", "act.tanh", "activation.tanh",
                "seq.layer", "seq.loss", "seq.backward.layer", "seq.shares.example", "flow.row", "demo.frame", "demo.pair", "ns.row", "dec.stepPlain");
        for (String k : en.keys()) {
            assertEquals(places(place, en.template(k)), places(place, ko.template(k)), k + ": the same places in both");
            if (!notation.contains(k)) assertNotEquals(en.template(k), ko.template(k), k + " is not translated");
            assertTrue(ko.template(k).chars().noneMatch(c -> c == '\uFFFD'), k + ": UTF-8 read as such");
        }
        assertThrows(InvalidSettingException.class, () -> Messages.of("fr"));
        var missing = assertThrows(IllegalArgumentException.class, () -> en.say("title", "model", "dnn"));
        assertTrue(missing.getMessage().contains("needs {"), missing.getMessage());
    }

    private static Set<String> places(Pattern p, String t) {
        Set<String> out = new HashSet<>();
        Matcher m = p.matcher(t);
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
