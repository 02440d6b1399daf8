/**
 * The {@code glassbox} command (picocli): {@link dev.glassbox.cli.Main} wires the sub-commands;
 * {@link dev.glassbox.cli.Progress} renders training events; {@link dev.glassbox.cli.ExplainText}
 * tells a trace in English or Korean. Depends on: core, models.
 */
package dev.glassbox.cli;
