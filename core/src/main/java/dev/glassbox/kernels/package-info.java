/**
 * Kernels: loops over {@code float[]} with offsets and sizes, nothing else.
 *
 * <p>No {@code Tensor}, no autograd: pure functions that the op and optimizer layers call.
 * This is the only package that may use the Vector API ({@code jdk.incubator.vector}) or
 * start threads (through {@link dev.glassbox.kernels.Parallel}'s one shared executor).
 * Every fast kernel has a plain scalar twin ({@link dev.glassbox.kernels.SgemmScalar},
 * {@link dev.glassbox.kernels.ScalarKernels}) that the tests compare against; the system
 * property {@code -Dglassbox.simd=false} makes every caller use the twins.
 *
 * <p>Start reading at {@link dev.glassbox.kernels.Sgemm}.
 */
package dev.glassbox.kernels;
