/**
 * The workloads of ../shared/BENCHMARKS.md run with Glassbox ({@link dev.glassbox.bench.Workloads}),
 * each printing the JSON keys that the peer scripts in {@code bench/peers/} print too, and
 * {@link dev.glassbox.bench.PeerRunner}, which runs a peer script beside us. Depends on: core, models.
 */
package dev.glassbox.bench;
