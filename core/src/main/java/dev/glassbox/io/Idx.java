package dev.glassbox.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The IDX format of the MNIST family, plain or gzipped (detected from the first bytes):
 * two zero bytes, a type byte, the number of dimensions, each dimension as a big-endian
 * int, then the values row-major. Reads unsigned bytes (the image and label files), and the
 * signed-byte, short, int, float and double types. Errors name the file and what is wrong.
 */
public final class Idx {
    /** The dimensions and values of a file, as floats (bytes 0–255 stay 0–255). */
    public record Array(int[] dims, float[] values) {
        public int count() { return dims.length == 0 ? 0 : dims[0]; }
    }

    /**
     * A file of unsigned bytes (type 0x08: MNIST's images) as its bytes, one a value (value
     * {@code b & 0xff}), off the Java heap (memory of an automatic arena, freed once unreachable),
     * or, for a file of another type, its values as floats ({@code bytes} null).
     */
    public record Stored(int[] dims, MemorySegment bytes, float[] floats) {
        public int count() { return dims.length == 0 ? 0 : dims[0]; }
    }

    private Idx() {}

    public static Array read(Path file) throws IOException {
        Stored s = read(file, false);
        return new Array(s.dims(), s.floats());
    }

    /**
     * {@link #read}, but a file of unsigned bytes keeps them as bytes (a quarter of the memory of
     * floats: Fashion-MNIST's training images 47 MB instead of 188), off the Java heap, where the
     * garbage collector neither copies nor scans them.
     */
    public static Stored readStored(Path file) throws IOException {
        return read(file, true);
    }

    private static Stored read(Path file, boolean keepBytes) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            boolean gz = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gz ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            // the most bytes the file can hold: itself, or what deflate can expand it to (at most 1032:1)
            long size = Files.size(file);
            long room = !gz ? size : size > Long.MAX_VALUE / 1032 ? Long.MAX_VALUE : size * 1032;
            return read(new DataInputStream(in), file, room, keepBytes);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (ZipException e) {
            throw new IOException(file + ": corrupt gzip data (" + e.getMessage() + ")");
        } catch (EOFException e) {
            throw new IOException(file + ": truncated (the file ends before all the values its header announces)");
        }
    }

    private static Stored read(DataInputStream in, Path file, long room, boolean keepBytes) throws IOException {
        int magic = in.readInt();
        if ((magic >>> 16) != 0) {
            throw new IOException(file + ": not an IDX file (magic number 0x" + Integer.toHexString(magic)
                    + "; IDX files start with two zero bytes, a type and a rank, e.g. 0x00000803 for images)");
        }
        int type = (magic >>> 8) & 0xff, rank = magic & 0xff;
        int width = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new IOException(file + ": unknown IDX value type 0x" + Integer.toHexString(type));
        };
        if (rank == 0 || rank > 8) throw new IOException(file + ": IDX rank " + rank + " is not supported (1 to 8)");
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) throw new IOException(file + ": negative dimension " + dims[i]);
            count *= dims[i];   // at most 2^31 times 2^31 here: no overflow
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": its header announces dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + (i + 1 < rank ? "..." : "") + ", more values than one array holds: not an IDX file, or a damaged one");
            }
        }
        if (count > Integer.MAX_VALUE - 8) throw new IOException(file + ": " + count + " values are more than one array holds");
        if (count * width + 4L * (rank + 1) > room) {   // checked before anything is allocated
            throw new IOException(file + ": its header announces " + count + " values of shape " + Arrays.toString(dims)
                    + " (" + count * width + " bytes), more than the file can hold: truncated or not an IDX file");
        }
        if (type == 0x08 && keepBytes) {
            MemorySegment bytes = Arena.ofAuto().allocate(Math.max(1, count)).asSlice(0, count);
            byte[] buf = new byte[(int) Math.min(count, 1 << 16)];
            for (long at = 0; at < count; ) {
                int n = (int) Math.min(buf.length, count - at);
                in.readFully(buf, 0, n);
                MemorySegment.copy(buf, 0, bytes, ValueLayout.JAVA_BYTE, at, n);
                at += n;
            }
            requireEnd(in, file, count, dims);
            return new Stored(dims, bytes, null);
        }
        float[] v = new float[(int) count];
        switch (type) {
            case 0x08 -> {
                byte[] buf = new byte[v.length];
                in.readFully(buf);
                for (int i = 0; i < v.length; i++) v[i] = buf[i] & 0xff;
            }
            case 0x09 -> {
                byte[] buf = new byte[v.length];
                in.readFully(buf);
                for (int i = 0; i < v.length; i++) v[i] = buf[i];
            }
            case 0x0B -> { for (int i = 0; i < v.length; i++) v[i] = in.readShort(); }
            case 0x0C -> { for (int i = 0; i < v.length; i++) v[i] = in.readInt(); }
            case 0x0D -> { for (int i = 0; i < v.length; i++) v[i] = in.readFloat(); }
            default -> { for (int i = 0; i < v.length; i++) v[i] = (float) in.readDouble(); }
        }
        requireEnd(in, file, count, dims);
        return new Stored(dims, null, v);
    }

    private static void requireEnd(InputStream in, Path file, long count, int[] dims) throws IOException {
        if (in.read() != -1) throw new IOException(file + ": has bytes after the " + count + " values of shape " + Arrays.toString(dims));
    }
}
