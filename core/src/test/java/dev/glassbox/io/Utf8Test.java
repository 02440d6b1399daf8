package dev.glassbox.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Utf8Test {
    @Test
    void textReadsAndBytesThatAreNotUtf8AreNamed() throws IOException {
        var ok = Utf8.reader(new ByteArrayInputStream("나는 오늘\nline two\n".getBytes(StandardCharsets.UTF_8)), "ok.txt", "text");
        assertEquals("나는 오늘", ok.readLine());
        assertEquals("line two", ok.readLine());
        byte[] bad = {'a', 'b', 'c', (byte) 0xff, (byte) 0xfe, 'd', '\n'};
        var r = Utf8.reader(new ByteArrayInputStream(bad), "bin.dat", "a language model reads a UTF-8 text file");
        IOException e = assertThrows(IOException.class, r::readLine);
        assertEquals("bin.dat: not UTF-8 text (bytes that are not UTF-8 near its start); a language model reads a UTF-8 text file", e.getMessage());
    }
}
