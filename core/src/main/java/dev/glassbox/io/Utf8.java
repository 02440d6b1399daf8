package dev.glassbox.io;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reading text that must be UTF-8: bytes that are not (a binary file given where text belongs)
 * are an error naming the file and how far in it went wrong, not the JDK's "Input length = 1"
 * and not text full of replacement characters.
 */
public final class Utf8 {
    private Utf8() {}

    /** A reader of {@code in} that fails on the first byte that is not UTF-8, naming {@code name} and {@code what} it should be. */
    public static BufferedReader reader(InputStream in, String name, String what) {
        Reader strict = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new BufferedReader(new FilterReader(strict) {
            private long chars;

            @Override
            public int read(char[] b, int off, int len) throws IOException {
                try {
                    int k = super.read(b, off, len);
                    if (k > 0) chars += k;
                    return k;
                } catch (CharacterCodingException e) {
                    String where = chars == 0 ? "near its start" : "after about " + chars + " characters";
                    throw new IOException(name + ": not UTF-8 text (bytes that are not UTF-8 " + where + "); " + what);
                }
            }

            @Override
            public int read() throws IOException {
                char[] one = new char[1];
                return read(one, 0, 1) == -1 ? -1 : one[0];
            }
        }, 1 << 16);
    }
}
