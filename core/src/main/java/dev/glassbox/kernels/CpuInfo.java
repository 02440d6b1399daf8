package dev.glassbox.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the kernels know of the CPU they run on: its model name and the sizes of a core's L1
 * data cache and L2, read once from Linux's {@code /sys/devices/system/cpu/cpu0/cache}; where a
 * VM hides that folder, from glibc's {@code getconf} (which asks the CPU itself); failing both,
 * the sizes of the AMD Zen 3 these kernels were first tuned on (32 KB and 512 KB).
 */
public final class CpuInfo {
    /** The model name ("AMD EPYC", "Intel(R) Xeon(R) ..."), or "unknown". */
    public static final String MODEL;
    /** Bytes of a core's L1 data cache and of its L2. */
    public static final int L1D, L2;
    /** Where the cache sizes came from: "sysfs", "getconf" or "default". */
    public static final String SOURCE;

    static {
        MODEL = model();
        int[] sys = fromSysfs();
        String source = "sysfs";
        if (sys == null) {
            sys = new int[] {getconf("LEVEL1_DCACHE_SIZE"), getconf("LEVEL2_CACHE_SIZE")};
            source = sys[0] > 0 && sys[1] > 0 ? "getconf" : "default";
        }
        L1D = sys[0] > 0 ? sys[0] : 32 << 10;
        L2 = sys[1] > 0 ? sys[1] : 512 << 10;
        SOURCE = source;
    }

    private CpuInfo() {}

    private static String model() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or hidden: unknown
        }
        return "unknown";
    }

    /** L1d and L2 from sysfs, or null when the folder is missing or unreadable. */
    private static int[] fromSysfs() {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        if (!Files.isDirectory(dir)) return null;
        int l1 = 0, l2 = 0;
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) continue;
            try {
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                String type = Files.readString(index.resolve("type")).trim();
                int size = parseSize(Files.readString(index.resolve("size")).trim());
                if (level == 1 && type.equals("Data")) l1 = size;
                if (level == 2 && !type.equals("Instruction")) l2 = size;
            } catch (IOException | RuntimeException e) {
                // a file missing or odd: this level stays unknown
            }
        }
        return l1 > 0 && l2 > 0 ? new int[] {l1, l2} : null;
    }

    /** "48K", "1024K", "2M" or a plain number of bytes; 0 if it is none of these. */
    static int parseSize(String s) {
        try {
            if (s.endsWith("K")) return Integer.parseInt(s.substring(0, s.length() - 1)) << 10;
            if (s.endsWith("M")) return Integer.parseInt(s.substring(0, s.length() - 1)) << 20;
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** glibc's value for one cache variable, 0 when getconf is missing, slow or says nothing. */
    private static int getconf(String name) {
        try {
            Process p = new ProcessBuilder("getconf", name).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return 0;
                }
                String out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                return p.exitValue() == 0 ? parseSize(out) : 0;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
