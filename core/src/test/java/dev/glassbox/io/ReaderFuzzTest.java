package dev.glassbox.io;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The readers under fuzzing: whatever the bytes, a reader returns or throws an IOException
 * naming the file; any other exception, an OutOfMemoryError or a hang is a finding. In a plain
 * test run the seeds (src/test/resources/dev/glassbox/io/ReaderFuzzTestInputs/…) replay;
 * {@code JAZZER_FUZZ=1} fuzzes (bench/fuzz.sh).
 */
class ReaderFuzzTest {
    private static Path file(byte[] data, String suffix) throws IOException {
        Path f = Files.createTempFile("fuzz", suffix);
        Files.write(f, data);
        return f;
    }

    @FuzzTest(maxDuration = "5s")
    void idx(byte[] data) throws IOException {
        Path f = file(data, "-idx");
        try {
            Idx.read(f);
        } catch (IOException expected) {
            // a clean error
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void safetensors(byte[] data) throws IOException {
        Path f = file(data, ".safetensors");
        try {
            SafeTensors.load(f);
        } catch (IOException expected) {
            // a clean error
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void csv(byte[] data) throws IOException {
        Path f = file(data, ".csv");
        try {
            Csv.readNumeric(f, 2);
        } catch (IOException expected) {
            // a clean error
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
