package dev.glassbox.io;

import dev.glassbox.data.MnistFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {
    @TempDir
    Path dir;

    /** An unsigned-byte IDX file of the given dims, values i mod 256. */
    static byte[] idx(int... dims) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeInt(0x00000800 | dims.length);
        int n = 1;
        for (int d : dims) {
            out.writeInt(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) out.writeByte(i % 256);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzippedFiles() throws IOException {
        Path plain = dir.resolve("a.idx"), gz = dir.resolve("a.idx.gz");
        Files.write(plain, idx(3, 2, 2));
        Files.write(gz, gzip(idx(3, 2, 2)));
        for (Path p : new Path[] {plain, gz}) {
            Idx.Array a = Idx.read(p);
            assertArrayEquals(new int[] {3, 2, 2}, a.dims());
            assertEquals(11f, a.values()[11]);
            assertEquals(3, a.count());
        }
    }

    /** readStored keeps an unsigned-byte file's bytes (value b & 0xff), other types as floats; a truncated file is the same error. */
    @Test
    void storedKeepsUnsignedBytesAsBytes() throws IOException {
        Path f = dir.resolve("s.idx.gz");
        Files.write(f, gzip(idx(2, 200)));
        Idx.Stored s = Idx.readStored(f);
        assertArrayEquals(new int[] {2, 200}, s.dims());
        assertEquals(2, s.count());
        assertEquals(null, s.floats());
        float[] want = Idx.read(f).values();
        for (int i = 0; i < want.length; i++) assertEquals(want[i], s.bytes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 0xff, "value " + i);
        var ints = new ByteArrayOutputStream();
        var out = new DataOutputStream(ints);
        out.writeInt(0x00000C01);
        out.writeInt(2);
        out.writeInt(-7);
        out.writeInt(9);
        Files.write(f, gzip(ints.toByteArray()));
        Idx.Stored i = Idx.readStored(f);
        assertEquals(null, i.bytes());
        assertArrayEquals(new float[] {-7f, 9f}, i.floats());
        byte[] good = idx(4, 3);
        Files.write(f, Arrays.copyOf(good, good.length - 2));
        assertTrue(assertThrows(IOException.class, () -> Idx.readStored(f)).getMessage().contains("truncated"));
        Files.write(f, Arrays.copyOf(good, good.length + 1));
        assertTrue(assertThrows(IOException.class, () -> Idx.readStored(f)).getMessage().contains("bytes after"));
    }

    /** A file of unsigned bytes longer than the 64 KB read at a time: every byte in place, off the Java heap, plain or gzipped. */
    @Test
    void storedBytesAreReadWholeOffTheHeap() throws IOException {
        int rows = 3, row = 30011;
        byte[] values = new byte[rows * row];
        new java.util.Random(5).nextBytes(values);
        var raw = new ByteArrayOutputStream();
        var out = new DataOutputStream(raw);
        out.writeInt(0x00000802);
        out.writeInt(rows);
        out.writeInt(row);
        out.write(values);
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve(gz ? "big.idx.gz" : "big.idx");
            Files.write(f, gz ? gzip(raw.toByteArray()) : raw.toByteArray());
            Idx.Stored s = Idx.readStored(f);
            assertTrue(s.bytes().isNative(), "off the heap");
            assertEquals(values.length, s.bytes().byteSize());
            assertArrayEquals(values, s.bytes().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), gz ? "gzipped" : "plain");
        }
    }

    @Test
    void badFilesGetMessagesNamingTheProblem() throws IOException {
        Path f = dir.resolve("bad.idx");
        byte[] good = idx(4, 3);
        Files.write(f, Arrays.copyOf(good, good.length - 2));
        assertTrue(assertThrows(IOException.class, () -> Idx.read(f)).getMessage().contains("truncated"));
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 0x12;
        Files.write(f, wrongMagic);
        assertTrue(assertThrows(IOException.class, () -> Idx.read(f)).getMessage().contains("not an IDX file"));
        byte[] badType = good.clone();
        badType[2] = 0x05;
        Files.write(f, badType);
        assertTrue(assertThrows(IOException.class, () -> Idx.read(f)).getMessage().contains("unknown IDX value type"));
        Files.write(f, Arrays.copyOf(good, good.length + 3));
        assertTrue(assertThrows(IOException.class, () -> Idx.read(f)).getMessage().contains("bytes after"));
        Files.write(f, Arrays.copyOf(gzip(good), 20));
        String msg = assertThrows(IOException.class, () -> Idx.read(f)).getMessage();
        assertTrue(msg.contains("truncated") || msg.contains("corrupt gzip"), msg);
        assertTrue(assertThrows(IOException.class, () -> Idx.read(dir.resolve("none"))).getMessage().contains("no such file"));
    }

    static void writeMnistFolder(Path folder, int train, int test, int labelsTrain) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("train-images-idx3-ubyte.gz"), gzip(idx(train, 28, 28)));
        byte[] labels = idx(labelsTrain);
        for (int i = 8 + 4; i < labels.length; i++) labels[i] = (byte) ((i - 12) % 10);
        Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), gzip(labels));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"), idx(test, 28, 28));
        byte[] tl = idx(test);
        for (int i = 12; i < tl.length; i++) tl[i] = (byte) ((i - 12) % 10);
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), tl);
    }

    @Test
    void mnistFolderLoadsScaledImagesAndChecksCounts() throws IOException {
        Path ok = dir.resolve("ok");
        writeMnistFolder(ok, 12, 5, 12);
        var split = MnistFormat.load(ok);
        assertEquals(12, split.train().size());
        assertEquals(5, split.test().size());
        assertArrayEquals(new int[] {12, 1, 28, 28}, split.train().inputs().shape());
        float max = 0;
        for (float v : split.train().inputs().data()) max = Math.max(max, v);
        assertEquals(1f, max, 1e-6f);
        Path bad = dir.resolve("bad");
        writeMnistFolder(bad, 12, 5, 11);
        assertTrue(assertThrows(IOException.class, () -> MnistFormat.load(bad)).getMessage().contains("12 train images but 11 labels"));
        assertTrue(assertThrows(IOException.class, () -> MnistFormat.load(dir.resolve("nothing"))).getMessage().contains("no such folder"));
        Path empty = dir.resolve("empty");
        writeMnistFolder(empty, 0, 5, 0);
        assertEquals(empty + ": its train files hold no images (shape [0, 28, 28])",
                assertThrows(IOException.class, () -> MnistFormat.load(empty)).getMessage(), "named with its folder, not 'the dataset is empty'");
        Files.delete(ok.resolve("t10k-labels-idx1-ubyte"));
        assertTrue(assertThrows(IOException.class, () -> MnistFormat.load(ok)).getMessage().contains("missing t10k-labels-idx1-ubyte"));
    }

    /** A 32-byte file whose header claims 2^31 images is refused before anything is allocated, plain or gzipped. */
    @Test
    void aHeaderClaimingMoreThanTheFileHoldsIsRefused() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(Integer.MAX_VALUE / 784 - 1);
        out.writeInt(28);
        out.writeInt(28);
        out.write(new byte[16]);
        Path plain = dir.resolve("huge-idx3-ubyte"), gz = dir.resolve("huge-idx3-ubyte.gz");
        Files.write(plain, bytes.toByteArray());
        Files.write(gz, gzip(bytes.toByteArray()));
        for (Path f : new Path[] {plain, gz}) {
            IOException e = assertThrows(IOException.class, () -> Idx.read(f));
            assertTrue(e.getMessage().startsWith(f + ": its header announces 2147482624 values of shape [2739136, 28, 28]"), e.getMessage());
            assertTrue(e.getMessage().endsWith("more than the file can hold: truncated or not an IDX file"), e.getMessage());
        }
    }
}
