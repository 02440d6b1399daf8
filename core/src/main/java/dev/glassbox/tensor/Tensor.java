package dev.glassbox.tensor;

import dev.glassbox.kernels.BinaryOp;
import dev.glassbox.kernels.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * A float32 n-dimensional array that records the operations made on it, so that
 * {@link #backward()} can compute gradients (define-by-run reverse-mode autograd).
 *
 * <p>Storage is a row-major, contiguous {@code float[]}; {@link #reshape} and {@link #view}
 * share it, other operations make new tensors. Semantics follow PyTorch: broadcasting,
 * negative dims, {@code keepdim}, cross-entropy on logits with {@code int[]} class labels.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(new Generator(0), 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new float[] {1, 2}, 2);
 * Tensor loss = w.matmul(x).sigmoid().sum();   // [3, 2] @ [2] -> [3] -> scalar
 * loss.backward();
 * w.grad();                                     // dLoss/dw, shape [3, 2]
 * }</pre>
 *
 * <p>Errors name the op and the shapes involved, e.g.
 * {@code matmul: [32, 25] @ [3, 25]: inner sizes 25 and 3 differ}.
 */
public class Tensor {
    final float[] data;
    final int[] shape;
    boolean requiresGrad;
    Tensor grad;
    GradFn gradFn;
    boolean retainsGrad;
    /** Gradient being summed during one backward pass; null otherwise. */
    Tensor gradAcc;
    /** True while {@link #gradAcc}'s array belongs to it alone, so the engine may add into it or keep it as the grad. */
    boolean gradAccOwned;
    /** Set by {@link #freshGrad} on a gradient a backward rule wrote into a new array; the engine clears it when it takes the gradient. */
    boolean fresh;
    /**
     * Set by the engine, for the length of one backward rule, on the output gradient it hands
     * that rule when the gradient's array belongs to it alone (nothing else will read it): an
     * elementwise rule may then write the input's gradient over it ({@link GradFn#gradInto}) instead
     * of a new array the size of the output — one such array fewer per op at every step.
     */
    boolean consumable;
    /** Visit mark of the topological sort. */
    int mark;
    /** Set on a gradient once {@link #grad()} or {@link #setGrad} has given it to a caller, who may keep it: its array is never reused. */
    boolean handedOut;
    /**
     * The array of the gradient {@link #zeroGrad} cleared, when no caller was ever given that
     * gradient: the next backward pass may write this tensor's new gradient into it instead of a
     * new array ({@link #gradArray}), as PyTorch reuses a gradient's memory through its allocator.
     * Dropped when a gradient arrives in an array of its own, so no old array outlives a backward.
     */
    float[] spareGrad;

    /** Wraps {@code data} (not copied) as a tensor of {@code shape}. */
    protected Tensor(float[] data, int[] shape) {
        if (data.length != Shapes.numel(shape)) {
            throw new IllegalArgumentException("tensor: " + data.length + " values do not fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
        this.data = data;
        this.shape = shape;
    }

    /** For ops, whose data and shape agree by construction: skips the check. */
    Tensor(float[] data, int[] shape, boolean trusted) {
        this.data = data;
        this.shape = shape;
    }

    /**
     * A gradient that a backward rule computed into a new array which nothing else refers to.
     * The engine may then keep the array as a leaf's grad, or add later contributions into it,
     * instead of copying it (a copy of every weight gradient at every step otherwise).
     */
    static Tensor freshGrad(float[] data, int[] shape) {
        Tensor t = new Tensor(data, shape, true);
        t.fresh = true;
        return t;
    }

    /** The result of an op: attaches the backward rule when grad is on and an input needs it. */
    static Tensor result(float[] data, int[] shape, String op, GradFn.Backward backward, Tensor... inputs) {
        Tensor out = new Tensor(data, shape, true);
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    out.requiresGrad = true;
                    out.gradFn = new GradFn(op, inputs, backward);
                    break;
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor of {@code shape} holding a copy of {@code values}. */
    public static Tensor of(float[] values, int... shape) { return new Tensor(values.clone(), shape.clone()); }

    /** A 1-D tensor holding a copy of {@code values}. */
    public static Tensor of(float... values) { return new Tensor(values.clone(), new int[] {values.length}); }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) {
                throw new IllegalArgumentException("tensor: row " + i + " has " + rows[i].length + " values, row 0 has " + c);
            }
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return new Tensor(d, new int[] {r, c});
    }

    /** Wraps {@code values} without copying: the tensor and the array share storage. */
    public static Tensor wrap(float[] values, int... shape) { return new Tensor(values, shape.clone()); }

    /** A 0-dimensional tensor. */
    public static Tensor scalar(float value) { return new Tensor(new float[] {value}, new int[0]); }

    public static Tensor zeros(int... shape) { return new Tensor(new float[Shapes.numel(shape)], shape.clone()); }

    public static Tensor ones(int... shape) { return full(1f, shape); }

    public static Tensor full(float value, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        Arrays.fill(d, value);
        return new Tensor(d, shape.clone());
    }

    public static Tensor zerosLike(Tensor t) { return zeros(t.shape); }

    public static Tensor onesLike(Tensor t) { return ones(t.shape); }

    /** Uniform in [0, 1). */
    public static Tensor rand(Generator g, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = g.nextFloat();
        return new Tensor(d, shape.clone());
    }

    /** Standard normal. */
    public static Tensor randn(Generator g, int... shape) {
        float[] d = new float[Shapes.numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = g.nextGaussian();
        return new Tensor(d, shape.clone());
    }

    /** Uniform in [0, 1) from the global generator. */
    public static Tensor rand(int... shape) { return rand(Generator.global(), shape); }

    /** Standard normal from the global generator. */
    public static Tensor randn(int... shape) { return randn(Generator.global(), shape); }

    /** 0, 1, ..., n−1. */
    public static Tensor arange(int n) { return arange(0, n, 1); }

    /** start, start+step, ... up to but excluding end. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0f) throw new IllegalArgumentException("arange: step must not be zero");
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = start + i * step;
        return new Tensor(d, new int[] {n});
    }

    /** Rows of the identity matrix picked by class label: [labels.length, numClasses]. */
    public static Tensor oneHot(int[] labels, int numClasses) { return IndexOps.oneHot(labels, numClasses); }

    // ---------------------------------------------------------------- properties

    /** A copy of the shape. */
    public int[] shape() { return shape.clone(); }

    /** Size of dimension {@code d} (negative counts from the end). */
    public int size(int d) { return shape[Shapes.dim("size", d, shape.length)]; }

    public int dim() { return shape.length; }

    public int numel() { return data.length; }

    /**
     * The backing array, row-major. Writing to it changes the tensor (and every view sharing
     * it) without autograd knowing: use it for I/O and kernels, not inside a recorded graph.
     */
    public float[] data() { return data; }

    /** A copy of the values. */
    public float[] toArray() { return data.clone(); }

    /** The value of a one-element tensor. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: only a one-element tensor has an item; this one has shape "
                    + Shapes.str(shape));
        }
        return data[0];
    }

    /** The element at {@code index} (one index per dimension; negative counts from the end). */
    public float get(int... index) { return data[flatIndex(index)]; }

    /** Sets the element at {@code index}, outside autograd. */
    public Tensor set(float value, int... index) {
        data[flatIndex(index)] = value;
        return this;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + shape.length
                    + " (shape " + Shapes.str(shape) + ")");
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " is out of range for dim " + d
                        + " of size " + shape[d]);
            }
            flat = flat * shape[d] + i;
        }
        return flat;
    }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf tensor as one whose gradient is wanted; returns this. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag) {
            throw new IllegalStateException("requiresGrad: the output of an op cannot be turned off; use detach()");
        }
        this.requiresGrad = flag;
        return this;
    }

    /**
     * The gradient summed by backward (null before any). The tensor returned is the caller's to
     * keep: {@link #zeroGrad()} never lends its array to a later backward pass (a backward before
     * zeroGrad adds into it, as PyTorch's does).
     */
    public Tensor grad() {
        if (grad != null) grad.handedOut = true;
        return grad;
    }

    /**
     * The gradient's values (null when there is none), for an optimizer or gradient clipping,
     * which read and update them in place within a step. Unlike {@link #grad()}, this does not
     * give the gradient away: after {@link #zeroGrad()} the next backward pass may write the next
     * step's gradient into the same array, so do not keep it past the step.
     */
    public float[] gradData() { return grad == null ? null : grad.data; }

    /** Replaces the gradient (null clears it). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape)
                    + " does not match tensor shape " + Shapes.str(shape));
        }
        if (g != null) g.handedOut = true;
        this.grad = g;
    }

    /**
     * Sets the gradient to none, as {@code zero_grad(set_to_none=True)}. A gradient no caller
     * was given ({@link #grad()}) leaves its array for the next backward pass to write into.
     */
    public void zeroGrad() {
        if (grad != null && !grad.handedOut) spareGrad = grad.data;
        grad = null;
    }

    /**
     * An array of {@code n} values for this tensor's gradient in a backward rule that overwrites
     * every value: the array {@link #zeroGrad} kept (stale values) while the tensor has no
     * gradient yet, else a new one. Each kept array is given out once.
     */
    float[] gradArray(int n) {
        float[] a = spareGrad;
        if (a != null && grad == null && a.length == n) {
            spareGrad = null;
            return a;
        }
        return new float[n];
    }

    /** True for tensors not made by a recorded op. */
    public boolean isLeaf() { return gradFn == null; }

    /** Name of the op that made this tensor, or null for a leaf. */
    public String gradFnName() { return gradFn == null ? null : gradFn.name; }

    /** Keeps this intermediate tensor's gradient in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        if (!requiresGrad) throw new IllegalStateException("retainGrad: the tensor does not require grad");
        retainsGrad = true;
        return this;
    }

    /** The same values, cut from the graph (shares storage). */
    public Tensor detach() { return new Tensor(data, shape); }

    /** A copy, cut from the graph. */
    public Tensor copy() { return new Tensor(data.clone(), shape.clone()); }

    /** A differentiable copy, as PyTorch's {@code clone()}. */
    public Tensor cloneTensor() { return ArithOps.affine(this, 1f, 0f, "clone"); }

    /** Backpropagates from this scalar (d this / d this = 1). */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward: grad can be implicitly created only for a scalar output; this has shape "
                    + Shapes.str(shape) + " (pass a gradient of the same shape)");
        }
        Autograd.backward(this, Tensor.onesLike(this), false);
    }

    /** Backpropagates {@code gradient} (same shape as this) through the graph. */
    public void backward(Tensor gradient) { backward(gradient, false); }

    /** As {@link #backward(Tensor)}; with {@code retainGraph} the graph may be walked again. */
    public void backward(Tensor gradient, boolean retainGraph) {
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient shape " + Shapes.str(gradient.shape)
                    + " does not match output shape " + Shapes.str(shape));
        }
        Autograd.backward(this, gradient.detach(), retainGraph);
    }

    // ---------------------------------------------------------------- arithmetic (broadcasting)

    public Tensor add(Tensor o) { return ArithOps.binary(BinaryOp.ADD, this, o); }

    public Tensor sub(Tensor o) { return ArithOps.binary(BinaryOp.SUB, this, o); }

    public Tensor mul(Tensor o) { return ArithOps.binary(BinaryOp.MUL, this, o); }

    public Tensor div(Tensor o) { return ArithOps.binary(BinaryOp.DIV, this, o); }

    /** Elementwise maximum (gradient to the larger; split evenly on ties, as PyTorch). */
    public Tensor maximum(Tensor o) { return ArithOps.binary(BinaryOp.MAX, this, o); }

    public Tensor minimum(Tensor o) { return ArithOps.binary(BinaryOp.MIN, this, o); }

    /** this ** o elementwise. */
    public Tensor pow(Tensor o) { return ArithOps.binary(BinaryOp.POW, this, o); }

    public Tensor add(float s) { return ArithOps.affine(this, 1f, s, "add"); }

    public Tensor sub(float s) { return ArithOps.affine(this, 1f, -s, "sub"); }

    public Tensor mul(float s) { return ArithOps.affine(this, s, 0f, "mul"); }

    public Tensor div(float s) { return ArithOps.affine(this, 1f / s, 0f, "div"); }

    /** s − this. */
    public Tensor rsub(float s) { return ArithOps.affine(this, -1f, s, "rsub"); }

    public Tensor neg() { return ArithOps.affine(this, -1f, 0f, "neg"); }

    public Tensor pow(float exponent) { return ArithOps.powScalar(this, exponent); }

    public Tensor square() { return mul(this); }

    // ---------------------------------------------------------------- comparisons (no gradient)

    public Tensor eq(Tensor o) { return ArithOps.compare(BinaryOp.EQ, this, o); }

    public Tensor ne(Tensor o) { return ArithOps.compare(BinaryOp.NE, this, o); }

    public Tensor lt(Tensor o) { return ArithOps.compare(BinaryOp.LT, this, o); }

    public Tensor le(Tensor o) { return ArithOps.compare(BinaryOp.LE, this, o); }

    public Tensor gt(Tensor o) { return ArithOps.compare(BinaryOp.GT, this, o); }

    public Tensor ge(Tensor o) { return ArithOps.compare(BinaryOp.GE, this, o); }

    public Tensor gt(float s) { return gt(scalar(s)); }

    public Tensor lt(float s) { return lt(scalar(s)); }

    public Tensor eq(float s) { return eq(scalar(s)); }

    /** Elementwise {@code cond ? a : b} with broadcasting; cond is nonzero for true. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return ArithOps.where(cond, a, b); }

    // ---------------------------------------------------------------- elementwise math

    public Tensor exp() { return ActivationOps.unary(UnaryOp.EXP, this); }

    public Tensor log() { return ActivationOps.unary(UnaryOp.LOG, this); }

    public Tensor sqrt() { return ActivationOps.unary(UnaryOp.SQRT, this); }

    public Tensor abs() { return ActivationOps.unary(UnaryOp.ABS, this); }

    public Tensor sigmoid() { return ActivationOps.unary(UnaryOp.SIGMOID, this); }

    public Tensor tanh() { return ActivationOps.unary(UnaryOp.TANH, this); }

    public Tensor relu() { return ActivationOps.unary(UnaryOp.RELU, this); }

    /** GELU, exact (erf) form as PyTorch's default. */
    public Tensor gelu() { return ActivationOps.unary(UnaryOp.GELU, this); }

    public Tensor leakyRelu(float negativeSlope) { return ActivationOps.leakyRelu(this, negativeSlope); }

    /** Limits each element to [min, max] (gradient 0 outside); use ±Infinity for one side. */
    public Tensor clamp(float min, float max) { return ActivationOps.clamp(this, min, max); }

    /** Softmax along {@code dim}, stable (max-shifted). */
    public Tensor softmax(int dim) { return ActivationOps.softmax(this, dim, false); }

    /** log(softmax) along {@code dim}, computed as x − logsumexp(x), stable. */
    public Tensor logSoftmax(int dim) { return ActivationOps.softmax(this, dim, true); }

    /** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). */
    public Tensor dropout(float p, Generator g) { return ActivationOps.dropout(this, p, g); }

    // ---------------------------------------------------------------- matmul

    /** Matrix product with torch.matmul's rules: 1-D, 2-D and batched (broadcast batch dims). */
    public Tensor matmul(Tensor o) { return MatmulOps.matmul(this, o); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a scalar). */
    public Tensor sum() { return ReduceOps.sumAll(this); }

    public Tensor sum(int dim, boolean keepdim) { return ReduceOps.sum(this, new int[] {dim}, keepdim); }

    public Tensor sum(int[] dims, boolean keepdim) { return ReduceOps.sum(this, dims, keepdim); }

    public Tensor mean() { return sum().div(Math.max(1, data.length)); }

    public Tensor mean(int dim, boolean keepdim) { return mean(new int[] {dim}, keepdim); }

    public Tensor mean(int[] dims, boolean keepdim) {
        int n = 1;
        for (int d : dims) n *= shape[Shapes.dim("mean", d, shape.length)];
        return ReduceOps.sum(this, dims, keepdim).div(Math.max(1, n));
    }

    /** Largest element (a scalar); the gradient goes to the first maximal element. */
    public Tensor max() { return reshape(-1).max(0, false); }

    /** Largest elements along {@code dim}; the gradient goes to the first maximal element of each. */
    public Tensor max(int dim, boolean keepdim) { return ReduceOps.max(this, dim, keepdim); }

    /** Indices of the largest elements along {@code dim}, flattened in row-major order of the result. */
    public int[] argmax(int dim) { return ReduceOps.argmax(this, dim); }

    /** Flat index of the largest element. */
    public int argmax() { return ReduceOps.argmax(reshape(-1), 0)[0]; }

    // ---------------------------------------------------------------- shape

    /** The same storage seen with another shape (one -1 is inferred); differentiable. */
    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape, "reshape"); }

    /** As {@link #reshape}: tensors here are always contiguous, so a view always exists. */
    public Tensor view(int... newShape) { return ShapeOps.reshape(this, newShape, "view"); }

    public Tensor flatten() { return reshape(-1); }

    /** Merges dims {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) { return ShapeOps.flatten(this, start, end); }

    public Tensor squeeze(int dim) { return ShapeOps.squeeze(this, dim); }

    public Tensor unsqueeze(int dim) { return ShapeOps.unsqueeze(this, dim); }

    /** Swaps two dims (materializes a copy). */
    public Tensor transpose(int d0, int d1) { return ShapeOps.transpose(this, d0, d1); }

    /** Transpose of a 2-D tensor. */
    public Tensor t() {
        if (shape.length != 2) throw new IllegalArgumentException("t: expects a 2-D tensor, got shape " + Shapes.str(shape));
        return transpose(0, 1);
    }

    /** Reorders the dims (materializes a copy). */
    public Tensor permute(int... dims) { return ShapeOps.permute(this, dims); }

    /** Broadcasts to a larger shape (materializes; -1 keeps a size). */
    public Tensor expand(int... newShape) { return ShapeOps.expand(this, newShape); }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code dim}; negatives count from the end. */
    public Tensor slice(int dim, int start, int end) { return ShapeOps.slice(this, dim, start, end); }

    /** The sub-tensor at {@code index} along {@code dim}, that dim removed. */
    public Tensor select(int dim, int index) { return ShapeOps.select(this, dim, index); }

    /** Entries at {@code indices} along {@code dim}, in that order (repeats allowed). */
    public Tensor indexSelect(int dim, int[] indices) { return IndexOps.indexSelect(this, dim, indices); }

    /**
     * torch.gather: out[i][j] = this[i][index[i][j]] for dim 1 (and likewise for any dim);
     * {@code index} is row-major with shape {@code indexShape} of the same rank.
     */
    public Tensor gather(int dim, int[] index, int... indexShape) { return IndexOps.gather(this, dim, index, indexShape); }

    /** Joins tensors along an existing dim. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return ShapeOps.cat(tensors, dim); }

    /** Joins tensors along a new dim. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return ShapeOps.stack(tensors, dim); }

    /** Splits into pieces of {@code size} along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int size, int dim) { return ShapeOps.split(this, size, dim); }

    // ---------------------------------------------------------------- in place, outside autograd

    /** Fills with {@code value}; not recorded by autograd. */
    public Tensor fill_(float value) {
        checkInPlace("fill_");
        Arrays.fill(data, value);
        return this;
    }

    public Tensor zero_() { return fill_(0f); }

    /** Copies {@code src}'s values (same number of elements) into this; not recorded. */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        if (src.data.length != data.length) {
            throw new IllegalArgumentException("copy_: source shape " + Shapes.str(src.shape) + " does not match "
                    + Shapes.str(shape));
        }
        System.arraycopy(src.data, 0, data, 0, data.length);
        return this;
    }

    /** Uniform in [lo, hi); not recorded. */
    public Tensor uniform_(float lo, float hi, Generator g) {
        checkInPlace("uniform_");
        for (int i = 0; i < data.length; i++) data[i] = g.uniform(lo, hi);
        return this;
    }

    /** Normal(mean, std); not recorded. */
    public Tensor normal_(float mean, float std, Generator g) {
        checkInPlace("normal_");
        for (int i = 0; i < data.length; i++) data[i] = mean + std * g.nextGaussian();
        return this;
    }

    private void checkInPlace(String op) {
        if (requiresGrad && gradFn == null && GradMode.isEnabled()) {
            throw new IllegalStateException(op + ": a leaf that requires grad cannot be changed in place while grad is "
                    + "recorded; do it inside GradMode.noGrad()");
        }
    }

    // ---------------------------------------------------------------- text

    @Override
    public String toString() { return TensorFormat.format(this); }
}
