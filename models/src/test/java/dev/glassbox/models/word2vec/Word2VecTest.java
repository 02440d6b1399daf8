package dev.glassbox.models.word2vec;

import dev.glassbox.models.explain.Demo;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Trace;
import dev.glassbox.models.explain.TraceCheck;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.TrainingEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Word2VecTest {
    @TempDir
    Path dir;

    /** The course's sentence: each word in turn the centre, the words within the window its contexts. */
    @Test
    void pairsFollowTheWindowAndItsShrink() {
        int[] s = {0, 1, 2, 3};   // 나는 오늘 집에 간다
        List<String> full = Word2Vec.pairs(s, 1, new int[4]).stream().map(Arrays::toString).toList();
        assertEquals(List.of("[0, 1]", "[1, 0]", "[1, 2]", "[2, 1]", "[2, 3]", "[3, 2]"), full);
        List<String> two = Word2Vec.pairs(s, 2, new int[4]).stream().map(Arrays::toString).toList();
        assertEquals(List.of("[0, 1]", "[0, 2]", "[1, 0]", "[1, 2]", "[1, 3]", "[2, 0]", "[2, 1]", "[2, 3]", "[3, 1]", "[3, 2]"), two);
        // Shrinking the window by 1 at position 1 leaves only its nearest neighbours.
        List<String> shrunk = Word2Vec.pairs(s, 2, new int[] {0, 1, 0, 0}).stream().map(Arrays::toString).toList();
        assertEquals(List.of("[0, 1]", "[0, 2]", "[1, 0]", "[1, 2]", "[2, 0]", "[2, 1]", "[2, 3]", "[3, 1]", "[3, 2]"), shrunk);
    }

    /** keep = (√(f/(s·T)) + 1)·(s·T)/f, worked by hand for counts 1000, 10, 1 (T = 1011) and s = 1e-3. */
    @Test
    void subsamplingKeepsRareWordsAndThinsFrequentOnes() {
        float[] keep = Word2Vec.keepProbabilities(new long[] {1000, 10, 1}, 1e-3);
        double t = 1.011;
        assertEquals((Math.sqrt(1000 / t) + 1) * t / 1000, keep[0], 1e-6);   // ≈ 0.0328
        assertEquals(0.0328, keep[0], 1e-4);
        assertEquals(0.4191, keep[1], 1e-4);   // (√(10/1.011) + 1)·0.1011
        assertEquals(1f, keep[2]);             // (√(1/1.011) + 1)·1.011 = 2.02, capped at 1
        float[] off = Word2Vec.keepProbabilities(new long[] {1000, 10}, 0);
        assertArrayEquals(new float[] {1f, 1f}, off);
    }

    @Test
    void noiseTableDrawsUnigramToThePowerThreeQuarters() {
        long[] counts = {500, 120, 40, 9, 1, 1, 300};
        AliasTable t = AliasTable.unigram(counts, 0.75);
        double z = 0;
        for (long c : counts) z += Math.pow(c, 0.75);
        int[] seen = new int[counts.length];
        Random r = new Random(5);
        int draws = 2_000_000;
        for (int i = 0; i < draws; i++) seen[t.sample(r.nextLong(), r.nextLong())]++;
        for (int i = 0; i < counts.length; i++) {
            double p = Math.pow(counts[i], 0.75) / z;
            assertEquals(p, t.probability(i), 1e-6, "table share of word " + i);
            assertEquals(p, seen[i] / (double) draws, 4 * Math.sqrt(p * (1 - p) / draws) + 1e-4, "drawn share of word " + i);
        }
    }

    /** A planted corpus: words of one topic only ever appear together, so each word's neighbours are its topic. */
    static List<String> plantedCorpus(int sentences, long seed) {
        String[][] topics = {
                {"cat", "dog", "horse", "cow", "sheep", "goat"},
                {"red", "blue", "green", "yellow", "purple", "orange"},
                {"paris", "london", "rome", "berlin", "madrid", "vienna"},
                {"piano", "violin", "guitar", "drum", "flute", "cello"}};
        String[] common = {"the", "a", "and", "of", "with"};
        Random r = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < sentences; s++) {
            String[] topic = topics[r.nextInt(topics.length)];
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 10; i++) {
                sb.append(i == 0 ? "" : " ").append(r.nextInt(4) == 0 ? common[r.nextInt(common.length)] : topic[r.nextInt(topic.length)]);
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    private static Word2VecConfig small(long seed) {
        return Word2VecConfig.defaults(seed).withDim(24).withMinCount(1).withEpochs(3).withThreads(2).withSample(0);
    }

    @Test
    void similarWordsOfAPlantedCorpusAreItsTopics() throws IOException {
        List<TrainingEvent> events = new ArrayList<>();
        var r = Word2Vec.train(Corpus.ofSentences("planted", plantedCorpus(3000, 1)), small(3), e -> {
            synchronized (events) {
                events.add(e);
            }
        });
        KeyedVectors kv = r.vectors();
        Set<String> animals = Set.of("dog", "horse", "cow", "sheep", "goat");
        for (KeyedVectors.Neighbour n : kv.mostSimilar("cat", 4)) assertTrue(animals.contains(n.word()), kv.mostSimilar("cat", 4).toString());
        assertTrue(kv.similarity("paris", "rome") > kv.similarity("paris", "violin") + 0.3,
                kv.similarity("paris", "rome") + " vs " + kv.similarity("paris", "violin"));
        assertTrue(events.getFirst() instanceof TrainingEvent.Started, events.getFirst().toString());
        var last = (TrainingEvent.Words) events.getLast();
        assertEquals(last.totalWords(), last.words(), "the run ends having walked every word of every epoch");
        assertEquals(3 * 30_000, last.totalWords());
        assertTrue(r.loss() < 0.45, "mean loss per pair " + r.loss());

        var cbow = Word2Vec.train(Corpus.ofSentences("planted", plantedCorpus(3000, 1)), small(3).withModel(Word2VecConfig.Model.CBOW).withAlpha(0.05f), EventListener.NONE);
        for (KeyedVectors.Neighbour n : cbow.vectors().mostSimilar("red", 3)) {
            assertTrue(Set.of("blue", "green", "yellow", "purple", "orange").contains(n.word()), cbow.vectors().mostSimilar("red", 3).toString());
        }
    }

    /** One thread is deterministic, and streaming from disk gives exactly the in-memory result. */
    @Test
    void streamingEqualsInMemoryAndOneThreadRepeats() throws IOException {
        Path file = dir.resolve("planted.txt");
        Files.write(file, plantedCorpus(2500, 2));
        Word2VecConfig cfg = small(9).withThreads(1).withSample(1e-2);
        float[] a = Word2Vec.train(Corpus.of(file), cfg, EventListener.NONE, Long.MAX_VALUE).vectors().matrix();
        float[] b = Word2Vec.train(Corpus.of(file), cfg, EventListener.NONE, Long.MAX_VALUE).vectors().matrix();
        float[] streamed = Word2Vec.train(Corpus.of(file), cfg, EventListener.NONE, 0).vectors().matrix();
        assertArrayEquals(a, b);
        assertArrayEquals(a, streamed);
        var two = Word2Vec.train(Corpus.of(file), cfg.withThreads(2), EventListener.NONE, 0);
        assertEquals(3L * 25_000, two.rawWordsTrained());
    }

    @Test
    void emptyOrTooRareCorporaAreRefused() throws IOException {
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "\n\n   \n");
        var e = assertThrows(IOException.class, () -> Word2Vec.train(Corpus.of(empty), small(1), EventListener.NONE));
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
        Path rare = dir.resolve("rare.txt");
        Files.writeString(rare, "one two three\n");
        var r = assertThrows(IOException.class, () -> Word2Vec.train(Corpus.of(rare), small(1).withMinCount(5), EventListener.NONE));
        assertTrue(r.getMessage().startsWith("minCount is 5, but no word") && r.getMessage().endsWith("lower it"), r.getMessage());
        Path one = dir.resolve("one.txt");
        Files.writeString(one, "word word word word word\n");
        var single = assertThrows(IOException.class, () -> Word2Vec.train(Corpus.of(one), small(1), EventListener.NONE));
        assertTrue(single.getMessage().startsWith("minCount is 1, which leaves 1 word ('word') of corpus") && single.getMessage().endsWith("word2vec needs at least two: give a larger corpus"),
                single.getMessage());
        var missing = assertThrows(IOException.class, () -> Corpus.of(dir.resolve("nope.txt")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> small(1).withWindow(0));
        assertEquals("window must be between 1 and 100, got 0", bad.getMessage());
    }

    @Test
    void vectorFilesRoundTripInBothFormats() throws IOException {
        KeyedVectors kv = new KeyedVectors(new String[] {"나는", "오늘", "집에"}, new long[] {3, 2, 1},
                new float[] {0.5f, -1.25f, 1e-7f, 3f, 0f, -0f}, 2);
        for (Path f : List.of(dir.resolve("v.bin"), dir.resolve("v.txt"))) {
            Word2VecFormat.save(kv, f, Word2VecFormat.kindOf(f));
            KeyedVectors back = Word2VecFormat.load(f);
            assertEquals(3, back.size());
            assertEquals("오늘", back.word(1));
            assertArrayEquals(kv.matrix(), back.matrix(), f.toString());
        }
        // The binary layout: header, then word, space, little-endian floats, newline.
        byte[] bin = Files.readAllBytes(dir.resolve("v.bin"));
        byte[] head = "3 2\n나는 ".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(head, Arrays.copyOf(bin, head.length));
        assertEquals(0.5f, ByteBuffer.wrap(bin, head.length, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        // gensim 4 writes no newline after a vector: read that too.
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put("2 1\na ".getBytes(StandardCharsets.UTF_8)).putFloat(1.5f).put("b ".getBytes(StandardCharsets.UTF_8)).putFloat(-2f);
        Path g = dir.resolve("gensim.bin");
        Files.write(g, Arrays.copyOf(b.array(), b.position()));
        KeyedVectors gk = Word2VecFormat.load(g);
        assertEquals("b", gk.word(1));
        assertArrayEquals(new float[] {1.5f, -2f}, gk.matrix());
    }

    /** A binary file whose first vector's bytes contain a newline (0.01f is 0A D7 23 3C) is still read as binary. */
    @Test
    void binaryVectorsWithNewlineBytesAreNotMistakenForText() throws IOException {
        java.util.Random r = new java.util.Random(4);
        for (int trial = 0; trial < 50; trial++) {
            int dim = 1 + r.nextInt(40);
            float[] m = new float[3 * dim];
            for (int i = 0; i < m.length; i++) m[i] = r.nextInt(4) == 0 ? 0.01f : (float) r.nextGaussian() * 0.1f;
            KeyedVectors kv = new KeyedVectors(new String[] {"the", "a", "b"}, null, m, dim);
            Path f = dir.resolve("v" + trial + ".bin");
            Word2VecFormat.save(kv, f, Word2VecFormat.Kind.BINARY);
            assertArrayEquals(m, Word2VecFormat.load(f).matrix(), "trial " + trial);
        }
    }

    @Test
    void malformedVectorFilesAreNamed() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "");
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage().contains("empty file"));
        Files.writeString(f, "hello world\n");
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage().contains("first line should be '<words> <dimensions>'"));
        // another kind of file (a checkpoint's binary header): named, with its bytes shown as printable text
        Files.write(f, new byte[] {0x70, 0x03, 0, 0, 0, 0, 0, 0, '{', '"', '_', '_', '\n'});
        String binary = assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage();
        assertTrue(binary.contains("not a word2vec file") && binary.chars().noneMatch(Character::isISOControl), binary);
        Files.writeString(f, "2 3\na 1 2 3\nb 1 2\n");
        assertEquals(f + ":3: expected a word and 3 numbers, got 2 values", assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage());
        Files.writeString(f, "1 2\na 1 x\n");
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage().contains("'x' is not a number"));
        Files.writeString(f, "3 2\na 1 2\n");
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage().contains("truncated"));
        Path bin = dir.resolve("cut.bin");
        KeyedVectors kv = new KeyedVectors(new String[] {"a", "b"}, null, new float[] {1, 2, 3, 4}, 2);
        Word2VecFormat.save(kv, bin, Word2VecFormat.Kind.BINARY);
        byte[] all = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(all, all.length - 5));
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(bin)).getMessage().contains("truncated"));
        Files.writeString(f, "2 2\na 1 2\na 3 4\n");
        assertTrue(assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage().contains("appears twice"));
        // a header claiming 2^31 words in a few bytes: refused before anything is allocated
        Files.writeString(f, "2000000000 1\na 1\n");
        assertEquals(f + ": its header announces 2000000000 words of 1 dimension (at least 8000000000 bytes) but the file has 17:"
                + " truncated, or the header is wrong", assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage());
        Files.writeString(f, "2 2\na 1 2\nb NaN 4\n");
        assertEquals(f + ":3: the vector of 'b' holds NaN (a vector's numbers must be finite)",
                assertThrows(IOException.class, () -> Word2VecFormat.load(f)).getMessage());
        Word2VecFormat.save(new KeyedVectors(new String[] {"a", "b"}, null, new float[] {1, 2, Float.POSITIVE_INFINITY, 4}, 2), bin, Word2VecFormat.Kind.BINARY);
        assertEquals(bin + ": the vector of word 2 ('b') holds Infinity at dimension 1 (a vector's numbers must be finite)",
                assertThrows(IOException.class, () -> Word2VecFormat.load(bin)).getMessage());
    }

    @Test
    void spearmanAndAnalogiesAsGensimCountThem() throws IOException {
        // Ties share their mean rank: ranks of (1, 2, 2, 3) are (1, 2.5, 2.5, 4).
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, WordEval.ranks(List.of(1.0, 2.0, 2.0, 3.0)));
        assertEquals(1.0, WordEval.spearman(List.of(1.0, 2.0, 3.0), List.of(10.0, 20.0, 30.0)), 1e-12);
        assertEquals(-1.0, WordEval.spearman(List.of(1.0, 2.0, 3.0), List.of(3.0, 2.0, 1.0)), 1e-12);
        assertEquals(0.5, WordEval.spearman(List.of(1.0, 2.0, 3.0), List.of(1.0, 3.0, 2.0)), 1e-12);

        // king − man + woman = queen, in four planted dimensions (royal, male, female, fruit).
        String[] w = {"man", "woman", "king", "queen", "apple", "prince"};
        float[] v = {0, 1, 0, 0,  0, 0, 1, 0,  1, 1, 0, 0,  1, 0, 1, 0,  0, 0, 0, 1,  0.9f, 1.1f, 0, 0.1f};
        KeyedVectors kv = new KeyedVectors(w, null, v, 4);
        assertEquals("queen", kv.analogy("man", "king", "woman", 1, 0).getFirst().word());
        Path q = dir.resolve("q.txt");
        Files.writeString(q, ": family\nman king woman queen\nMan King Woman Queen\nman king woman prince\n: other\nman king zebra queen\n");
        WordEval.Analogies a = WordEval.analogies(kv, q, 30000);
        assertEquals(3, a.asked());
        assertEquals(2, a.correct());
        assertEquals(1, a.oov());
        assertEquals(2.0 / 3, a.accuracy(), 1e-12);
        // Restricted to the 3 most frequent words, queen is out of vocabulary.
        assertEquals(0, WordEval.analogies(kv, q, 3).asked());
        Path ws = dir.resolve("ws.tsv");
        Files.writeString(ws, "# pairs\nking\tqueen\t8\nman\twoman\t7\napple\tking\t1\nzebra\tking\t3\n");
        WordEval.WordSim s = WordEval.wordSim(kv, ws);
        assertEquals(3, s.pairs());
        assertEquals(1, s.oov());
        Files.writeString(ws, "king queen lots\n");
        assertTrue(assertThrows(IOException.class, () -> WordEval.wordSim(kv, ws)).getMessage().contains("'lots' is not a number"));
        Files.writeString(ws, "king queen NaN\nman woman 7\n");
        assertEquals(ws + ":1: the score 'NaN' is not a finite number", assertThrows(IOException.class, () -> WordEval.wordSim(kv, ws)).getMessage());
        Files.writeString(ws, "king queen 8\nzebra king 3\n");
        assertEquals(ws + ": 1 of its 2 pairs have both words in the vectors; Spearman's rho needs at least 2",
                assertThrows(IOException.class, () -> WordEval.wordSim(kv, ws)).getMessage());
        Files.write(q, new byte[] {'a', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
        assertEquals(q + ": not UTF-8 text (bytes that are not UTF-8 near its start); word-pair files ('word1 word2 score') and analogy questions ('a b c d') are text",
                assertThrows(IOException.class, () -> WordEval.analogies(kv, q, 3)).getMessage());
        Files.writeString(ws, "king queen 5\nman woman 5\napple king 5\n");
        assertTrue(assertThrows(IOException.class, () -> WordEval.wordSim(kv, ws)).getMessage().endsWith("are all equal"));
    }

    /**
     * explain word2vec: the frames give the trainer's own pairs, every number of the step
     * recomputes (TraceCheck), and negative sampling scores the target and negative samples that
     * are never a true context of the centre, with every number following from the others.
     */
    @Test
    void courseExplanationIsConsistent() {
        float lr = 0.5f;
        for (long seed = 1; seed <= 6; seed++) {
            Trace t = (Trace) new Word2VecRecipe().explain(null, ExplainRequest.of(lr, seed));
            assertEquals(List.of("나는", "오늘"), t.example().words());
            TraceCheck.verify(t);
            Demo.Frames frames = (Demo.Frames) t.demos().get(0);
            assertEquals(3, frames.frameSize());
            assertEquals(List.of(List.of("나는", "오늘"), List.of("오늘", "나는"), List.of("오늘", "집에"), List.of("집에", "오늘"), List.of("집에", "간다"),
                    List.of("간다", "집에")), frames.frames().stream().flatMap(f -> f.pairs().stream()).map(p -> List.of(p.input(), p.target())).toList());
            assertEquals(List.of("나는", "오늘", "집에"), frames.frames().get(1).inside());
            Demo.NegativeSampling ns = (Demo.NegativeSampling) t.demos().get(1);
            assertEquals(Set.of("나는", "오늘", "집에"), Set.copyOf(ns.excluded()), "나는's contexts in the sentences, and itself");
            assertEquals("오늘", ns.samples().getFirst().word());
            assertTrue(ns.samples().getFirst().positive());
            assertEquals(3, ns.samples().size());
            Set<String> contexts = new java.util.HashSet<>();
            for (String sentence : CourseWord2Vec.SENTENCES) {
                String[] w = sentence.split(" ");
                for (int i = 0; i < w.length; i++) {
                    if (!w[i].equals("나는")) continue;
                    if (i > 0) contexts.add(w[i - 1]);
                    if (i + 1 < w.length) contexts.add(w[i + 1]);
                }
            }
            double loss = 0;
            for (Demo.Sample x : ns.samples().subList(1, 3)) {
                assertFalse(x.positive());
                assertFalse(contexts.contains(x.word()) || x.word().equals("나는"), "seed " + seed + ": '" + x.word() + "' is a true context, not a negative sample");
            }
            assertEquals(2, ns.samples().stream().skip(1).map(Demo.Sample::word).distinct().count());
            float[] eg = new float[ns.embedding().length];
            for (Demo.Sample x : ns.samples()) {
                double dot = 0;
                for (int i = 0; i < x.row().length; i++) dot += x.row()[i] * ns.embedding()[i];
                assertEquals(dot, x.score(), 1e-5);
                double part = x.positive() ? -Math.log(1 / (1 + Math.exp(-dot))) : -Math.log(1 / (1 + Math.exp(dot)));
                assertEquals(part, x.lossPart(), 1e-5);
                loss += part;
                double coeff = 1 / (1 + Math.exp(-dot)) - (x.positive() ? 1 : 0);   // dL/ds
                for (int i = 0; i < x.row().length; i++) {
                    assertEquals(coeff * ns.embedding()[i], x.gradient()[i], 1e-5);
                    assertEquals(x.row()[i] - lr * x.gradient()[i], x.after()[i], 1e-6);
                    eg[i] += (float) (coeff * x.row()[i]);
                }
            }
            assertEquals(loss, ns.loss(), 1e-5);
            for (int i = 0; i < eg.length; i++) {
                assertEquals(eg[i], ns.embeddingGradient()[i], 1e-5);
                assertEquals(ns.embedding()[i] - lr * eg[i], ns.newEmbedding()[i], 1e-6);
            }
        }
        var bad = assertThrows(IllegalArgumentException.class,
                () -> new Word2VecRecipe().explain(null, ExplainRequest.of(lr, 7).withInput(List.of("고양이", "오늘"), null)));
        assertTrue(bad.getMessage().contains("not in the course's vocabulary"), bad.getMessage());
        var three = assertThrows(IllegalArgumentException.class,
                () -> new Word2VecRecipe().explain(null, ExplainRequest.of(lr, 7).withInput(List.of("나는", "오늘", "집에"), null)));
        assertEquals("input takes two words for explain word2vec, the centre and its context (for example 나는 오늘), got 3", three.getMessage());
        assertEquals(0.5f, new Word2VecRecipe().explainLr(), "the course's rate");
    }

    @Test
    void courseModelLearnsItsPairs() throws IOException {
        var recipe = new Word2VecRecipe();
        var run = recipe.train(recipe.settings("course"), RunOptions.NONE, EventListener.NONE);
        assertTrue(((Number) run.metrics().get("acc")).doubleValue() >= 0.9, run.metrics().toString());
        // Each centre has about two contexts, so the best loss is near ln 2, not 0.
        float loss = ((Number) run.metrics().get("loss")).floatValue();
        assertTrue(loss < 1.2f && loss > 0.3f, "loss " + loss);
    }
}
