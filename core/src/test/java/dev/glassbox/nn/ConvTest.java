package dev.glassbox.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.tensor.GradCheck;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Convolution and pooling: the course's worked examples, finite differences, PyTorch's values. */
class ConvTest {
    private static final Generator G = new Generator(11);

    private static Tensor r(int... shape) { return Tensor.randn(G, shape); }

    @Test
    void courseTwoConvolvedWithTheCrossFilter() {
        Tensor two = Tensor.of(new float[] {
                0, 0, 1, 1, 0,
                0, 1, 0, 1, 0,
                0, 0, 0, 1, 0,
                0, 0, 1, 0, 0,
                0, 1, 1, 1, 0}, 1, 1, 5, 5);
        Tensor cross = Tensor.of(new float[] {0, 1, 0, 1, 1, 1, 0, 1, 0}, 1, 1, 3, 3);
        Tensor featureMap = F.conv2d(two, cross, null, 1, 0);
        assertArrayEquals(new int[] {1, 1, 3, 3}, featureMap.shape());
        assertArrayEquals(new float[] {1, 3, 3, 1, 2, 2, 2, 2, 3}, featureMap.data());
    }

    @Test
    void courseMaxPooling() {
        Tensor x = Tensor.of(new float[] {3, 7, 2, 3, 3, 2, 4, 1, 0, 1, 3, 1, 0, 4, 1, 0}, 1, 1, 4, 4);
        Tensor pooled = new Pooling.MaxPool2d(2).forward(x);
        assertArrayEquals(new float[] {7, 4, 4, 3}, pooled.data());
    }

    /** The 2×2 fast path against a plain reading of the rule: the first maximum in row-major order wins, and a NaN wins. */
    @Test
    void maxPool2x2TiesAndNaNsFollowTheRule() {
        java.util.Random rnd = new java.util.Random(3);
        int planes = 6, h = 6, w = 8;
        float[] v = new float[planes * h * w];
        for (int i = 0; i < v.length; i++) {
            int k = rnd.nextInt(12);
            v[i] = k == 0 ? Float.NaN : k == 1 ? -0f : rnd.nextInt(3);   // many ties (−0 among them), some NaNs
        }
        Tensor x = Tensor.of(v, 2, 3, h, w).requiresGrad(true);
        Tensor y = F.maxPool2d(x, 2, 2, 0);
        y.sum().backward();
        float[] wantGrad = new float[v.length];
        int at = 0;
        for (int p = 0; p < planes; p++) {
            for (int oy = 0; oy < h / 2; oy++) {
                for (int ox = 0; ox < w / 2; ox++) {
                    int best = -1;
                    for (int k = 0; k < 4 && (best < 0 || !Float.isNaN(v[best])); k++) {
                        int idx = p * h * w + (2 * oy + k / 2) * w + 2 * ox + k % 2;
                        if (best < 0 || Float.isNaN(v[idx]) || v[idx] > v[best]) best = idx;
                    }
                    assertEquals(Float.floatToRawIntBits(v[best]), Float.floatToRawIntBits(y.data()[at++]), "window " + p + "," + oy + "," + ox);
                    wantGrad[best] += 1f;
                }
            }
        }
        assertArrayEquals(wantGrad, x.grad().data(), "the gradient goes to each window's first maximum");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        GradCheck.check("conv stride 1", x -> F.conv2d(x[0], x[1], x[2], 1, 0), r(2, 3, 5, 7), r(4, 3, 3, 3), r(4));
        GradCheck.check("conv stride 2 pad 1", x -> F.conv2d(x[0], x[1], x[2], 2, 1), r(1, 2, 7, 6), r(3, 2, 3, 3), r(3));
        GradCheck.check("conv 1x1 no bias", x -> F.conv2d(x[0], x[1], null, 1, 0), r(2, 5, 3, 3), r(2, 5, 1, 1));
        GradCheck.check("conv kernel 4 stride 2 pad 1", x -> F.conv2d(x[0], x[1], x[2], 2, 1), r(1, 1, 8, 8), r(2, 1, 4, 4), r(2));
        Tensor m = r(2, 2, 6, 7);   // distinct values, so no window has a tie within eps
        GradCheck.check("max pool 2", x -> F.maxPool2d(x[0], 2, 2, 0), m);
        GradCheck.check("max pool 3 s2 p1", x -> F.maxPool2d(x[0], 3, 2, 1), r(1, 2, 7, 7));
        GradCheck.check("avg pool 2", x -> F.avgPool2d(x[0], 2, 2, 0), r(2, 2, 6, 5));
        GradCheck.check("avg pool 3 s1 p1", x -> F.avgPool2d(x[0], 3, 1, 1), r(1, 1, 5, 5));
    }

    @Test
    void fusedConvReluIsConvThenRelu() {
        GradCheck.check("conv+relu stride 1", x -> F.conv2dRelu(x[0], x[1], x[2], 1, 0), r(2, 3, 5, 7), r(4, 3, 3, 3), r(4));
        GradCheck.check("conv+relu stride 2 pad 1 no bias", x -> F.conv2dRelu(x[0], x[1], null, 2, 1), r(1, 2, 7, 6), r(3, 2, 3, 3));
        // a batch wide enough for several chunks and groups: the same bits as the two nodes, forward and backward
        Tensor x = r(9, 3, 12, 12), w = r(5, 3, 3, 3), b = r(5), up = r(9, 5, 12, 12);
        Tensor[] fused = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        Tensor[] plain = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
        Tensor yf = F.conv2dRelu(fused[0], fused[1], fused[2], 1, 1), yp = F.conv2d(plain[0], plain[1], plain[2], 1, 1).relu();
        assertArrayEquals(yp.toArray(), yf.toArray(), "values");
        yf.mul(up).sum().backward();
        yp.mul(up).sum().backward();
        for (int i = 0; i < 3; i++) assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(), "gradient " + i);
        int zeros = 0;
        for (float v : yf.toArray()) if (v == 0f) zeros++;
        assertTrue(zeros > 100, "the ReLU clipped something: " + zeros);
    }

    @Test
    void fusedConvReluMaxPoolIsTheThreeOps() {
        GradCheck.check("conv+relu+pool 2", x -> F.conv2dReluMaxPool(x[0], x[1], x[2], 1, 0, 2, 2), r(2, 3, 7, 7), r(4, 3, 3, 3), r(4));
        GradCheck.check("conv+relu+pool 3 s2, conv stride 2 pad 1, no bias",
                x -> F.conv2dReluMaxPool(x[0], x[1], null, 2, 1, 3, 2), r(1, 2, 11, 10), r(3, 2, 3, 3));
        // several chunks and groups, odd maps (the last row and column are not pooled), overlapping
        // windows, ties and NaNs: the same bits as the three nodes, forward and backward
        java.util.Random rnd = new java.util.Random(5);
        for (int[] cfg : new int[][] {{13, 1, 0, 2, 2}, {12, 1, 1, 3, 2}, {11, 2, 1, 2, 1}, {12, 1, 0, 2, 2}}) {
            int side = cfg[0], stride = cfg[1], pad = cfg[2], pool = cfg[3], poolStride = cfg[4];
            boolean ties = side == 12 && pool == 2;
            Tensor x = ties ? small(rnd, 9, 3, side, side) : r(9, 3, side, side);
            Tensor w = ties ? small(rnd, 5, 3, 3, 3) : r(5, 3, 3, 3), b = ties ? small(rnd, 5) : r(5);
            Tensor[] fused = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
            Tensor[] plain = {x.detach().requiresGrad(true), w.detach().requiresGrad(true), b.detach().requiresGrad(true)};
            Tensor yf = F.conv2dReluMaxPool(fused[0], fused[1], fused[2], stride, pad, pool, poolStride);
            Tensor yp = F.maxPool2d(F.conv2d(plain[0], plain[1], plain[2], stride, pad).relu(), pool, poolStride, 0);
            String what = "side " + side + " stride " + stride + " pad " + pad + " pool " + pool + "/" + poolStride;
            assertArrayEquals(yp.shape(), yf.shape(), what);
            assertArrayEquals(yp.toArray(), yf.toArray(), what + ": values");
            Tensor up = r(yf.shape());
            yf.mul(up).sum().backward();
            yp.mul(up).sum().backward();
            for (int i = 0; i < 3; i++) assertArrayEquals(plain[i].grad().toArray(), fused[i].grad().toArray(), what + ": gradient " + i);
            int zeros = 0;
            for (float v : yf.toArray()) if (v == 0f) zeros++;
            assertTrue(zeros > 0, what + ": some window was all clipped by the ReLU");
        }
        // NaNs in the input, one with its sign bit set (x86's default NaN): the windows they reach
        // hold the same NaN bits in both (the first NaN of a window wins)
        float[] v = r(2, 2, 8, 8).toArray();
        v[37] = Float.NaN;
        v[100] = Float.intBitsToFloat(0xffc00000);
        v[103] = Float.intBitsToFloat(0x7fc00001);
        Tensor xn = Tensor.of(v, 2, 2, 8, 8), wn = r(3, 2, 3, 3);
        float[] want = F.maxPool2d(F.conv2dRelu(xn, wn, null, 1, 0), 2, 2, 0).toArray();
        float[] got = F.conv2dReluMaxPool(xn, wn, null, 1, 0, 2, 2).toArray();
        int nans = 0;
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "NaN test, output " + i);
            if (Float.isNaN(got[i])) nans++;
        }
        assertTrue(nans > 2, "NaNs reached several windows: " + nans);
        assertThrows(IllegalArgumentException.class, () -> F.conv2dReluMaxPool(xn, wn, null, 1, 0, 0, 2));
        // windows too large for the fused kernel take the three ops
        Tensor big = r(1, 1, 16, 16), wb = r(1, 1, 3, 3);
        assertArrayEquals(F.maxPool2d(F.conv2dRelu(big, wb, null, 1, 0), 12, 1, 0).toArray(),
                F.conv2dReluMaxPool(big, wb, null, 1, 0, 12, 1).toArray(), "a 12×12 window");
    }

    /** Maps large enough that the input gradient is made a few images at a time (as for W4's second layer): the same as image by image. */
    @Test
    void wideMapsGiveTheSameInputGradientAsImageByImage() {
        Tensor x = r(18, 32, 18, 18), w = r(4, 32, 3, 3), up = r(18, 4, 16, 16);
        Tensor xb = x.detach().requiresGrad(true);
        F.conv2d(xb, w, null, 1, 0).mul(up).sum().backward();
        float[] whole = xb.grad().toArray();
        int per = 32 * 18 * 18;
        for (int i = 0; i < 18; i++) {
            Tensor xi = Tensor.of(java.util.Arrays.copyOfRange(x.toArray(), i * per, (i + 1) * per), 1, 32, 18, 18).requiresGrad(true);
            Tensor ui = Tensor.of(java.util.Arrays.copyOfRange(up.toArray(), i * 1024, (i + 1) * 1024), 1, 4, 16, 16);
            F.conv2d(xi, w, null, 1, 0).mul(ui).sum().backward();
            assertArrayEquals(xi.grad().toArray(), java.util.Arrays.copyOfRange(whole, i * per, (i + 1) * per), "image " + i);
        }
    }

    /** Small whole numbers: many equal values, so ties in the windows. */
    private static Tensor small(java.util.Random rnd, int... shape) {
        float[] d = new float[java.util.Arrays.stream(shape).reduce(1, (p, q) -> p * q)];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextInt(3) - 1;
        return Tensor.of(d, shape);
    }

    private static float[] floats(JsonNode a) { return dev.glassbox.Golden.floats(a); }

    private static void close(float[] want, float[] got, String what) { dev.glassbox.Golden.close(want, got, 1e-4f, what); }

    @Test
    void convolutionAndPoolingMatchTorch() {
        JsonNode g = dev.glassbox.Golden.section("conv");
        Tensor x = Tensor.of(floats(g.get("x")), 2, 2, 7, 6).requiresGrad(true);
        Tensor w = Tensor.of(floats(g.get("w")), 3, 2, 3, 3).requiresGrad(true);
        Tensor b = Tensor.of(floats(g.get("b"))).requiresGrad(true);
        Tensor y = F.conv2d(x, w, b, 2, 1);
        assertArrayEquals(new int[] {2, 3, 4, 3}, y.shape());
        close(floats(g.get("y")), y.data(), "conv out");
        y.mul(Tensor.of(floats(g.get("proj")), y.shape())).sum().backward();
        close(floats(g.get("dx")), x.grad().data(), "conv dx");
        close(floats(g.get("dw")), w.grad().data(), "conv dw");
        close(floats(g.get("db")), b.grad().data(), "conv db");

        Tensor xm = Tensor.of(floats(g.get("xm")), 2, 3, 7, 7).requiresGrad(true);
        Tensor ym = F.maxPool2d(xm, 3, 2, 1);
        close(floats(g.get("ym")), ym.data(), "max pool out");
        ym.mul(Tensor.of(floats(g.get("pm")), ym.shape())).sum().backward();
        close(floats(g.get("dxm")), xm.grad().data(), "max pool dx");

        Tensor xa = Tensor.of(floats(g.get("xa")), 1, 2, 6, 5).requiresGrad(true);
        Tensor ya = F.avgPool2d(xa, 2, 2, 0);
        close(floats(g.get("ya")), ya.data(), "avg pool out");
        ya.mul(Tensor.of(floats(g.get("pa")), ya.shape())).sum().backward();
        close(floats(g.get("dxa")), xa.grad().data(), "avg pool dx");
    }

    @Test
    void transposedConvolutionMatchesTorchAndFiniteDifferences() {
        JsonNode g = dev.glassbox.Golden.section("conv_transpose");
        Tensor x = Tensor.of(floats(g.get("x")), 2, 3, 4, 5).requiresGrad(true);
        Tensor w = Tensor.of(floats(g.get("w")), 3, 2, 4, 4).requiresGrad(true);
        Tensor b = Tensor.of(floats(g.get("b"))).requiresGrad(true);
        Tensor y = F.convTranspose2d(x, w, b, 2, 1);
        assertArrayEquals(new int[] {2, 2, 8, 10}, y.shape());
        close(floats(g.get("y")), y.data(), "convT out");
        y.mul(Tensor.of(floats(g.get("proj")), y.shape())).sum().backward();
        close(floats(g.get("dx")), x.grad().data(), "convT dx");
        close(floats(g.get("dw")), w.grad().data(), "convT dw");
        close(floats(g.get("db")), b.grad().data(), "convT db");
        GradCheck.check("conv transpose s2 p1", t -> F.convTranspose2d(t[0], t[1], t[2], 2, 1), r(1, 2, 3, 3), r(2, 3, 4, 4), r(3));
        GradCheck.check("conv transpose s1", t -> F.convTranspose2d(t[0], t[1], null, 1, 0), r(2, 1, 4, 3), r(1, 2, 3, 3));
        ConvTranspose2d up = new ConvTranspose2d(128, 64, 4, 2, 1, new Generator(0));
        assertArrayEquals(new int[] {1, 64, 14, 14}, up.forward(Tensor.zeros(1, 128, 7, 7)).shape());   // the DCGAN's 7 -> 14
        assertArrayEquals(new int[] {128, 64, 4, 4}, up.weight.shape());
    }

    /**
     * A batch of 13 images of 32×32 (groups of two images, several to a thread, the last of one)
     * gives each image what it gets alone, and the weight and bias gradients are the sums of the
     * single images' gradients.
     */
    @Test
    void transposedConvolutionOfABatchIsThatOfEachImage() {
        Generator gen = new Generator(11);
        int n = 13;
        Tensor w = Tensor.randn(gen, 8, 3, 4, 4).requiresGrad(true), b = Tensor.randn(gen, 3).requiresGrad(true);
        Tensor x = Tensor.randn(gen, n, 8, 32, 32).requiresGrad(true), proj = Tensor.randn(gen, n, 3, 64, 64);
        Tensor y = F.convTranspose2d(x, w, b, 2, 1);
        y.mul(proj).sum().backward();
        float[] dw = new float[w.numel()], db = new float[3];
        int xi = 8 * 1024, yi = 3 * 4096;
        for (int s = 0; s < n; s++) {
            Tensor w1 = Tensor.of(w.data().clone(), w.shape()).requiresGrad(true), b1 = Tensor.of(b.data().clone(), 3).requiresGrad(true);
            Tensor x1 = Tensor.of(java.util.Arrays.copyOfRange(x.data(), s * xi, (s + 1) * xi), 1, 8, 32, 32).requiresGrad(true);
            Tensor y1 = F.convTranspose2d(x1, w1, b1, 2, 1);
            close(y1.data(), java.util.Arrays.copyOfRange(y.data(), s * yi, (s + 1) * yi), "image " + s + " output");
            y1.mul(Tensor.of(java.util.Arrays.copyOfRange(proj.data(), s * yi, (s + 1) * yi), 1, 3, 64, 64)).sum().backward();
            close(x1.grad().data(), java.util.Arrays.copyOfRange(x.grad().data(), s * xi, (s + 1) * xi), "image " + s + " dx");
            for (int i = 0; i < dw.length; i++) dw[i] += w1.grad().data()[i];
            for (int i = 0; i < 3; i++) db[i] += b1.grad().data()[i];
        }
        // sums of 13 × 4,096 products a weight, in another order: float rounding reaches 1e-4 of the value
        dev.glassbox.Golden.close(dw, w.grad().data(), 1e-3f, "dw, summed over the images");
        dev.glassbox.Golden.close(db, b.grad().data(), 1e-3f, "db, summed over the images");
    }

    @Test
    void conv2dModuleHasTorchShapesNamesAndInit() {
        Conv2d conv = new Conv2d(1, 32, 3, new Generator(0));
        assertArrayEquals(new int[] {32, 1, 3, 3}, conv.weight.shape());
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(conv.namedParameters().keySet()));
        float bound = 1f / 3f;   // 1/sqrt(1*3*3)
        for (float v : conv.weight.data()) assertTrue(Math.abs(v) <= bound);
        assertArrayEquals(new int[] {4, 32, 26, 26}, conv.forward(Tensor.zeros(4, 1, 28, 28)).shape());
        assertArrayEquals(new int[] {4, 32, 13, 13}, new Pooling.MaxPool2d(2).forward(conv.forward(Tensor.zeros(4, 1, 28, 28))).shape());
    }

    @Test
    void badShapesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 2, 5, 5), Tensor.zeros(3, 1, 3, 3), null, 1, 0));
        assertEquals("conv2d: input [1, 2, 5, 5] has 2 channels but weight [3, 1, 3, 3] expects 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), null, 1, 0));
        assertTrue(e.getMessage().contains("kernel 3 is larger than the padded input size 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(Tensor.zeros(5, 5), 2, 2, 0));
        assertTrue(e.getMessage().startsWith("max_pool2d: input must be [N, C, H, W]"), e.getMessage());
    }

    /** ConvTranspose2d with (height, width) tuples and output_padding, against PyTorch 1.13 (tools/make_conv_golden.py). */
    @org.junit.jupiter.api.Test
    void transposedTuplesAndOutputPaddingMatchTorch() throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode all;
        try (var in = ConvTest.class.getResourceAsStream("/golden/conv_options.json")) {
            all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        for (String name : java.util.List.of("transpose_tuples", "transpose_dcgan")) {
            var g = all.get(name);
            int[] ws = ints(g.get("weight_shape")), xs = ints(g.get("x_shape")), ys = ints(g.get("y_shape"));
            var layer = new ConvTranspose2d(ws[0], ws[1], ints(g.get("kernel")), ints(g.get("stride")), ints(g.get("padding")),
                    ints(g.get("output_padding")), new Generator(1), Linear.Bias.WITH);
            try (var ignored = dev.glassbox.tensor.GradMode.noGrad()) {
                layer.weight.copy_(Tensor.of(dev.glassbox.Golden.floats(g.get("weight")), ws));
                layer.bias.copy_(Tensor.of(dev.glassbox.Golden.floats(g.get("bias"))));
            }
            Tensor x = Tensor.of(dev.glassbox.Golden.floats(g.get("x")), xs).requiresGrad(true);
            Tensor y = layer.forward(x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(ys, y.shape(), name + ": the output size counts the output padding");
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("y")), y.data(), 1e-4f, name + " output");
            y.mul(Tensor.of(dev.glassbox.Golden.floats(g.get("r")), ys)).sum().backward();
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("x_grad")), x.grad().data(), 1e-4f, name + " input gradient");
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("weight_grad")), layer.weight.grad().data(), 1e-4f, name + " weight gradient");
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("bias_grad")), layer.bias.grad().data(), 1e-4f, name + " bias gradient");
        }
        var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(1, 1, new int[] {3, 3},
                new int[] {2, 2}, new int[] {0, 0}, new int[] {2, 0}, new Generator(1), Linear.Bias.WITH));
        org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().contains("below the stride"), bad.getMessage());
    }

    /** Conv2d, MaxPool2d and AvgPool2d with (height, width) tuples, against PyTorch 1.13 (tools/make_conv_golden.py). */
    @org.junit.jupiter.api.Test
    void tuplesMatchTorch() throws java.io.IOException {
        com.fasterxml.jackson.databind.JsonNode all;
        try (var in = ConvTest.class.getResourceAsStream("/golden/conv_options.json")) {
            all = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        for (String name : java.util.List.of("conv_tuples", "maxpool_tuples", "avgpool_tuples")) {
            var g = all.get(name);
            int[] xs = ints(g.get("x_shape")), ys = ints(g.get("y_shape")), k = ints(g.get("kernel")), st = ints(g.get("stride")), p = ints(g.get("padding"));
            Module layer;
            Conv2d conv = null;
            if (name.startsWith("conv")) {
                int[] ws = ints(g.get("weight_shape"));
                conv = new Conv2d(ws[1], ws[0], k, st, p, new Generator(1), Linear.Bias.WITH);
                try (var ignored = dev.glassbox.tensor.GradMode.noGrad()) {
                    conv.weight.copy_(Tensor.of(dev.glassbox.Golden.floats(g.get("weight")), ws));
                    conv.bias.copy_(Tensor.of(dev.glassbox.Golden.floats(g.get("bias"))));
                }
                layer = conv;
            } else {
                layer = name.startsWith("max") ? new Pooling.MaxPool2d(k, st, p) : new Pooling.AvgPool2d(k, st, p);
            }
            Tensor x = Tensor.of(dev.glassbox.Golden.floats(g.get("x")), xs).requiresGrad(true);
            Tensor y = layer.forward(x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(ys, y.shape(), name + ": output size");
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("y")), y.data(), 1e-4f, name + " output");
            y.mul(Tensor.of(dev.glassbox.Golden.floats(g.get("r")), ys)).sum().backward();
            dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("x_grad")), x.grad().data(), 1e-4f, name + " input gradient");
            if (conv != null) {
                dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("weight_grad")), conv.weight.grad().data(), 1e-4f, name + " weight gradient");
                dev.glassbox.Golden.close(dev.glassbox.Golden.floats(g.get("bias_grad")), conv.bias.grad().data(), 1e-4f, name + " bias gradient");
            }
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Pooling.MaxPool2d(new int[] {2}, new int[] {2, 2}, new int[] {0, 0}));
    }

    private static int[] ints(com.fasterxml.jackson.databind.JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }
}
