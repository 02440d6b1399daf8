package dev.glassbox.tensor;

/**
 * Whether operations record the graph for backward, per thread (as PyTorch's grad mode).
 *
 * <pre>{@code
 * try (var ignored = GradMode.noGrad()) {
 *     Tensor y = model.forward(x);   // no graph is built, no memory kept for backward
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    /** True unless the current thread is inside a {@link #noGrad()} scope. */
    public static boolean isEnabled() { return DISABLED.get()[0] == 0; }

    /** Opens a scope in which no graph is recorded; close it (try-with-resources) to restore. */
    public static Scope noGrad() {
        int[] depth = DISABLED.get();
        depth[0]++;
        return new Scope(depth);
    }

    /** A no-grad scope; closing it twice is harmless. */
    public static final class Scope implements AutoCloseable {
        private final int[] depth;
        private boolean open = true;

        private Scope(int[] depth) { this.depth = depth; }

        @Override
        public void close() {
            if (open) {
                open = false;
                depth[0]--;
            }
        }
    }
}
