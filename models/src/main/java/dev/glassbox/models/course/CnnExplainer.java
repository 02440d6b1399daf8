package dev.glassbox.models.course;

import dev.glassbox.models.explain.ConvTrace;
import dev.glassbox.nn.Conv2d;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs one real SGD step of a {@link Cnn} on one image and records it as a {@link ConvTrace},
 * after the course's worked convolution and pooling examples. The model's weights change.
 */
final class CnnExplainer {
    /** The course's '2' (rows 00110, 01010, 00010, 00100, 01110) and its 3×3 cross filter. */
    static final float[][] COURSE_TWO = {{0, 0, 1, 1, 0}, {0, 1, 0, 1, 0}, {0, 0, 0, 1, 0}, {0, 0, 1, 0, 0}, {0, 1, 1, 1, 0}};
    static final float[][] CROSS = {{0, 1, 0}, {1, 1, 1}, {0, 1, 0}};
    /** The course's 4×4 map for max pooling 2×2 at stride 2. */
    static final float[][] POOL_INPUT = {{3, 7, 2, 3}, {3, 2, 4, 1}, {0, 1, 3, 1}, {0, 4, 1, 0}};

    private CnnExplainer() {}

    /** The worked examples, computed by the engine's conv2d and max pooling. */
    static ConvTrace.CourseExample courseExample() {
        Tensor fm;
        Tensor pooled;
        try (var ignored = GradMode.noGrad()) {
            fm = F.conv2d(Tensor.of(flat(COURSE_TWO), 1, 1, 5, 5), Tensor.of(flat(CROSS), 1, 1, 3, 3), null, 1, 0);
            pooled = F.maxPool2d(Tensor.of(flat(POOL_INPUT), 1, 1, 4, 4), 2, 2, 0);
        }
        float[][] featureMap = grid(fm.data(), 0, 3, 3), pool = grid(pooled.data(), 0, 2, 2);
        List<ConvTrace.Window> conv = new ArrayList<>(), pooling = new ArrayList<>();
        for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) conv.add(new ConvTrace.Window(r, c, patch(COURSE_TWO, r, c, 3), featureMap[r][c]));
        for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) pooling.add(new ConvTrace.Window(r, c, patch(POOL_INPUT, 2 * r, 2 * c, 2), pool[r][c]));
        return new ConvTrace.CourseExample(copy(COURSE_TWO), copy(CROSS), 1, featureMap, conv, copy(POOL_INPUT), 2, pool, pooling);
    }

    static ConvTrace explain(String name, Cnn model, float[] image, int side, int target, float lr) {
        model.train();
        Tensor x = Tensor.of(image, 1, 1, side, side);
        List<ConvTrace.MapStage> stages = new ArrayList<>();
        Tensor z1 = model.conv1.forward(x);
        stages.add(stage("conv1", "convolution: " + model.conv1.outChannels + " filters of 3x3 over " + model.conv1.inChannels
                + " channel, padding " + model.conv1.padding + ", plus bias", z1, cell(model.conv1, x, z1)));
        Tensor a1 = z1.relu();
        stages.add(stage("relu1", "ReLU: max(0, z) at every cell", a1, null));
        Tensor p1 = model.pool1.forward(a1);
        stages.add(stage("pool1", "max pooling 2x2, stride 2", p1, null));
        Tensor z2 = model.conv2.forward(p1);
        stages.add(stage("conv2", "convolution: " + model.conv2.outChannels + " filters of 3x3, each over all " + model.conv2.inChannels
                + " maps, the maps' sums added into one map, plus bias", z2, cell(model.conv2, p1, z2)));
        Tensor a2 = z2.relu();
        stages.add(stage("relu2", "ReLU", a2, null));
        Tensor p2 = model.pool2.forward(a2);
        stages.add(stage("pool2", "max pooling 2x2, stride 2", p2, null));
        Tensor flat = p2.flatten(1, -1);
        stages.add(stage("flatten", "the pooled maps in one row, the input of fc1", flat, null));
        Tensor h = model.fc1.forward(flat).relu();
        stages.add(stage("fc1", "fully connected: weighted sums of the row plus bias, then ReLU", h, null));
        Tensor logits = model.output.forward(h);
        stages.add(stage("output", "fully connected to the 10 classes (the logits z)", logits, null));
        Tensor loss = F.crossEntropy(logits, new int[] {target});
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = logits.softmax(-1).toArray();
        }
        model.zeroGrad();
        loss.backward();
        Map<String, Parameter> params = model.namedParameters();
        List<float[]> before = new ArrayList<>(), grads = new ArrayList<>();
        for (Parameter p : params.values()) {
            before.add(p.toArray());
            grads.add(p.grad().toArray());
        }
        new SGD(new ArrayList<>(params.values()), lr).step();
        List<ConvTrace.ParamUpdate> updates = new ArrayList<>();
        int i = 0;
        for (var e : params.entrySet()) {
            float[] g = grads.get(i);
            double norm = 0;
            for (float v : g) norm += (double) v * v;
            updates.add(new ConvTrace.ParamUpdate(e.getKey(), e.getValue().shape(), before.get(i), g, e.getValue().toArray(),
                    (float) Math.sqrt(norm)));
            i++;
        }
        model.eval();
        return new ConvTrace(name, courseExample(), new int[] {1, side, side}, image.clone(), stages, probs, target, loss.item(), lr,
                updates);
    }

    private static ConvTrace.MapStage stage(String name, String what, Tensor t, ConvTrace.Cell cell) {
        int[] s = t.shape();
        int[] shape = Arrays.copyOfRange(s, 1, s.length);   // without the batch of one
        return new ConvTrace.MapStage(name, what, shape, t.toArray(), cell);
    }

    /**
     * Works out the centre cell of the first output map: every input channel's patch (zeros
     * where the padding is) times that channel's slice of filter 0, summed, plus the bias.
     */
    private static ConvTrace.Cell cell(Conv2d conv, Tensor input, Tensor output) {
        int cin = conv.inChannels, k = conv.kernelSize, h = input.size(2), w = input.size(3);
        int oh = output.size(2), ow = output.size(3), row = oh / 2, col = ow / 2;
        float[] x = input.toArray(), wt = conv.weight.toArray();
        List<float[][]> patches = new ArrayList<>(), filters = new ArrayList<>();
        float[] sums = new float[cin];
        for (int c = 0; c < cin; c++) {
            float[][] p = new float[k][k], f = new float[k][k];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    int r = row * conv.stride - conv.padding + i, q = col * conv.stride - conv.padding + j;
                    p[i][j] = r >= 0 && r < h && q >= 0 && q < w ? x[(c * h + r) * w + q] : 0f;
                    f[i][j] = wt[(c * k + i) * k + j];
                    sums[c] += p[i][j] * f[i][j];
                }
            }
            patches.add(p);
            filters.add(f);
        }
        float bias = conv.bias == null ? 0f : conv.bias.toArray()[0];
        return new ConvTrace.Cell(0, row, col, patches, filters, sums, bias, output.toArray()[row * ow + col]);
    }

    private static float[] flat(float[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int r = 0; r < m.length; r++) System.arraycopy(m[r], 0, out, r * m[0].length, m[0].length);
        return out;
    }

    private static float[][] grid(float[] v, int offset, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) System.arraycopy(v, offset + r * cols, out[r], 0, cols);
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
