package dev.glassbox.kernels;

/**
 * The kernels' system properties, checked without loading the kernels: {@code Simd} and
 * {@code Sgemm} read them when their classes start, and a bad value there fails with its message
 * inside an {@link ExceptionInInitializerError}; a command checks them first to say it in one line.
 */
public final class KernelProperties {
    private KernelProperties() {}

    /** What a forced slice of k ({@code glassbox.sgemm.kc}) must be a multiple of: AVX2's vector. */
    static final int KC_UNIT = 8;
    /** What a forced block of rows ({@code glassbox.sgemm.mc}) must be a multiple of: whole panels of either tile (3 or 8 rows). */
    static final int MC_UNIT = 24;
    /** The largest forced block size. */
    static final int BLOCK_MAX = 4096;

    /** The kernels' on/off switches: each is true or false (unset: on). */
    static final String[] SWITCHES = {"glassbox.vectorGathers", "glassbox.sgemm.registerTransposes", "glassbox.sgemm.rowsOfA",
            "glassbox.sgemm.small"};

    /**
     * What is wrong with {@code glassbox.simd.bits}, {@code glassbox.sgemm.tile},
     * {@code glassbox.sgemm.kc}, {@code glassbox.sgemm.mc} or one of the {@link #SWITCHES}, or
     * null. (A switch read as "anything but false" would take a typo such as {@code off} for on,
     * and a timing of the switched-off path would silently time the other.)
     */
    public static String problem() {
        String bits = System.getProperty("glassbox.simd.bits"), tile = System.getProperty("glassbox.sgemm.tile");
        if (bits != null && !bits.isEmpty() && !bits.equals("256") && !bits.equals("512")) {
            return "-Dglassbox.simd.bits is 256 or 512, got '" + bits + "'";
        }
        if (tile != null && !tile.equals("8x2") && !tile.equals("3x3")) return "-Dglassbox.sgemm.tile is 8x2 or 3x3, got '" + tile + "'";
        for (String name : SWITCHES) {
            String v = System.getProperty(name);
            if (v != null && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                return "-D" + name + " is true or false, got '" + v + "'";
            }
        }
        String kc = blockProblem("glassbox.sgemm.kc", KC_UNIT);
        return kc != null ? kc : blockProblem("glassbox.sgemm.mc", MC_UNIT);
    }

    /** What is wrong with a block size forced by {@code property} (a multiple of {@code unit} up to {@link #BLOCK_MAX}), or null when unset or right. */
    static String blockProblem(String property, int unit) {
        String asked = System.getProperty(property);
        if (asked == null) return null;
        int v;
        try {
            v = Integer.parseInt(asked.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v >= unit && v <= BLOCK_MAX && v % unit == 0) return null;
        return "-D" + property + " is a multiple of " + unit + " from " + unit + " to " + BLOCK_MAX + ", got '" + asked + "'";
    }
}
