package dev.glassbox.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values, shapes, autograd semantics and error messages of the tensor API. */
class TensorTest {
    private static Tensor t(float[] v, int... shape) { return Tensor.of(v, shape); }

    @Test
    void creationAndSeededGenerators() {
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).data());
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 2.5f}, Tensor.arange(1f, 3f, 0.5f).data());
        assertArrayEquals(new float[] {7, 7, 7, 7, 7, 7}, Tensor.full(7f, 2, 3).data());
        assertArrayEquals(Tensor.randn(new Generator(42), 10).data(), Tensor.randn(new Generator(42), 10).data());
        assertFalse(java.util.Arrays.equals(Tensor.randn(new Generator(1), 10).data(), Tensor.randn(new Generator(2), 10).data()));
        Tensor u = Tensor.rand(new Generator(3), 1000);
        for (float v : u.data()) assertTrue(v >= 0f && v < 1f);
        assertEquals(0.5, u.mean().item(), 0.05);
        Tensor n = Tensor.randn(new Generator(3), 10000);
        assertEquals(0.0, n.mean().item(), 0.05);
        assertEquals(1.0, n.square().mean().item(), 0.05);
        assertEquals(2, Tensor.of(new float[][] {{1, 2}, {3, 4}}).dim());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, Tensor.oneHot(new int[] {1, 2}, 3).data());
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor row = t(new float[] {10, 20, 30}, 3);
        Tensor col = t(new float[] {100, 200}, 2, 1);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(row).data());
        assertArrayEquals(new float[] {101, 102, 103, 204, 205, 206}, a.add(col).data());
        assertArrayEquals(new int[] {2, 3}, col.mul(row).shape());
        assertArrayEquals(new float[] {-9, -18, -27, -6, -15, -24}, a.sub(row.mul(a.rsub(1f).add(a))).data());
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 1}, a.gt(2.5f).data());
        assertArrayEquals(new float[] {1, 20, 3, 20, 5, 20},
                Tensor.where(t(new float[] {1, 0, 1, 0, 1, 0}, 2, 3), a, Tensor.scalar(20f)).data());
    }

    @Test
    void reductionsWithKeepdim() {
        Tensor a = t(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertEquals(21f, a.sum().item());
        assertArrayEquals(new float[] {5, 7, 9}, a.sum(0, false).data());
        assertArrayEquals(new int[] {1, 3}, a.sum(0, true).shape());
        assertArrayEquals(new float[] {3, 4}, a.mean(1, false).data());
        assertArrayEquals(new float[] {5, 6}, a.max(1, false).data());
        assertArrayEquals(new int[] {1, 2}, a.argmax(1));
        assertEquals(5, a.argmax());
        assertArrayEquals(new int[] {2, 1}, a.max(-1, true).shape());
        assertEquals(21f, a.reshape(1, 2, 3).sum(new int[] {0, 2}, false).sum().item());
    }

    @Test
    void shapeOps() {
        Tensor a = Tensor.arange(6).reshape(2, 3);
        assertSame(a.data(), a.view(3, 2).data(), "reshape of a contiguous tensor is a view");
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, a.t().data());
        assertArrayEquals(new float[] {1, 2, 4, 5}, a.slice(1, 1, 3).data());
        assertArrayEquals(new float[] {3, 4, 5}, a.select(0, -1).data());
        assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2, 3, 4, 5}, a.indexSelect(0, new int[] {1, 0, 1}).data());
        assertArrayEquals(new float[] {2, 0, 3, 3}, a.gather(1, new int[] {2, 0, 0, 0}, 2, 2).data());
        assertArrayEquals(new int[] {2, 5}, Tensor.cat(List.of(a, a.slice(1, 0, 2)), 1).shape());
        assertArrayEquals(new int[] {2, 2, 3}, Tensor.stack(List.of(a, a), 0).shape());
        assertEquals(2, a.split(2, 1).size());
        Tensor p = Tensor.arange(24).reshape(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertEquals(13f, p.get(1, 1, 0));
        assertArrayEquals(new int[] {2, 12}, Tensor.zeros(2, 3, 4).flatten(1, 2).shape());
        assertArrayEquals(new int[] {3, 1, 2}, Tensor.zeros(3, 2).unsqueeze(1).shape());
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, Tensor.arange(3).expand(2, 3).data());
    }

    @Test
    void matmulShapesFollowTorch() {
        assertArrayEquals(new int[] {}, Tensor.ones(3).matmul(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {4}, Tensor.ones(3).matmul(Tensor.ones(3, 4)).shape());
        assertArrayEquals(new int[] {2}, Tensor.ones(2, 3).matmul(Tensor.ones(3)).shape());
        assertArrayEquals(new int[] {5, 2, 4}, Tensor.ones(5, 2, 3).matmul(Tensor.ones(3, 4)).shape());
        assertArrayEquals(new int[] {5, 2, 4}, Tensor.ones(1, 2, 3).matmul(Tensor.ones(5, 3, 4)).shape());
        Tensor a = t(new float[] {1, 2, 3, 4}, 2, 2), b = t(new float[] {5, 6, 7, 8}, 2, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, a.matmul(b).data());
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(32, 25).matmul(Tensor.zeros(3, 25)));
        assertEquals("matmul: [32, 25] @ [3, 25]: inner sizes 25 and 3 differ", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: shapes [2, 3] and [4] cannot broadcast: sizes 3 and 4 at dim -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertTrue(e.getMessage().startsWith("reshape: shape [4, 2] is invalid for [2, 3]"), e.getMessage());
        var ix = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(5, 2).indexSelect(0, new int[] {1, 7}));
        assertTrue(ix.getMessage().contains("index 7") && ix.getMessage().contains("size 5"), ix.getMessage());
        ix = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).get(0, 3));
        assertTrue(ix.getMessage().contains("index 3") && ix.getMessage().contains("size 3"), ix.getMessage());
        ix = assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).sum(2, false));
        assertTrue(ix.getMessage().startsWith("sum: dim 2 is out of range"), ix.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 3)), 1));
        assertTrue(e.getMessage().contains("[3, 3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor w = t(new float[] {2f}, 1).requiresGrad(true);
        w.mul(3f).sum().backward();
        w.mul(3f).sum().backward();
        assertArrayEquals(new float[] {6f}, w.grad().data());
        w.zeroGrad();
        assertNull(w.grad());
    }

    @Test
    void keptWeightGradientsAreRightAndShareNoArray() {
        // W feeds two linear layers: its first gradient is kept as the running sum, the second is
        // added into it; the leaf then keeps that array as its grad instead of copying it
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 2, 4).requiresGrad(true), x2 = Tensor.randn(gen, 3, 4);
        Tensor w = Tensor.randn(gen, 3, 4).requiresGrad(true), b = Tensor.randn(gen, 3).requiresGrad(true);
        java.util.function.Function<Tensor[], Tensor> f = in -> MatmulOps.linear(in[0], in[1], in[2]).square().sum()
                .add(MatmulOps.linear(x2, in[1], null).tanh().sum());
        GradCheck.check("linear twice", f, x, w, b);   // finite differences, through the kept arrays
        for (Tensor t : new Tensor[] {x, w, b}) t.zeroGrad();

        f.apply(new Tensor[] {x, w, b}).backward();
        float[] first = w.grad().data().clone();
        Tensor held = w.grad();
        float[][] arrays = {x.grad().data(), w.grad().data(), b.grad().data(), x.data(), w.data(), b.data(), x2.data()};
        for (int i = 0; i < arrays.length; i++) {
            for (int j = i + 1; j < arrays.length; j++) assertFalse(arrays[i] == arrays[j], "arrays " + i + " and " + j + " are one");
        }
        // a second backward adds into the grad in place (PyTorch's accumulation) ...
        f.apply(new Tensor[] {x, w, b}).backward();
        assertSame(held, w.grad());
        for (int i = 0; i < first.length; i++) assertEquals(2 * first[i], w.grad().data()[i], 1e-4f * (1 + Math.abs(first[i])));
        // ... and after zeroGrad a gradient someone kept is left alone: the next one gets its own array
        float[] kept = held.data().clone();
        w.zeroGrad();
        f.apply(new Tensor[] {x, w, b}).backward();
        assertArrayEquals(kept, held.data());
        assertFalse(held == w.grad() || held.data() == w.grad().data());
        assertArrayEquals(first, w.grad().data(), 1e-6f);
    }

    @Test
    void oneGradientSentToTwoInputsIsCopiedForEach() {
        // a rule that returns the same new array for both of its inputs: neither leaf may keep it,
        // or the next backward would add into the other's gradient too
        Tensor a = t(new float[] {1f, 2f}, 2).requiresGrad(true), b = t(new float[] {3f, 4f}, 2).requiresGrad(true);
        java.util.function.Supplier<Tensor> sumOfBoth = () -> Tensor.result(new float[] {1f, 2f}, new int[] {2}, "both", g -> {
            Tensor same = Tensor.freshGrad(g.data.clone(), new int[] {2});
            return new Tensor[] {same, same};
        }, a, b).mul(t(new float[] {5f, 7f}, 2)).sum();
        sumOfBoth.get().backward();
        sumOfBoth.get().backward();
        assertArrayEquals(new float[] {10f, 14f}, a.grad().data());
        assertArrayEquals(new float[] {10f, 14f}, b.grad().data());
        assertFalse(a.grad().data() == b.grad().data());
    }

    @Test
    void aGradientSharedWithAnotherInputIsNotAddedIntoInPlace() {
        // add's rule sends one gradient to both of its inputs; when a also gets a second
        // gradient, the sum must be a new array, or b's gradient changes with it
        for (int order = 0; order < 2; order++) {
            Tensor a = t(new float[] {1f, 2f}, 2).requiresGrad(true), b = t(new float[] {3f, 4f}, 2).requiresGrad(true);
            Tensor both = a.add(b).mul(t(new float[] {5f, 7f}, 2)).sum(), alone = a.mul(t(new float[] {1f, 2f}, 2)).sum();
            (order == 0 ? both.add(alone) : alone.add(both)).backward();
            assertArrayEquals(new float[] {6f, 9f}, a.grad().data(), "order " + order);
            assertArrayEquals(new float[] {5f, 7f}, b.grad().data(), "order " + order);
        }
        // the gradient passed to backward reaches a unchanged (add's rule) and then a second
        // time doubled: the sum must not be made in the caller's array
        Tensor a = t(new float[] {1f, 2f}, 2).requiresGrad(true);
        float[] given = {1f, 10f};
        a.add(a.mul(2f)).backward(t(given, 2));
        assertArrayEquals(new float[] {3f, 30f}, a.grad().data());
        Tensor g = t(given, 2);
        a.zeroGrad();
        a.add(a.mul(2f)).backward(g);
        assertArrayEquals(new float[] {1f, 10f}, g.data(), "backward changed the gradient it was given");
    }

    @Test
    void sharedSubexpressionSumsGradients() {
        Tensor x = t(new float[] {3f}, 1).requiresGrad(true);
        Tensor y = x.mul(x).add(x);   // dy/dx = 2x + 1
        y.sum().backward();
        assertArrayEquals(new float[] {7f}, x.grad().data());
    }

    @Test
    void backwardWithExplicitGradientAndRetainGrad() {
        Tensor x = t(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor h = x.mul(2f).retainGrad();
        Tensor y = h.square();
        y.backward(t(new float[] {1f, 10f}, 2));
        assertArrayEquals(new float[] {4f, 80f}, h.grad().data());   // dy/dh = 2h · g
        assertArrayEquals(new float[] {8f, 160f}, x.grad().data());
        assertThrows(IllegalStateException.class, () -> x.mul(2f).backward(), "non-scalar backward needs a gradient");
    }

    @Test
    void noGradScopeAndDetachRecordNothing() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        try (var ignored = GradMode.noGrad()) {
            Tensor y = x.mul(2f);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFnName());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(x.detach().requiresGrad());
        assertEquals("mul", x.mul(2f).gradFnName());
        var e = assertThrows(IllegalStateException.class, () -> x.detach().sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"));
    }

    @Test
    void secondBackwardThroughFreedGraphIsAnError() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor y = x.exp().sum();
        y.backward();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        Tensor z = x.exp().sum();
        z.backward(Tensor.scalar(1f), true);
        z.backward(Tensor.scalar(1f), true);
    }

    @Test
    void longChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.ones(1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) y = y.mul(1f);
        y.sum().backward();
        assertEquals(1f, x.grad().item());
    }

    @Test
    void inPlaceOnLeafNeedsNoGrad() {
        Tensor w = Tensor.zeros(2).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> w.fill_(1f));
        try (var ignored = GradMode.noGrad()) {
            w.fill_(1f);
        }
        assertArrayEquals(new float[] {1f, 1f}, w.data());
    }

    @Test
    void printsLikeTorch() {
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])", t(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor(5.0000)", Tensor.scalar(5).toString());
        assertTrue(Tensor.zeros(2000).toString().contains("..."));
    }

    @Test
    void softmaxSumsToOneAndLogSoftmaxIsItsLog() {
        Tensor x = Tensor.randn(new Generator(1), 4, 7).mul(5f);
        Tensor s = x.softmax(1);
        for (float v : s.sum(1, false).data()) assertEquals(1f, v, 1e-5f);
        float[] a = x.logSoftmax(1).data(), b = s.log().data();
        for (int i = 0; i < a.length; i++) assertEquals(b[i], a[i], 1e-4f);
        Tensor s0 = x.softmax(0);
        for (float v : s0.sum(0, false).data()) assertEquals(1f, v, 1e-5f);
    }
}
