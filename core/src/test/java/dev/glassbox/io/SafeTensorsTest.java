package dev.glassbox.io;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsExact() throws IOException {
        Generator g = new Generator(1);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("hidden1.weight", Tensor.randn(g, 3, 25));
        in.put("hidden1.bias", Tensor.randn(g, 3));
        in.put("scalar", Tensor.scalar(Float.MIN_VALUE));
        in.put("empty", Tensor.zeros(0, 4));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(in, Map.of("format", "pt", "model", "dnn"), f);
        var back = SafeTensors.load(f);
        assertEquals(Map.of("format", "pt", "model", "dnn"), back.metadata());
        assertEquals(in.keySet(), back.tensors().keySet());
        for (var e : in.entrySet()) {
            assertArrayEquals(e.getValue().shape(), back.tensors().get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), back.tensors().get(e.getKey()).data(), 0f, e.getKey());
        }
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void bytesFollowTheSafetensorsLayoutFieldByField() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("b", Tensor.of(new float[] {1f, -2f}, 2));
        in.put("a", Tensor.of(new float[] {0.5f, 1f, 2f, 3f, 4f, 5f}, 2, 3));
        Path f = dir.resolve("x.safetensors");
        SafeTensors.save(in, Map.of("format", "pt"), f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        // metadata first, then tensors sorted by name, compact JSON, padded with spaces
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]}}";
        assertEquals(json, header.stripTrailing());
        assertTrue(header.substring(json.length()).chars().allMatch(c -> c == ' '));
        assertEquals(8 + n + 32, bytes.length);
        ByteBuffer data = ByteBuffer.wrap(bytes, 8 + (int) n, 32).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[8];
        data.asFloatBuffer().get(values);
        assertArrayEquals(new float[] {0.5f, 1f, 2f, 3f, 4f, 5f, 1f, -2f}, values);
    }

    @Test
    void readsOtherDtypesAsFloat32() throws IOException {
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[4,12]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + json.length() + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length()).put(json.getBytes(StandardCharsets.UTF_8));
        b.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putDouble(0.25);
        Path f = dir.resolve("o.safetensors");
        Files.write(f, b.array());
        var c = SafeTensors.load(f);
        assertArrayEquals(new float[] {1.5f, -2f}, c.tensors().get("h").data());
        assertArrayEquals(new float[] {0.25f}, c.tensors().get("d").data());
    }

    private String errorOf(byte[] bytes) throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, bytes);
        return assertThrows(IOException.class, () -> SafeTensors.load(f)).getMessage();
    }

    @Test
    void corruptFilesFailWithAMessageNamingTheProblem() throws IOException {
        Path good = dir.resolve("g.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(4, 4)), good);
        byte[] bytes = Files.readAllBytes(good);
        assertTrue(errorOf(Arrays.copyOf(bytes, bytes.length - 5)).contains("truncated"));
        assertTrue(errorOf(Arrays.copyOf(bytes, 5)).contains("fewer than the 8-byte header length"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
        assertTrue(errorOf(longer).contains("extra bytes"));
        byte[] hugeHeader = bytes.clone();
        hugeHeader[7] = 0x7f;
        assertTrue(errorOf(hugeHeader).contains("header length"));
        byte[] notJson = bytes.clone();
        notJson[8] = 'x';
        assertTrue(errorOf(notJson).contains("not valid JSON"));
        String badDtype = new String(bytes, StandardCharsets.ISO_8859_1).replace("F32", "I64");
        assertTrue(errorOf(badDtype.getBytes(StandardCharsets.ISO_8859_1)).contains("dtype I64"));
        String badShape = new String(bytes, StandardCharsets.ISO_8859_1).replace("[4,4]", "[4,5]");
        assertTrue(errorOf(badShape.getBytes(StandardCharsets.ISO_8859_1)).contains("needs 80 bytes"));
        var missing = assertThrows(IOException.class, () -> SafeTensors.load(dir.resolve("nope.safetensors")));
        assertTrue(missing.getMessage().contains("no such file"));
    }

    /** A file with PyTorch's integer dtypes, built byte by byte: read exactly as float32; an integer past 2^24 refused, naming it. */
    @Test
    void integerDtypesReadExactly() {
        byte[] ok = file("{\"a\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[16,20]},"
                + "\"c\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[20,22]},\"d\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[22,23]},"
                + "\"e\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[23,24]}}",
                ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(937).putLong(-5).putInt(1 << 24).put((byte) 200).put((byte) 7)
                        .put((byte) 1).put((byte) -3).array());
        var c = SafeTensors.parse(ok);
        assertArrayEquals(new float[] {937, -5}, c.tensors().get("a").data());
        assertArrayEquals(new float[] {1 << 24}, c.tensors().get("b").data());
        assertArrayEquals(new float[] {200, 7}, c.tensors().get("c").data());
        assertArrayEquals(new float[] {1}, c.tensors().get("d").data());
        assertArrayEquals(new float[] {-3}, c.tensors().get("e").data());
        byte[] big = file("{\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}}",
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((1L << 24) + 1).array());
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.parse(big));
        assertTrue(e.getMessage().contains("\"bn.num_batches_tracked\" element 0 is the integer 16777217"), e.getMessage());
    }

    /** Batch norm's num_batches_tracked is written as I64, as PyTorch's state dict has it, and reads back. */
    @Test
    void batchNormCountIsWrittenAsI64() throws IOException {
        var bn = dev.glassbox.nn.BatchNorm.batchNorm2d(3);
        bn.forward(Tensor.randn(new Generator(1), 4, 3, 2, 2));
        bn.forward(Tensor.randn(new Generator(2), 4, 3, 2, 2));
        Path f = dir.resolve("bn.safetensors");
        SafeTensors.save(bn.stateDict(), f);
        byte[] bytes = Files.readAllBytes(f);
        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[]"), header);
        var back = dev.glassbox.nn.BatchNorm.batchNorm2d(3);
        back.loadStateDict(SafeTensors.load(f).tensors());
        assertArrayEquals(new float[] {2}, back.numBatchesTracked.data());
        assertArrayEquals(bn.runningMean.data(), back.runningMean.data());
        var notWhole = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("num_batches_tracked", Tensor.of(new float[] {1.5f})), dir.resolve("x.safetensors")));
        assertTrue(notWhole.getMessage().contains("not a whole number"), notWhole.getMessage());
    }

    private static byte[] file(String header, byte[] data) {
        StringBuilder h = new StringBuilder(header);
        while (h.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) h.append(' ');
        byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN).putLong(hb.length).put(hb).put(data).array();
    }
}
