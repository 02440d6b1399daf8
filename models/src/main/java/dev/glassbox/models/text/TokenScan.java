package dev.glassbox.models.text;

import java.io.IOException;
import java.io.Reader;

/** A text's tokens as they stream by: code points, or whitespace-separated words. */
final class TokenScan implements AutoCloseable {
    private final Reader in;
    private final char[] buf = new char[1 << 16];
    private int pos, len;
    private final StringBuilder word = new StringBuilder();

    TokenScan(TextSource s) throws IOException { in = s.open(); }

    private int nextChar() throws IOException {
        if (pos == len) {
            len = in.read(buf, 0, buf.length);
            pos = 0;
            if (len <= 0) {
                len = 0;
                return -1;
            }
        }
        return buf[pos++];
    }

    /** The next code point, or −1 at the end; a lone surrogate is its own code point, as {@link String#codePoints}. */
    int codePoint() throws IOException {
        int c = nextChar();
        if (c < 0 || !Character.isHighSurrogate((char) c)) return c;
        int d = nextChar();
        if (d >= 0 && Character.isLowSurrogate((char) d)) return Character.toCodePoint((char) c, (char) d);
        if (d >= 0) pos--;   // not a pair: the next char is read again (it is still in the buffer)
        return c;
    }

    /** The next word, or null at the end. */
    String word() throws IOException {
        int c;
        while ((c = nextChar()) >= 0 && isSpace((char) c)) { /* skip */ }
        if (c < 0) return null;
        word.setLength(0);
        do word.append((char) c); while ((c = nextChar()) >= 0 && !isSpace((char) c));
        return word.toString();
    }

    /** Counts the tokens from here to the end. */
    long count(Vocab.Tokens kind) throws IOException {
        long n = 0;
        if (kind == Vocab.Tokens.WORDS) {
            boolean in = false;
            for (int c; (c = nextChar()) >= 0; ) {
                boolean space = isSpace((char) c);
                if (!space && !in) n++;
                in = !space;
            }
        } else {
            while (codePoint() >= 0) n++;
        }
        return n;
    }

    /** Counts the tokens of a whole source. */
    static long count(TextSource s, Vocab.Tokens kind) throws IOException {
        try (TokenScan scan = new TokenScan(s)) {
            return scan.count(kind);
        }
    }

    /** The whitespace of {@code \\s} in a regular expression: space, tab, newline, vertical tab, form feed, carriage return. */
    static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r'; }

    @Override public void close() throws IOException { in.close(); }
}
