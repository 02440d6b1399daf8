package dev.glassbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident memory, from /proc/self/status (Linux); NaN elsewhere. */
final class Memory {
    private Memory() {}

    static double rssMb() { return field("VmRSS:"); }

    static double peakRssMb() { return field("VmHWM:"); }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) return Double.parseDouble(line.substring(name.length()).trim().split("\\s+")[0]) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
