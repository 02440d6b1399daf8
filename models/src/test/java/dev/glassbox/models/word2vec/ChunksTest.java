package dev.glassbox.models.word2vec;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A worker's part of the corpus: the parts' sentences, in order, are the whole corpus's, and a part walks again from its start. */
class ChunksTest {
    /** Every sentence of a source, as its word ids, in the order its chunks come. */
    private static List<List<Integer>> sentences(Chunks.InMemory source) {
        List<List<Integer>> out = new ArrayList<>();
        for (Chunks.Chunk c; (c = source.next()) != null; ) {
            int from = c.start();
            for (int k = 0; k < c.sentences(); k++) {
                int to = c.ends()[c.firstSentence() + k];
                List<Integer> s = new ArrayList<>();
                for (int i = from; i < to; i++) s.add(c.ids()[i]);
                out.add(s);
                from = to;
            }
        }
        return out;
    }

    @Test
    void partsSplitTheCorpusInOrderAndWalkAgain() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) lines.add("w" + (i % 7) + " w" + (i % 11) + " w" + (i % 13) + " w" + (i % 5));   // 24,000 words: 3 chunks
        Corpus corpus = Corpus.ofSentences("test", lines);
        Vocabulary vocab = Vocabulary.build(corpus, 1);
        List<List<Integer>> whole = sentences(Chunks.InMemory.encode(corpus, vocab, 1));
        for (int parts : new int[] {1, 2, 3, 5}) {
            List<List<Integer>> joined = new ArrayList<>();
            Chunks.InMemory all = Chunks.InMemory.encode(corpus, vocab, 1);
            for (int p = 0; p < parts; p++) {
                Chunks.InMemory part = all.part(p, parts, 1);
                List<List<Integer>> mine = sentences(part);
                assertNull(part.next(), "a walked source is used up");
                assertEquals(mine, sentences(part.again(1)), "part " + p + " of " + parts + " walks again from its start");
                joined.addAll(mine);
            }
            assertEquals(whole, joined, parts + " parts");
        }
        assertEquals(6_000, whole.size());
    }
}
