package dev.glassbox.models.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.tensor.Generator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Named values a checkpoint keeps for a part of a run (the batches, a model's carried state):
 * numbers, generator states and float arrays (little-endian float32, base64), held as one JSON
 * object in the checkpoint's metadata. A missing or malformed value is an error naming it.
 */
public final class TrainingState {
    static final ObjectMapper JSON = new ObjectMapper();
    private final ObjectNode node;

    TrainingState(ObjectNode node) { this.node = node; }

    static TrainingState empty() { return new TrainingState(JSON.createObjectNode()); }

    ObjectNode node() { return node; }

    /** The part of this state under {@code key} (made empty when absent). */
    public TrainingState child(String key) {
        JsonNode n = node.get(key);
        if (n instanceof ObjectNode o) return new TrainingState(o);
        return new TrainingState(node.putObject(key));
    }

    public boolean has(String key) { return node.has(key); }

    public TrainingState putLong(String key, long v) {
        node.put(key, v);
        return this;
    }

    public long getLong(String key) {
        JsonNode n = require(key);
        if (!n.canConvertToLong() || !n.isIntegralNumber()) throw malformed(key, "a whole number");
        return n.asLong();
    }

    public TrainingState putDouble(String key, double v) {
        node.put(key, v);
        return this;
    }

    public double getDouble(String key) {
        JsonNode n = require(key);
        if (!n.isNumber()) throw malformed(key, "a number");
        return n.asDouble();
    }

    public TrainingState putString(String key, String v) {
        node.put(key, v);
        return this;
    }

    public String getString(String key) {
        JsonNode n = require(key);
        if (!n.isTextual()) throw malformed(key, "text");
        return n.asText();
    }

    /** A generator's state, to continue its sequence exactly. */
    public TrainingState putGenerator(String key, Generator g) {
        ArrayNode a = node.putArray(key);
        for (long v : g.state()) a.add(Long.toString(v));   // as text: JSON readers elsewhere lose 64-bit integers
        return this;
    }

    /** Sets {@code g} to the state saved under {@code key}. */
    public void restoreGenerator(String key, Generator g) {
        JsonNode n = require(key);
        if (!n.isArray()) throw malformed(key, "a generator state");
        long[] s = new long[n.size()];
        try {
            for (int i = 0; i < s.length; i++) s[i] = Long.parseLong(n.get(i).asText());
            g.setState(s);
        } catch (IllegalArgumentException e) {
            throw malformed(key, "a generator state");
        }
    }

    public TrainingState putFloats(String key, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        node.put(key, Base64.getEncoder().encodeToString(b.array()));
        return this;
    }

    public float[] getFloats(String key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(getString(key));
        } catch (IllegalArgumentException e) {
            throw malformed(key, "base64 float32 values");
        }
        if (bytes.length % 4 != 0) throw malformed(key, "whole float32 values");
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private JsonNode require(String key) {
        JsonNode n = node.get(key);
        if (n == null || n.isNull()) throw new IllegalStateException("the training state has no '" + key + "'");
        return n;
    }

    private static IllegalStateException malformed(String key, String what) {
        return new IllegalStateException("the training state's '" + key + "' is not " + what);
    }
}
