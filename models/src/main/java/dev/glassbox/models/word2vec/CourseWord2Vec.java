package dev.glassbox.models.word2vec;

import dev.glassbox.models.data.CourseData;
import dev.glassbox.nn.Embedding;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The course's small word2vec, drawn as a graphical model: the centre word as a one-hot vector,
 * times W_embeddings (that is, the lookup of its row), times W_nceᵀ (one score per vocabulary
 * word), softmax over the whole vocabulary, cross-entropy against the context word. Built on
 * the engine's Embedding and Linear, trained with autograd on the course's example sentences.
 */
public final class CourseWord2Vec extends Module {
    /** The course's example sentences ('나는 오늘 집에 간다', '학교에 가다') and a few more in their style. */
    public static final List<String> SENTENCES = List.of(
            "나는 오늘 집에 간다", "학교에 가다", "나는 오늘 학교에 간다", "너는 오늘 집에 간다", "너는 학교에 가다", "오늘 나는 집에 가다");
    /** The window of the course's example: one word each side. */
    public static final int WINDOW = 1;
    public static final int DIM = 3;

    public final List<String> vocabulary;
    public final Map<String, Integer> index = new LinkedHashMap<>();
    public final long[] counts;
    /** W_embeddings [V, DIM]: row i is word i's vector. */
    public final Embedding embeddings;
    /** W_nce [V, DIM] (as a Linear without bias: scores = e·W_nceᵀ). */
    public final Linear nce;

    public CourseWord2Vec(Generator g) {
        List<String> words = new ArrayList<>();
        Map<String, long[]> c = new LinkedHashMap<>();
        for (String s : SENTENCES) {
            for (String w : s.split(" ")) {
                c.computeIfAbsent(w, k -> {
                    words.add(k);
                    return new long[1];
                })[0]++;
            }
        }
        vocabulary = List.copyOf(words);
        counts = new long[words.size()];
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
            counts[i] = c.get(words.get(i))[0];
        }
        embeddings = registerModule("W_embeddings", new Embedding(words.size(), DIM, g));
        nce = registerModule("W_nce", new Linear(DIM, words.size(), g, Linear.Bias.NONE));
    }

    /** A sentence as word ids. */
    public int[] ids(String sentence) { return CourseData.wordIds(sentence, index, vocabulary); }

    /** Every (centre, context) pair of every sentence, window 1. */
    public List<int[]> allPairs() {
        List<int[]> out = new ArrayList<>();
        for (String s : SENTENCES) out.addAll(Word2Vec.pairs(ids(s), WINDOW, new int[ids(s).length]));
        return out;
    }

    /** Scores of every vocabulary word for each centre word: [n, V]. */
    public Tensor scores(int[] centres) { return nce.forward(embeddings.forward(centres)); }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("use scores(int[] centres)"); }

    /** The trained vectors as keyed vectors (most frequent first is not kept: the course's order). */
    public KeyedVectors vectors() {
        return new KeyedVectors(vocabulary.toArray(String[]::new), counts.clone(), embeddings.weight.data(), DIM);
    }
}
