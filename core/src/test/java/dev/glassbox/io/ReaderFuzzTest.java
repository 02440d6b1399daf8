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
    private interface Reader {
        void read(Path f) throws IOException;
    }

    /** The bytes as a file with {@code suffix}, read; an IOException is the clean answer. */
    static void fuzz(byte[] data, String suffix, Reader reader) throws IOException {
        Path f = Files.createTempFile("fuzz", suffix);
        try {
            Files.write(f, data);
            reader.read(f);
        } catch (IOException expected) {
            // a clean error
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "5s")
    void idx(byte[] data) throws IOException { fuzz(data, "-idx", Idx::read); }

    @FuzzTest(maxDuration = "5s")
    void safetensors(byte[] data) throws IOException { fuzz(data, ".safetensors", SafeTensors::load); }

    @FuzzTest(maxDuration = "5s")
    void csv(byte[] data) throws IOException { fuzz(data, ".csv", f -> Csv.readNumeric(f, 2)); }
}
