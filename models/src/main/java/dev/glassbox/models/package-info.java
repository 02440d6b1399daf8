/**
 * The course's models, one readable file each ({@code course}), their embedded data
 * ({@code data}), and a {@link dev.glassbox.models.Recipe} per model — defaults, data and
 * metrics — which the command line, the studio, the benchmarks and the tests all call.
 * {@code train} holds the training loop and its events; {@code explain} the node-by-node
 * trace of one training step. Depends on: core. Start at {@link dev.glassbox.models.Recipes}.
 */
package dev.glassbox.models;
