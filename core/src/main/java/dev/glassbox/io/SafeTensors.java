package dev.glassbox.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checkpoints in the safetensors format, byte for byte as the Python {@code safetensors}
 * library writes them, so PyTorch reads ours and we read theirs:
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   JSON: {"__metadata__":{...},"name":{"dtype":"F32","shape":[..],"data_offsets":[begin,end]},...}
 *             compact, metadata first, tensors by name, padded with spaces to a multiple of 8
 *   rest      the tensors' bytes, little-endian, in header order, offsets relative to here
 * </pre>
 * Writes are atomic. Reading checks everything the reference library checks (header size,
 * UTF-8 JSON, dtypes, shapes against offsets, offsets covering the buffer exactly) and says
 * which one failed. F32 is read as is; F64, F16 and BF16 are converted to float32, and so are
 * the integer dtypes (I64, I32, I16, I8, U8; BOOL as 0 and 1) — exactly, an integer beyond 2^24
 * being refused rather than rounded. PyTorch keeps batch norm's {@code num_batches_tracked} as
 * I64: it is read so and written so.
 */
public final class SafeTensors {
    /** The reference library's limit on the header. */
    private static final long MAX_HEADER = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** What a file holds: tensors in file order, and the free-form string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    public static void save(Map<String, ? extends Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file}, atomically: float32, except
     * batch norm's {@code num_batches_tracked}, an I64 as PyTorch stores it (a whole number).
     */
    public static void save(Map<String, ? extends Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        for (var e : tensors.entrySet()) {
            if (!integer(e.getKey())) continue;
            for (float v : e.getValue().data()) {
                if (v != Math.rint(v) || Math.abs(v) > EXACT) throw new IllegalArgumentException("safetensors: " + e.getKey() + " holds " + v + ", not a whole number");
            }
        }
        byte[] header = header(tensors, metadata);
        TreeMap<String, Tensor> sorted = new TreeMap<>(tensors);
        AtomicFiles.write(file, out -> {
            ByteBuffer n = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(n.array());
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (var e : sorted.entrySet()) {
                boolean i64 = integer(e.getKey());
                for (float v : e.getValue().data()) {
                    if (buf.remaining() < 8) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    if (i64) buf.putLong((long) v);
                    else buf.putFloat(v);
                }
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /** The padded JSON header for these tensors; names sorted. */
    static byte[] header(Map<String, ? extends Tensor> tensors, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            sb.append("\"__metadata__\":{");
            boolean first = true;
            for (var e : new TreeMap<>(metadata).entrySet()) {
                if (!first) sb.append(',');
                first = false;
                str(sb, e.getKey()).append(':');
                str(sb, e.getValue());
            }
            sb.append('}');
        }
        long offset = 0;
        boolean first = metadata.isEmpty();
        for (var e : new TreeMap<String, Tensor>(tensors).entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("safetensors: \"__metadata__\" is reserved and cannot name a tensor");
            if (!first) sb.append(',');
            first = false;
            boolean i64 = integer(e.getKey());
            long bytes = (i64 ? 8L : 4L) * e.getValue().numel();
            str(sb, e.getKey()).append(i64 ? ":{\"dtype\":\"I64\",\"shape\":[" : ":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ",").append(shape[i]);
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        sb.append('}');
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) sb.append(' ');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder str(StringBuilder sb, String s) {
        return sb.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }

    /** Reads a file, or fails with an {@link IOException} whose message names the file and the problem. */
    public static Contents load(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        try {
            return parse(all);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a valid safetensors file: " + e.getMessage(), e);
        }
    }

    static Contents parse(byte[] all) {
        if (all.length < 8) throw new IllegalArgumentException("the file has " + all.length + " bytes, fewer than the 8-byte header length");
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > MAX_HEADER) throw new IllegalArgumentException("header length " + Long.toUnsignedString(n) + " is larger than the 100 MB limit");
        if (8 + n > all.length) {
            throw new IllegalArgumentException("header length " + n + " runs past the end of the file (" + all.length
                    + " bytes): the file is truncated or not safetensors");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(all, 8, (int) n)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the header is not valid UTF-8");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the header is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the header is not a JSON object");
        int dataStart = (int) (8 + n);
        long bufferLen = all.length - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        record Entry(String name, String dtype, int[] shape, long begin, long end) {}
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            var f = it.next();
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) throw new IllegalArgumentException("__metadata__ must be an object of strings");
                for (var m = v.fields(); m.hasNext(); ) {
                    var me = m.next();
                    if (!me.getValue().isTextual()) throw new IllegalArgumentException("__metadata__ value of \"" + me.getKey() + "\" is not a string");
                    meta.put(me.getKey(), me.getValue().textValue());
                }
                continue;
            }
            if (!v.isObject() || !v.path("dtype").isTextual() || !v.path("shape").isArray() || !v.path("data_offsets").isArray()
                    || v.path("data_offsets").size() != 2) {
                throw new IllegalArgumentException("tensor \"" + name + "\" needs dtype, shape and two data_offsets");
            }
            int[] shape = new int[v.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode s = v.get("shape").get(i);
                if (!s.canConvertToInt() || s.asInt() < 0) throw new IllegalArgumentException("tensor \"" + name + "\" has an invalid shape " + v.get("shape"));
                shape[i] = s.asInt();
            }
            JsonNode o = v.get("data_offsets");
            if (!o.get(0).canConvertToLong() || !o.get(1).canConvertToLong()) {
                throw new IllegalArgumentException("tensor \"" + name + "\" has invalid data_offsets " + o);
            }
            entries.add(new Entry(name, v.get("dtype").textValue(), shape, o.get(0).asLong(), o.get(1).asLong()));
        }
        entries.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long expect = 0;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            int width = switch (e.dtype) {
                case "F32", "I32" -> 4;
                case "F64", "I64" -> 8;
                case "F16", "BF16", "I16" -> 2;
                case "I8", "U8", "BOOL" -> 1;
                default -> throw new IllegalArgumentException("tensor \"" + e.name + "\" has dtype " + e.dtype
                        + "; Glassbox reads F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL");
            };
            if (e.begin != expect) {
                throw new IllegalArgumentException("tensor \"" + e.name + "\" starts at byte " + e.begin + ", expected " + expect
                        + " (offsets must tile the data without gaps or overlaps)");
            }
            long count = 1;
            for (int s : e.shape) count *= s;
            if (e.end - e.begin != count * width) {
                throw new IllegalArgumentException("tensor \"" + e.name + "\" of shape " + Arrays.toString(e.shape) + " and dtype " + e.dtype
                        + " needs " + count * width + " bytes, but its offsets span " + (e.end - e.begin));
            }
            if (e.end > bufferLen) {
                throw new IllegalArgumentException("tensor \"" + e.name + "\" ends at byte " + e.end + " but the data has only "
                        + bufferLen + " bytes: the file is truncated");
            }
            tensors.put(e.name, Tensor.wrap(decode(all, dataStart + (int) e.begin, (int) count, e.dtype, e.name), e.shape));
            expect = e.end;
        }
        if (expect != bufferLen) {
            throw new IllegalArgumentException("the data has " + bufferLen + " bytes but the tensors cover " + expect
                    + ": extra bytes at the end");
        }
        return new Contents(tensors, meta);
    }

    /** Integers beyond this magnitude have no exact float32; they are refused rather than rounded. */
    private static final long EXACT = 1L << 24;

    private static float[] decode(byte[] all, int at, int count, String dtype, String name) {
        ByteBuffer b = ByteBuffer.wrap(all, at, all.length - at).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[count];
        switch (dtype) {
            case "F32" -> b.asFloatBuffer().get(out, 0, count);
            case "F64" -> { for (int i = 0; i < count; i++) out[i] = (float) b.getDouble(); }
            case "F16" -> { for (int i = 0; i < count; i++) out[i] = Float.float16ToFloat(b.getShort()); }
            case "BF16" -> { for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16); }
            case "I64" -> { for (int i = 0; i < count; i++) out[i] = exact(b.getLong(), name, i); }
            case "I32" -> { for (int i = 0; i < count; i++) out[i] = exact(b.getInt(), name, i); }
            case "I16" -> { for (int i = 0; i < count; i++) out[i] = b.getShort(); }
            case "I8" -> { for (int i = 0; i < count; i++) out[i] = b.get(); }
            case "U8" -> { for (int i = 0; i < count; i++) out[i] = b.get() & 0xff; }
            case "BOOL" -> {
                for (int i = 0; i < count; i++) {
                    byte v = b.get();
                    if (v != 0 && v != 1) throw new IllegalArgumentException("tensor \"" + name + "\" is BOOL but element " + i + " is " + v);
                    out[i] = v;
                }
            }
            default -> throw new AssertionError(dtype);
        }
        return out;
    }

    private static float exact(long v, String name, int i) {
        if (v > EXACT || v < -EXACT) {
            throw new IllegalArgumentException("tensor \"" + name + "\" element " + i + " is the integer " + v
                    + ", beyond what a float32 holds exactly (2^24); Glassbox keeps tensors as float32");
        }
        return v;
    }

    /** Tensors written as I64, as PyTorch keeps them: batch norm's count of batches. */
    static boolean integer(String name) { return name.equals("num_batches_tracked") || name.endsWith(".num_batches_tracked"); }
}
