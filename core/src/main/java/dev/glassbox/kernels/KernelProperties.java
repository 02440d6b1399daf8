package dev.glassbox.kernels;

/**
 * The kernels' system properties, checked without loading the kernels: {@code Simd} and
 * {@code Sgemm} read them when their classes start, and a bad value there fails with its message
 * inside an {@link ExceptionInInitializerError}; a command checks them first to say it in one line.
 */
public final class KernelProperties {
    private KernelProperties() {}

    /** What is wrong with {@code glassbox.simd.bits} or {@code glassbox.sgemm.tile}, or null. */
    public static String problem() {
        String bits = System.getProperty("glassbox.simd.bits"), tile = System.getProperty("glassbox.sgemm.tile");
        if (bits != null && !bits.isEmpty() && !bits.equals("256") && !bits.equals("512")) {
            return "-Dglassbox.simd.bits is 256 or 512, got '" + bits + "'";
        }
        if (tile != null && !tile.equals("8x2") && !tile.equals("3x3")) return "-Dglassbox.sgemm.tile is 8x2 or 3x3, got '" + tile + "'";
        return null;
    }
}
