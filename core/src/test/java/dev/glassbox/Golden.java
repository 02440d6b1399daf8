package dev.glassbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The PyTorch values of golden/torch_golden.json (made by tools/make_torch_golden.py) and how tests compare with them. */
public final class Golden {
    private static JsonNode root;

    private Golden() {}

    /** One section of the file, e.g. {@code "conv"}. */
    public static synchronized JsonNode section(String name) {
        if (root == null) {
            try (InputStream in = Golden.class.getResourceAsStream("/golden/torch_golden.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonNode s = root.get(name);
        if (s == null) throw new IllegalStateException("no section '" + name + "' in torch_golden.json; rerun tools/make_torch_golden.py");
        return s;
    }

    public static float[] floats(JsonNode arr) {
        float[] f = new float[arr.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) arr.get(i).asDouble();
        return f;
    }

    public static int[] ints(JsonNode arr) {
        int[] f = new int[arr.size()];
        for (int i = 0; i < f.length; i++) f[i] = arr.get(i).asInt();
        return f;
    }

    /** Equal within {@code tol} relative to the expected value (absolute below 1). */
    public static void close(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1f, Math.abs(expected[i])), what + "[" + i + "]");
        }
    }
}
