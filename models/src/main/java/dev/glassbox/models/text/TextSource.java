package dev.glassbox.models.text;

import dev.glassbox.io.Utf8;
import dev.glassbox.models.train.DataException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Where a text comes from: a name for messages and a reader opened afresh for each pass, so a
 * long text is read as it streams by and never held whole as one String.
 */
public interface TextSource {
    /** The data name or file, for messages. */
    String name();

    /** A new reader at the text's start (strict UTF-8 for files). */
    Reader open() throws IOException;

    /** The source of a data name ({@link TextData#EMBEDDED}, or null for it) or a UTF-8 file (plain or .gz); a missing file is an error now. */
    static TextSource data(String data) throws DataException {
        if (data == null || data.equals(TextData.EMBEDDED)) {
            return new TextSource() {
                @Override public String name() { return TextData.EMBEDDED; }

                @Override
                public Reader open() throws IOException {
                    InputStream in = TextSource.class.getResourceAsStream("/corpora/pride-and-prejudice.txt.gz");
                    if (in == null) throw new IOException("the embedded text is missing from the jar");
                    return Utf8.reader(new GZIPInputStream(in), TextData.EMBEDDED, "a language model reads a UTF-8 text file");
                }
            };
        }
        Path p = Path.of(data);
        if (!Files.isRegularFile(p)) {
            throw new DataException("data", "'" + data + "' is neither the embedded text (" + TextData.EMBEDDED + ") nor a file; a language model reads a UTF-8 text file");
        }
        return new TextSource() {
            @Override public String name() { return data; }

            @Override
            public Reader open() throws IOException {
                InputStream in = Files.newInputStream(p);
                try {
                    return Utf8.reader(data.endsWith(".gz") ? new GZIPInputStream(in) : in, data, "a language model reads a UTF-8 text file");
                } catch (IOException e) {
                    in.close();
                    throw new IOException(data + ": not a gzip file (" + e.getMessage() + "); name a plain text file without .gz", e);
                }
            }
        };
    }

    /** A text already in memory as a source (tests, short texts). */
    static TextSource text(String name, String text) {
        return new TextSource() {
            @Override public String name() { return name; }

            @Override public Reader open() { return new StringReader(text); }
        };
    }
}
