package dev.glassbox.models.word2vec;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A text corpus read as a stream of sentences: one sentence per line, tokens separated by
 * whitespace, nothing held in memory but the line being read. A corpus is a file (plain or
 * {@code .gz}), a folder of such files (read in name order, hidden files skipped), or an
 * embedded resource. Lines longer than {@link #MAX_SENTENCE} tokens are cut into pieces of that
 * length, as gensim does. The tokens are taken as they are (no lower-casing).
 */
public final class Corpus {
    /** The longest sentence; longer lines are split. */
    public static final int MAX_SENTENCE = 10_000;

    private final String name;
    private final List<Opener> parts;

    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private Corpus(String name, List<Opener> parts) {
        this.name = name;
        this.parts = parts;
    }

    public String name() { return name; }

    /** A file or a folder of files. */
    public static Corpus of(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            }
            if (files.isEmpty()) throw new IOException("corpus folder " + path + " has no files");
            List<Opener> parts = new ArrayList<>();
            for (Path f : files) parts.add(opener(f));
            return new Corpus(path.toString(), parts);
        }
        if (!Files.isRegularFile(path)) throw new IOException("corpus " + path + ": no such file or folder");
        if (!Files.isReadable(path)) throw new IOException("corpus " + path + ": not readable");
        return new Corpus(path.toString(), List.of(opener(path)));
    }

    private static Opener opener(Path f) {
        return () -> {
            InputStream in = Files.newInputStream(f);
            return f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        };
    }

    /** A gzipped text embedded in the jar. */
    public static Corpus resource(String name, String resource) {
        return new Corpus(name, List.of(() -> {
            InputStream in = Corpus.class.getResourceAsStream(resource);
            if (in == null) throw new IOException("the embedded corpus " + resource + " is missing from the jar");
            return new GZIPInputStream(in, 1 << 16);
        }));
    }

    /** Sentences given as lists of words (for tests and small in-memory corpora). */
    public static Corpus ofSentences(String name, List<String> lines) {
        byte[] text = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        return new Corpus(name, List.of(() -> new ByteArrayInputStream(text)));
    }

    /**
     * Calls {@code sink} with each sentence's tokens, in order; an array is reused between
     * calls only up to its {@code count} argument. Empty lines are skipped.
     */
    public void forEach(SentenceSink sink) throws IOException {
        String[] buf = new String[256];
        for (Opener part : parts) {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(part.open(), decoder), 1 << 16)) {
                for (String line; (line = r.readLine()) != null; ) {
                    int n = 0, len = line.length(), i = 0;
                    while (i < len) {
                        while (i < len && Character.isWhitespace(line.charAt(i))) i++;
                        int start = i;
                        while (i < len && !Character.isWhitespace(line.charAt(i))) i++;
                        if (i > start) {
                            if (n == buf.length) buf = Arrays.copyOf(buf, n * 2);
                            buf[n++] = line.substring(start, i);
                            if (n == MAX_SENTENCE) {
                                sink.accept(buf, n);
                                n = 0;
                            }
                        }
                    }
                    if (n > 0) sink.accept(buf, n);
                }
            }
        }
    }

    /** Receives one sentence: the first {@code count} entries of {@code tokens}. */
    @FunctionalInterface
    public interface SentenceSink {
        void accept(String[] tokens, int count) throws IOException;
    }
}
