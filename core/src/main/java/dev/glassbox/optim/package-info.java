/**
 * Optimizers ({@link dev.glassbox.optim.SGD}, {@link dev.glassbox.optim.Adam},
 * {@link dev.glassbox.optim.AdamW}), learning-rate schedules and gradient clipping.
 * Each {@code step()} reads like its paper and runs its loop in a kernel. Depends on: tensor, kernels.
 */
package dev.glassbox.optim;
