/**
 * Neural-network building blocks in PyTorch's shape: {@link dev.glassbox.nn.Module} with named
 * parameters and children, layers ({@link dev.glassbox.nn.Linear}, activations,
 * {@link dev.glassbox.nn.Dropout}, {@link dev.glassbox.nn.Embedding}), the stateless twin of
 * each in {@link dev.glassbox.nn.F}, initialisers in {@link dev.glassbox.nn.Init}, and the
 * losses in {@link dev.glassbox.nn.F}. Depends on: tensor. Start reading at Module, then Linear.
 */
package dev.glassbox.nn;
