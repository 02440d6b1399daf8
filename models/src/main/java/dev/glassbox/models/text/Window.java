package dev.glassbox.models.text;

/**
 * A batch of {@code n} windows of {@code seq} tokens: inputs {@code x} and their next tokens
 * {@code y}, both [n × seq] row-major. {@code passStart} is true for the first window of a pass
 * over contiguous tracks, where a state carried from window to window starts over.
 */
public record Window(int[] x, int[] y, int n, int seq, boolean passStart) {}
