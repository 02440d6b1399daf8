package dev.glassbox.models.word2vec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.glassbox.models.text.TextData;
import dev.glassbox.models.text.TextSource;
import dev.glassbox.models.text.Vocab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The word and text readers under fuzzing (as core's ReaderFuzzTest): word-vector files (text or
 * binary), WordSim and analogy files, a language model's text. Whatever the bytes: a result or an
 * IOException (a setting's problem included), never another exception, an OutOfMemoryError or a
 * hang. Seeds replay in every test run; {@code JAZZER_FUZZ=1} fuzzes (bench/fuzz.sh).
 */
class WordFilesFuzzTest {
    private static final KeyedVectors KV = new KeyedVectors(new String[] {"king", "queen", "man", "woman"}, new long[] {4, 3, 2, 1},
            new float[] {1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0.5f, 0.5f, 0.2f, 0.9f}, 4);

    private interface Reader {
        void read(Path f) throws IOException;
    }

    private static void fuzz(byte[] data, String suffix, Reader reader) throws IOException {
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
    void wordVectors(byte[] data) throws IOException { fuzz(data, ".bin", Word2VecFormat::load); }

    @FuzzTest(maxDuration = "5s")
    void wordSim(byte[] data) throws IOException { fuzz(data, ".tsv", f -> WordEval.wordSim(KV, f)); }

    @FuzzTest(maxDuration = "5s")
    void analogies(byte[] data) throws IOException { fuzz(data, ".txt", f -> WordEval.analogies(KV, f, 30000)); }

    @FuzzTest(maxDuration = "5s")
    void text(byte[] data) throws IOException {
        fuzz(data, ".txt", f -> {
            TextData.read(f.toString());
            for (Vocab.Tokens kind : Vocab.Tokens.values()) {   // as the language models read it: split, then score the held-out part
                try {
                    TextData.Split split = TextData.split(TextSource.data(f.toString()), kind, 2, "fuzzed model");
                    TextData.heldOut(TextSource.data(f.toString()), split.vocab());
                } catch (IOException expected) {
                    // a clean error; the other kind is still tried
                }
            }
        });
    }
}
