/**
 * Tensors and autograd: the public face of the engine.
 *
 * <p>{@link dev.glassbox.tensor.Tensor} is a float32 n-d array that records each op into a
 * graph of {@code GradFn} nodes; {@code Autograd} walks that graph backwards. Each
 * differentiable op keeps its forward and its backward rule side by side, grouped by family
 * ({@code ArithOps}, {@code ActivationOps}, {@code ReduceOps}, {@code MatmulOps},
 * {@code ShapeOps}, {@code IndexOps}, {@link dev.glassbox.tensor.FusedOps}); all loops go
 * to {@code dev.glassbox.kernels}. Depends on: kernels. Start reading at Tensor.
 */
package dev.glassbox.tensor;
