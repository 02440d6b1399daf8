package dev.glassbox.models.course;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.Event;
import dev.glassbox.models.explain.Graph;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.nn.Conv2d;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One real training step of a {@link Cnn} on one image, recorded map by map as a {@link Trace},
 * after the course's worked convolution and pooling examples. The model runs its own forward
 * one stage at a time ({@link Cnn#forwardByStage}, the same values as its fused forward); forward
 * hooks on its modules hand over every stage's maps; {@code backward()} gives the gradients; a
 * real Adam step (the CNN trains with Adam) updates every weight. The model's weights change.
 */
final class ConvExplainer {
    /** The course's '2' (rows 00110, 01010, 00010, 00100, 01110) and its 3×3 cross filter. */
    static final float[][] COURSE_TWO = {{0, 0, 1, 1, 0}, {0, 1, 0, 1, 0}, {0, 0, 0, 1, 0}, {0, 0, 1, 0, 0}, {0, 1, 1, 1, 0}};
    static final float[][] CROSS = {{0, 1, 0}, {1, 1, 1}, {0, 1, 0}};
    /** The course's 4×4 map for max pooling 2×2 at stride 2. */
    static final float[][] POOL_INPUT = {{3, 7, 2, 3}, {3, 2, 4, 1}, {0, 1, 3, 1}, {0, 4, 1, 0}};

    private ConvExplainer() {}

    /** The course's two worked examples, computed by the engine's conv2d and max pooling. */
    static List<Demo> demos() {
        Tensor fm, pooled;
        try (var ignored = GradMode.noGrad()) {
            fm = F.conv2d(Tensor.of(flat(COURSE_TWO), 1, 1, 5, 5), Tensor.of(flat(CROSS), 1, 1, 3, 3), null, 1, 0);
            pooled = F.maxPool2d(Tensor.of(flat(POOL_INPUT), 1, 1, 4, 4), 2, 2, 0);
        }
        float[][] featureMap = grid(fm.data(), 3, 3), pool = grid(pooled.data(), 2, 2);
        List<Demo.Cell> conv = new ArrayList<>(), pooling = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                float[][] w = patch(COURSE_TWO, r, c, 3), products = new float[3][3];
                for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) products[i][j] = w[i][j] * CROSS[i][j];
                conv.add(new Demo.Cell(r, c, w, products, featureMap[r][c]));
            }
        }
        for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) pooling.add(new Demo.Cell(r, c, patch(POOL_INPUT, 2 * r, 2 * c, 2), null, pool[r][c]));
        return List.of(new Demo.Convolution(copy(COURSE_TWO), copy(CROSS), 1, conv, featureMap), new Demo.Pooling(copy(POOL_INPUT), 2, 2, pooling, pool));
    }

    static Trace explain(String name, Cnn model, float[] image, int side, int target, float lr) {
        Map<Module, Tensor[]> seen = new LinkedHashMap<>();          // module -> {input, output}, in the order they ran
        List<Module.HookHandle> hooks = new ArrayList<>();
        for (Module m : List.of(model.conv1, model.relu1, model.pool1, model.conv2, model.relu2, model.pool2, model.fc1, model.relu3, model.output)) {
            hooks.add(m.registerForwardHook((mod, in, out) -> seen.put(mod, new Tensor[] {in, out})));
        }
        Map<String, float[]> before = new LinkedHashMap<>();
        model.namedParameters().forEach((k, p) -> before.put(k, p.toArray()));
        model.train();
        Tensor logits;
        try {
            logits = model.forwardByStage(Tensor.of(image, 1, 1, side, side));
        } finally {
            hooks.forEach(Module.HookHandle::close);
        }
        for (Module m : List.of(model.conv1, model.conv2, model.fc1, model.output)) seen.get(m)[1].retainGrad();
        Tensor loss = F.crossEntropy(logits, new int[] {target});
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = logits.softmax(-1).toArray();
        }
        Optimizer opt = new Adam(model.parameters(), lr);
        model.zeroGrad();
        loss.backward();

        List<Graph.Layer> layers = new ArrayList<>();
        List<Graph.Connection> arrows = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        layers.add(maps("input", "image", Graph.Role.INPUT, null, "image", 1, side, side));
        String from = "input";
        Object[][] stages = {{"conv1", model.conv1, "feature map"}, {"relu1", model.relu1, "ReLU map"}, {"pool1", model.pool1, "pooled map"},
                {"conv2", model.conv2, "feature map"}, {"relu2", model.relu2, "ReLU map"}, {"pool2", model.pool2, "pooled map"}};
        for (Object[] st : stages) {
            String id = (String) st[0];
            Module mod = (Module) st[1];
            Tensor out = seen.get(mod)[1];                                     // [1, maps, h, w]
            int c = out.size(1), h = out.size(2), w = out.size(3);
            String activation = id.startsWith("relu") ? "relu" : null;
            layers.add(maps(id, id, Graph.Role.HIDDEN, activation, (String) st[2], c, h, w));
            arrows.add(switch (id.substring(0, 4)) {
                case "conv" -> {
                    Conv2d conv = (Conv2d) mod;
                    yield new Graph.Connection(from, id, Graph.Pattern.CONV, id + ".weight", id + ".bias", conv.kernelSize, conv.stride, conv.padding);
                }
                case "pool" -> new Graph.Connection(from, id, Graph.Pattern.MAX_POOL, null, null, 2, 2, 0);
                default -> new Graph.Connection(from, id, Graph.Pattern.ELEMENTWISE, null, null);
            });
            float[] v = out.toArray();
            for (int m = 0; m < c; m++) {
                float[] map = new float[h * w];
                System.arraycopy(v, m * h * w, map, 0, h * w);
                events.add(new Event.MapForward(id, id + "." + (m + 1), map));
            }
            if (mod instanceof Conv2d conv) events.add(cell(id, conv, seen.get(mod)[0], out));
            from = id;
        }
        Tensor flatIn = seen.get(model.fc1)[0];
        int flat = flatIn.size(1);
        layers.add(units("flatten", "flatten", Graph.Role.HIDDEN, null, "f", flat, true));
        arrows.add(new Graph.Connection(from, "flatten", Graph.Pattern.FLATTEN, null, null));
        dense(events, "fc1", seen.get(model.fc1), seen.get(model.relu3)[1], model.fc1.weight, model.fc1.bias, "relu");
        layers.add(units("fc1", "fc1", Graph.Role.HIDDEN, "relu", "h", model.fc1.outFeatures, true));
        arrows.add(new Graph.Connection("flatten", "fc1", Graph.Pattern.DENSE, "fc1.weight", "fc1.bias"));
        dense(events, "output", seen.get(model.output), Tensor.of(probs, 1, probs.length), model.output.weight, model.output.bias, "softmax");
        layers.add(units("output", "output", Graph.Role.OUTPUT, "softmax", "y", 10, false));
        arrows.add(new Graph.Connection("fc1", "output", Graph.Pattern.DENSE, "output.weight", "output.bias"));

        float[] onehot = Tensor.oneHot(new int[] {target}, 10).data();
        events.add(new Event.Loss("cross_entropy", "output", probs, onehot, target, loss.item()));
        for (String id : List.of("output", "fc1")) {
            float[] dz = seen.get(id.equals("output") ? model.output : model.fc1)[1].grad().toArray();
            for (int j = 0; j < dz.length; j++) events.add(new Event.NodeGradient(id, id + "." + (j + 1), dz[j]));
        }
        for (Conv2d conv : List.of(model.conv2, model.conv1)) {
            String id = conv == model.conv1 ? "conv1" : "conv2";
            Tensor z = seen.get(conv)[1];
            int h = z.size(2), w = z.size(3);
            float[] g = z.grad().toArray();
            for (int m = 0; m < z.size(1); m++) {
                float[] map = new float[h * w];
                System.arraycopy(g, m * h * w, map, 0, h * w);
                events.add(new Event.MapGradient(id, id + "." + (m + 1), map));
            }
        }
        Map<String, Parameter> params = model.namedParameters();
        params.forEach((k, p) -> events.add(new Event.WeightGradient(k, p.grad().toArray())));
        Map<String, float[]> grads = new LinkedHashMap<>();
        params.forEach((k, p) -> grads.put(k, p.grad().toArray()));
        opt.step();
        Optimizer.State state = opt.state();
        List<Graph.Weight> weights = new ArrayList<>();
        int i = 0;
        for (var e : params.entrySet()) {
            String k = e.getKey();
            weights.add(new Graph.Weight(k, label(k), e.getValue().shape(), before.get(k), Graph.Training.TRAINED));
            events.add(new Event.Update(k, before.get(k), grads.get(k), e.getValue().toArray(), state.buffers().get(i + ".exp_avg"),
                    state.buffers().get(i + ".exp_avg_sq")));
            i++;
        }
        model.eval();
        return new Trace(Trace.SCHEMA, name, null, demos(), new Graph(layers, arrows, weights),
                new Trace.Example(image.clone(), new int[] {1, side, side}, onehot, target), Trace.Rule.adam(lr, 0.9f, 0.999f, 1e-8f, 1), events);
    }

    /** The course's names: the first convolution's filters W_conv1, the fully connected layers' W_fc1 and W_out. */
    private static String label(String param) {
        String[] p = param.split("\\.");
        String layer = switch (p[0]) {
            case "output" -> "out";
            default -> p[0];
        };
        return (p[1].equals("weight") ? "W_" : "b_") + layer;
    }

    /** Forward events of a dense layer: its input, weights, weighted sums (the hook's) and activations ({@code a}). */
    private static void dense(List<Event> events, String id, Tensor[] io, Tensor a, Parameter weight, Parameter bias, String activation) {
        float[] x = io[0].toArray(), z = io[1].toArray(), act = a.toArray(), w = weight.toArray(), b = bias.toArray();
        for (int j = 0; j < z.length; j++) {
            float[] row = new float[x.length];
            System.arraycopy(w, j * x.length, row, 0, x.length);
            events.add(new Event.Forward(id, id + "." + (j + 1), x, row, b[j], z[j], activation, act[j]));
        }
    }

    /**
     * The centre cell of a convolution's first map worked out: every input map's window under the
     * filter (zeros where the padding is) and that map's slice of filter 0, their sums, the bias.
     */
    private static Event.Window cell(String id, Conv2d conv, Tensor input, Tensor output) {
        int cin = conv.inChannels, k = conv.kernelSize, h = input.size(2), w = input.size(3);
        int oh = output.size(2), ow = output.size(3), row = oh / 2, col = ow / 2;
        float[] x = input.toArray(), wt = conv.weight.toArray();
        float[][] windows = new float[cin][k * k], filters = new float[cin][k * k];
        float[] sums = new float[cin];
        for (int c = 0; c < cin; c++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    int r = row * conv.stride - conv.padding + i, q = col * conv.stride - conv.padding + j;
                    windows[c][i * k + j] = r >= 0 && r < h && q >= 0 && q < w ? x[(c * h + r) * w + q] : 0f;
                    filters[c][i * k + j] = wt[(c * k + i) * k + j];
                    sums[c] += windows[c][i * k + j] * filters[c][i * k + j];
                }
            }
        }
        float bias = conv.bias == null ? 0f : conv.bias.toArray()[0];
        return new Event.Window(id, id + ".1", row, col, windows, filters, sums, bias, output.toArray()[row * ow + col]);
    }

    private static Graph.Layer maps(String id, String label, Graph.Role role, String activation, String mapLabel, int count, int h, int w) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            nodes.add(new Graph.Node(id + "." + (m + 1), count == 1 && role == Graph.Role.INPUT ? mapLabel : mapLabel + m, Graph.NodeKind.MAP,
                    new int[] {h, w}));
        }
        return new Graph.Layer(id, label, role, activation, nodes);
    }

    private static Graph.Layer units(String id, String label, Graph.Role role, String activation, String prefix, int n, boolean bias) {
        List<Graph.Node> nodes = new ArrayList<>();
        for (int j = 1; j <= n; j++) nodes.add(new Graph.Node(id + "." + j, prefix + j, Graph.NodeKind.UNIT));
        if (bias) nodes.add(new Graph.Node(id + ".bias", "1", Graph.NodeKind.BIAS));
        return new Graph.Layer(id, label, role, activation, nodes);
    }

    private static float[] flat(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) System.arraycopy(m[r], 0, out, r * m[0].length, m[0].length);
        return out;
    }

    private static float[][] grid(float[] v, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(v, r * cols, out[r], 0, cols);
        return out;
    }

    private static float[][] patch(float[][] m, int row, int col, int k) {
        float[][] out = new float[k][k];
        for (int i = 0; i < k; i++) System.arraycopy(m[row + i], col, out[i], 0, k);
        return out;
    }

    private static float[][] copy(float[][] m) {
        float[][] out = new float[m.length][];
        for (int i = 0; i < m.length; i++) out[i] = m[i].clone();
        return out;
    }
}
