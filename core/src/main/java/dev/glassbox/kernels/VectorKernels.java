package dev.glassbox.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Vectorized elementwise and reduction kernels (softmax: {@link SoftmaxKernels}). Each loop runs
 * whole vectors up to {@code loopBound(n)} and finishes with a scalar tail (masked accesses are
 * slow). Operations with no vector form (comparisons, pow, erf) use the scalar rule. Twins:
 * {@link ScalarKernels}.
 *
 * <p>Results are the same bits whichever JIT tier runs them: the Vector API's own EXP, LOG and
 * TANH and its {@code reduceLanes(ADD)} are not (their fallbacks and intrinsics round or order
 * differently), which made seeded training runs differ from run to run. So {@link #expInto} is a
 * polynomial made of exactly rounded operations, tanh and sigmoid are built on it, log takes
 * the scalar path, and lanes are summed in a fixed order ({@link #sumLanes}).
 */
public final class VectorKernels {
    private static final VectorSpecies<Float> F = Simd.F;
    private static final int L = F.length();

    /** Bytes and ints with a float vector's lanes: the unsigned bytes' path to floats (none below 8 lanes: no 32-bit shape). */
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE)) : null;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private VectorKernels() {}

    /**
     * out[oOff + i] = (src[sOff + i] & 0xff) / divisor for i in [0, n), src's bytes read from
     * {@code sOff} on (a segment on or off the heap): unsigned bytes (pixels) as floats,
     * zero-extended, converted and divided a vector at a time (an exactly rounded division: the
     * scalar twin's bits).
     */
    public static void unsignedBytes(int n, MemorySegment src, long sOff, float divisor, float[] out, int oOff) {
        if (!Simd.ENABLED || B == null) {
            ScalarKernels.unsignedBytes(n, src, sOff, divisor, out, oOff);
            return;
        }
        FloatVector d = FloatVector.broadcast(F, divisor);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += L) {
            ByteVector b = ByteVector.fromMemorySegment(B, src, sOff + i, ByteOrder.nativeOrder());
            FloatVector f = (FloatVector) b.convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0).convertShape(VectorOperators.I2F, F, 0);
            f.div(d).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = (src.get(ValueLayout.JAVA_BYTE, sOff + i) & 0xff) / divisor;
    }

    /**
     * out[i] = op(a[aOff + i·aStep], b[bOff + i·bStep]) for i in [0, n); a step of 0 repeats
     * one element (a broadcast), a step of 1 walks a contiguous run.
     */
    public static void binary(BinaryOp op, int n, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                              float[] out, int oOff) {
        if (n >= PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, GRAIN, (s, e) -> binarySerial(op, e - s, a, aOff + s * aStep, aStep, b, bOff + s * bStep, bStep, out, oOff + s));
        } else {
            binarySerial(op, n, a, aOff, aStep, b, bOff, bStep, out, oOff);
        }
    }

    /**
     * y[r·cols + j] += bias[j] for every row r: a dense layer's bias, added after a product that
     * stored its rows (rows split over the kernel threads when large).
     */
    public static void addRowBias(int rows, int cols, float[] y, float[] bias) {
        if ((long) rows * cols >= PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (s, e) -> {
                for (int r = s; r < e; r++) addInPlace(cols, bias, 0, y, r * cols);
            });
        } else {
            for (int r = 0; r < rows; r++) addInPlace(cols, bias, 0, y, r * cols);
        }
    }

    /**
     * out[oOff + i] += x[xOff + i] for i &lt; n, one thread: the same bits as {@link #binary} with
     * ADD, without its dispatch on the operation, which cost more than the adds for a row of
     * three (the course's 25-3-3-10 network adds its biases and sums their gradients row by row).
     */
    public static void addInPlace(int n, float[] x, int xOff, float[] out, int oOff) {
        int i = 0;
        if (Simd.ENABLED) {
            for (int bound = F.loopBound(n); i < bound; i += L) {
                FloatVector.fromArray(F, out, oOff + i).add(FloatVector.fromArray(F, x, xOff + i)).intoArray(out, oOff + i);
            }
        }
        for (; i < n; i++) out[oOff + i] += x[xOff + i];
    }

    /** Elementwise work this large is split over the kernel threads (each chunk gives the same bits). */
    static final int PARALLEL_MIN = 1 << 16, GRAIN = 1 << 12;

    private static void binarySerial(BinaryOp op, int n, float[] a, int aOff, int aStep, float[] b, int bOff, int bStep,
                                     float[] out, int oOff) {
        boolean vectorized = switch (op) {
            case ADD, SUB, MUL, DIV, MAX, MIN -> true;
            default -> false;
        };
        if (!Simd.ENABLED || !vectorized || n < L) {
            ScalarKernels.binary(op, n, a, aOff, aStep, b, bOff, bStep, out, oOff);
            return;
        }
        int bound = F.loopBound(n);
        int i = 0;
        if (aStep == 1 && bStep == 1) {
            for (; i < bound; i += L) apply(op, FloatVector.fromArray(F, a, aOff + i), FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        } else if (aStep == 1) {
            FloatVector bv = FloatVector.broadcast(F, b[bOff]);
            for (; i < bound; i += L) apply(op, FloatVector.fromArray(F, a, aOff + i), bv).intoArray(out, oOff + i);
        } else if (bStep == 1) {
            FloatVector av = FloatVector.broadcast(F, a[aOff]);
            for (; i < bound; i += L) apply(op, av, FloatVector.fromArray(F, b, bOff + i)).intoArray(out, oOff + i);
        } else {
            Arrays.fill(out, oOff, oOff + n, op.apply(a[aOff], b[bOff]));
            return;
        }
        for (; i < n; i++) out[oOff + i] = op.apply(a[aOff + i * aStep], b[bOff + i * bStep]);
    }

    /**
     * One vector operation, each branch with its operator written out: the Vector API compiles
     * a lanewise operation to machine instructions only when its operator is a constant at the
     * call; an operator chosen at run time (lanewise(vop, ...)) falls back to a per-lane Java
     * loop, which made every elementwise add and multiply 10-50x slower than it should be.
     */
    private static FloatVector apply(BinaryOp op, FloatVector x, FloatVector y) {
        return switch (op) {
            case ADD -> x.add(y);
            case SUB -> x.sub(y);
            case MUL -> x.mul(y);
            case DIV -> x.div(y);
            case MAX -> x.max(y);
            case MIN -> x.min(y);
            default -> throw new AssertionError(op);
        };
    }

    public static void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int oOff) {
        if (n >= PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, GRAIN, (s, e) -> unarySerial(op, e - s, x, xOff + s, out, oOff + s));
        } else {
            unarySerial(op, n, x, xOff, out, oOff);
        }
    }

    private static void unarySerial(UnaryOp op, int n, float[] x, int xOff, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L || op == UnaryOp.SIGN || op == UnaryOp.LOG) {
            ScalarKernels.unary(op, n, x, xOff, out, oOff);
            return;
        }
        int bound = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f), two = FloatVector.broadcast(F, 2f), zero = FloatVector.zero(F);
        // One loop per operation: a switch inside the loop merges the branches' vectors and C2
        // then boxes them (JFR showed a heap allocation per vector in this loop).
        int i = 0;
        switch (op) {
            case NEG -> { for (; i < bound; i += L) FloatVector.fromArray(F, x, xOff + i).neg().intoArray(out, oOff + i); }
            case EXP -> {
                expInto(x, xOff, out, oOff, bound, 1f, 0f);
                i = bound;
            }
            case SQRT -> { for (; i < bound; i += L) FloatVector.fromArray(F, x, xOff + i).sqrt().intoArray(out, oOff + i); }
            case ABS -> { for (; i < bound; i += L) FloatVector.fromArray(F, x, xOff + i).abs().intoArray(out, oOff + i); }
            // 1/(1+e^-x): e^-x overflows to +inf for x < -88, giving exactly 0 as it should
            case SIGMOID -> {
                expInto(x, xOff, out, oOff, bound, -1f, 0f);
                for (; i < bound; i += L) one.div(one.add(FloatVector.fromArray(F, out, oOff + i))).intoArray(out, oOff + i);
            }
            // tanh x = 1 − 2/(e^{2x} + 1): ±1 at the extremes, since exp saturates to 0 or ∞
            case TANH -> {
                expInto(x, xOff, out, oOff, bound, 2f, 0f);
                for (; i < bound; i += L) one.sub(two.div(FloatVector.fromArray(F, out, oOff + i).add(one))).intoArray(out, oOff + i);
            }
            case RELU -> { for (; i < bound; i += L) FloatVector.fromArray(F, x, xOff + i).max(zero).intoArray(out, oOff + i); }
            case GELU -> {
                GeluKernels.gelu(x, xOff, null, 0, out, oOff, bound, false);
                i = bound;
            }
            default -> throw new AssertionError(op);
        }
        for (; i < n; i++) out[oOff + i] = op.apply(x[xOff + i]);
    }

    /** y[i] += alpha·x[i]. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.axpy(n, alpha, x, xOff, y, yOff);
            return;
        }
        FloatVector av = FloatVector.broadcast(F, alpha);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        if (!Simd.ENABLED || n < L) return ScalarKernels.dot(n, x, xOff, y, yOff);
        FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
        int i = 0;
        int bound2 = n - n % (2 * L);
        for (; i < bound2; i += 2 * L) {
            acc0 = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc0);
            acc1 = FloatVector.fromArray(F, x, xOff + i + L).fma(FloatVector.fromArray(F, y, yOff + i + L), acc1);
        }
        int bound = F.loopBound(n);
        for (; i < bound; i += L) {
            acc0 = FloatVector.fromArray(F, x, xOff + i).fma(FloatVector.fromArray(F, y, yOff + i), acc0);
        }
        float s = sumLanes(acc0.add(acc1));
        for (; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    public static float sum(int n, float[] x, int off) {
        if (!Simd.ENABLED || n < L) return ScalarKernels.sum(n, x, off);
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) acc = acc.add(FloatVector.fromArray(F, x, off + i));
        float s = sumLanes(acc);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** Largest element; NaN if any element is NaN (as PyTorch). */
    public static float max(int n, float[] x, int off) {
        if (!Simd.ENABLED || n < L) return ScalarKernels.max(n, x, off);
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) acc = acc.max(FloatVector.fromArray(F, x, off + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            float v = x[off + i];
            if (v > m || Float.isNaN(v)) m = v;
        }
        return m;
    }

    /** out = x·alpha + beta. */
    public static void affine(int n, float alpha, float beta, float[] x, int xOff, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.affine(n, alpha, beta, x, xOff, out, oOff);
            return;
        }
        FloatVector av = FloatVector.broadcast(F, alpha), bv = FloatVector.broadcast(F, beta);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) FloatVector.fromArray(F, x, xOff + i).fma(av, bv).intoArray(out, oOff + i);
        for (; i < n; i++) out[oOff + i] = x[xOff + i] * alpha + beta;
    }

    /** out = max(0, x + bias), one thread; NaN stays NaN (x + bias alone is {@link #affine} with alpha 1). */
    public static void biasRelu(int n, float[] x, int xOff, float bias, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.biasRelu(n, x, xOff, bias, out, oOff);
            return;
        }
        FloatVector bv = FloatVector.broadcast(F, bias), zero = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).add(bv);
            // lanes not above 0 become 0; NaN lanes (no comparison holds) stay NaN as in the scalar twin
            v.blend(zero, v.compare(VectorOperators.LE, zero)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i] + bias;
            out[oOff + i] = v <= 0f ? 0f : v;
        }
    }

    /** dL/dx for y = sigmoid(x): g·y·(1−y). */
    public static void sigmoidBackward(int n, float[] g, float[] y, float[] out) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.sigmoidBackward(n, g, y, out);
            return;
        }
        FloatVector one = FloatVector.broadcast(F, 1f);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, g, i).mul(yv).mul(one.sub(yv)).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = g[i] * y[i] * (1f - y[i]);
    }

    /** dL/dx for y = tanh(x): g·(1−y²). */
    public static void tanhBackward(int n, float[] g, float[] y, float[] out) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.tanhBackward(n, g, y, out);
            return;
        }
        FloatVector one = FloatVector.broadcast(F, 1f);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(F, y, i);
            FloatVector.fromArray(F, g, i).mul(one.sub(yv.mul(yv))).intoArray(out, i);
        }
        for (; i < n; i++) out[i] = g[i] * (1f - y[i] * y[i]);
    }

    /** dL/dx for relu: g where x &gt; 0, else 0. */
    public static void reluBackward(int n, float[] g, float[] x, float[] out) {
        if (n >= PARALLEL_MIN && Parallel.threads() > 1) {
            Parallel.forRange(n, GRAIN, (s, e) -> reluMask(e - s, g, s, x, s, out, s));
        } else {
            reluMask(n, g, 0, x, 0, out, 0);
        }
    }

    /**
     * dL/dx for relu at offsets, one thread: g where x &gt; 0, else 0. x may be the ReLU's input
     * or its output (both are above 0 at the same places).
     */
    public static void reluMask(int n, float[] g, int gOff, float[] x, int xOff, float[] out, int oOff) {
        if (!Simd.ENABLED || n < L) {
            ScalarKernels.reluMask(n, g, gOff, x, xOff, out, oOff);
            return;
        }
        FloatVector zero = FloatVector.zero(F);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            zero.blend(FloatVector.fromArray(F, g, gOff + i), xv.compare(VectorOperators.GT, zero)).intoArray(out, oOff + i);
        }
        for (; i < n; i++) out[oOff + i] = x[xOff + i] > 0f ? g[gOff + i] : 0f;
    }


    /** The lanes of v added left to right: the same bits in every JIT tier. */
    static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    private static final float EXP_HI = 88.72283f, EXP_LO = -87.33654f;
    private static final float MAGIC = 12582912f;   // 1.5·2²³: adding it rounds to an integer
    private static final FloatVector LOG2E = FloatVector.broadcast(F, 1.44269504088896341f);
    private static final FloatVector MAGIC_V = FloatVector.broadcast(F, MAGIC);
    private static final FloatVector ZERO_V = FloatVector.zero(F), INF_V = FloatVector.broadcast(F, Float.POSITIVE_INFINITY),
            EXP_LO_V = FloatVector.broadcast(F, EXP_LO), EXP_HI_V = FloatVector.broadcast(F, EXP_HI);

    /**
     * out[i] = e^(scale·x[i] + shift) for i in [0, bound), bound a whole number of vectors:
     * Cephes' expf — x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, then 2ⁿ from
     * the exponent bits (as two factors, so n = 128 or −126 stays finite and normal); 0 below
     * −87.3, ∞ above 88.7, and a NaN stays NaN (max and min pass it on). About 1 ulp from
     * {@code Math.exp} in the normal range, and the same bits in every JIT tier. Written out
     * inside its loop: as a method called from a vector loop it was not inlined (C2 inlines
     * nothing that large), and vectors crossing a call are boxed — JFR showed a heap allocation
     * per vector in the sigmoid, tanh and softmax loops.
     */
    static void expInto(float[] x, int xOff, float[] out, int oOff, int bound, float scale, float shift) {
        FloatVector sv = FloatVector.broadcast(F, scale), hv = FloatVector.broadcast(F, shift);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).fma(sv, hv);
            FloatVector xc = v.max(EXP_LO).min(EXP_HI);
            FloatVector t = xc.fma(LOG2E, MAGIC_V);                      // MAGIC + round(x·log2 e)
            FloatVector n = t.sub(MAGIC_V);
            FloatVector r = n.fma(FloatVector.broadcast(F, -0.693359375f), xc);
            r = n.fma(FloatVector.broadcast(F, 2.12194440e-4f), r);      // r = x − n·ln2, in two parts
            FloatVector y = FloatVector.broadcast(F, 1.9875691500e-4f);
            y = y.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
            y = y.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
            y = y.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
            y = y.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
            y = y.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
            y = y.mul(r.mul(r)).add(r).add(FloatVector.broadcast(F, 1f));
            IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(MAGIC));
            IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
            FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            y = y.mul(s1).mul(s2);
            y = y.blend(ZERO_V, v.compare(VectorOperators.LT, EXP_LO_V));
            y.blend(INF_V, v.compare(VectorOperators.GT, EXP_HI_V)).intoArray(out, oOff + i);
        }
    }
}
