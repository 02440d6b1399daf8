package dev.glassbox.models.word2vec;

import dev.glassbox.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The word2vec vector file formats, as the C tool writes them and gensim's
 * {@code KeyedVectors.load_word2vec_format} reads them. Both start with a line
 * "{@code <words> <dimensions>}". Text: then one line per word, the word and its values
 * separated by spaces. Binary: then per word the word's UTF-8 bytes, a space, the values as
 * little-endian float32, and a newline (the C tool's layout; readers also accept files without
 * the newline, as gensim 4 writes them). Files are written atomically.
 */
public final class Word2VecFormat {
    private Word2VecFormat() {}

    /** Text or binary. */
    public enum Kind { TEXT, BINARY }

    /** Binary unless the name ends in .txt or .vec (text). */
    public static Kind kindOf(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".txt") || n.endsWith(".vec") ? Kind.TEXT : Kind.BINARY;
    }

    public static void save(KeyedVectors kv, Path file, Kind kind) throws IOException {
        AtomicFiles.write(file, out -> {
            OutputStream o = new BufferedOutputStream(out, 1 << 16);
            int dim = kv.dim();
            o.write((kv.size() + " " + dim + "\n").getBytes(StandardCharsets.UTF_8));
            float[] m = kv.matrix();
            ByteBuffer bb = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < kv.size(); i++) {
                String w = kv.word(i);
                if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                    throw new IOException("cannot write the word '" + w + "': words in word2vec files may not be empty or contain spaces");
                }
                if (kind == Kind.TEXT) {
                    sb.setLength(0);
                    sb.append(w);
                    for (int d = 0; d < dim; d++) sb.append(' ').append(m[i * dim + d]);
                    sb.append('\n');
                    o.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                } else {
                    o.write(w.getBytes(StandardCharsets.UTF_8));
                    o.write(' ');
                    bb.clear();
                    bb.asFloatBuffer().put(m, i * dim, dim);
                    o.write(bb.array());
                    o.write('\n');
                }
            }
            o.flush();
        });
    }

    /** Reads either format, telling them apart by content. */
    public static KeyedVectors load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            String header = line(in, file, 1);
            String[] h = header.strip().split("\\s+");
            int words, dim;
            try {
                if (h.length != 2) throw new NumberFormatException();
                words = Integer.parseInt(h[0]);
                dim = Integer.parseInt(h[1]);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": not a word2vec file: the first line should be '<words> <dimensions>', got '"
                        + abbreviate(header) + "'");
            }
            if (words < 0 || dim <= 0) throw new IOException(file + ": bad header '" + header + "' (need words >= 0, dimensions > 0)");
            if ((long) words * dim > Integer.MAX_VALUE - 8) throw new IOException(file + ": " + words + " x " + dim + " values are too many");
            in.mark(1 << 20);
            boolean binary = words > 0 && !looksLikeText(in, dim);
            in.reset();
            // each entry takes at least a one-byte word, a separator and its numbers (4 bytes each
            // in binary, a digit and a space in text): checked before anything is allocated
            long least = (long) words * (2 + (long) dim * (binary ? 4 : 2)), size = Files.size(file);
            if (least > size) {
                throw new IOException(file + ": its header announces " + words + " words of " + dim + (dim == 1 ? " dimension" : " dimensions") + " (at least " + least
                        + " bytes) but the file has " + size + ": truncated, or the header is wrong");
            }
            String[] vocab = new String[words];
            float[] m = new float[words * dim];
            if (binary) readBinary(in, file, vocab, m, dim);
            else readText(in, file, vocab, m, dim);
            try {
                return new KeyedVectors(vocab, null, m, dim);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage());
            }
        }
    }

    /**
     * Whether the first entry is a text line. It is when it holds a word and exactly {@code dim}
     * numbers; or, so that a damaged text file gets a text file's errors, when it is printable
     * and at least one of its fields after the word is a number. A binary entry's float bytes
     * can hold a newline byte anywhere, so its "first line" may be short; but its bytes are not
     * printable number text (looking only for control characters misjudged some binary files).
     */
    private static boolean looksLikeText(InputStream in, int dim) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (bytes.size() >= (1 << 20) - 1) return false;
            bytes.write(b);
        }
        String line = bytes.toString(StandardCharsets.UTF_8);
        String[] f = line.strip().split("[ \\t]+");
        int numbers = 0;
        for (int d = 1; d < f.length; d++) {
            try {
                Float.parseFloat(f[d]);
                numbers++;
            } catch (NumberFormatException e) {
                // not a number
            }
        }
        if (f.length == dim + 1 && numbers == dim) return true;
        boolean printable = line.codePoints().allMatch(c -> c >= 0x20 && c != 0xFFFD || c == '\t' || c == '\r');
        return printable && numbers > 0;
    }

    private static void readText(InputStream in, Path file, String[] vocab, float[] m, int dim) throws IOException {
        for (int i = 0; i < vocab.length; i++) {
            int lineNo = i + 2;
            String line = line(in, file, lineNo);
            String[] f = line.strip().split("[ \\t]+");
            if (f.length != dim + 1) {
                throw new IOException(file + ":" + lineNo + ": expected a word and " + dim + " numbers, got " + (f.length - 1) + " values");
            }
            vocab[i] = f[0];
            for (int d = 0; d < dim; d++) {
                try {
                    m[i * dim + d] = Float.parseFloat(f[d + 1]);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ":" + lineNo + ": '" + abbreviate(f[d + 1]) + "' is not a number");
                }
                if (!Float.isFinite(m[i * dim + d])) {
                    throw new IOException(file + ":" + lineNo + ": the vector of '" + abbreviate(f[0]) + "' holds " + abbreviate(f[d + 1])
                            + " (a vector's numbers must be finite)");
                }
            }
        }
    }

    private static void readBinary(InputStream in, Path file, String[] vocab, float[] m, int dim) throws IOException {
        byte[] vec = new byte[dim * 4];
        ByteBuffer bb = ByteBuffer.wrap(vec).order(ByteOrder.LITTLE_ENDIAN);
        ByteArrayOutputStream word = new ByteArrayOutputStream();
        for (int i = 0; i < vocab.length; i++) {
            word.reset();
            int b;
            while ((b = in.read()) == '\n' || b == '\r') { /* the newline after the previous vector */ }
            while (b != ' ' && b != -1) {
                word.write(b);
                if (word.size() > 10_000) throw new IOException(file + ": word " + (i + 1) + " is longer than 10000 bytes: not a word2vec binary file");
                b = in.read();
            }
            if (b == -1) throw new IOException(file + ": ends after " + i + " of " + vocab.length + " words (truncated)");
            vocab[i] = word.toString(StandardCharsets.UTF_8);
            if (in.readNBytes(vec, 0, vec.length) != vec.length) {
                throw new IOException(file + ": the vector of word " + (i + 1) + " ('" + abbreviate(vocab[i]) + "') is cut short (truncated)");
            }
            bb.rewind();
            bb.asFloatBuffer().get(m, i * dim, dim);
            for (int d = 0; d < dim; d++) {
                if (!Float.isFinite(m[i * dim + d])) {
                    throw new IOException(file + ": the vector of word " + (i + 1) + " ('" + abbreviate(vocab[i]) + "') holds " + m[i * dim + d]
                            + " at dimension " + (d + 1) + " (a vector's numbers must be finite)");
                }
            }
        }
    }

    /** One line without its newline; an error naming the line if the file ends first. */
    private static String line(InputStream in, Path file, int lineNo) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') buf.write(b);
        if (b == -1 && buf.size() == 0) {
            throw new EOFException(file + ": ends at line " + lineNo + (lineNo == 1 ? " (empty file)" : " (truncated: fewer words than its header says)"));
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** At most 40 characters of s for an error message, control characters (a binary file's bytes) shown as '?'. */
    private static String abbreviate(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
