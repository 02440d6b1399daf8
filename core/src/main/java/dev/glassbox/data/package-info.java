/**
 * Data sets and loaders: {@link dev.glassbox.data.TensorDataset} holds inputs with float
 * targets or int class labels; {@link dev.glassbox.data.DataLoader} cuts it into seeded,
 * shuffled batches. Depends on: tensor.
 */
package dev.glassbox.data;
