package dev.glassbox.models.word2vec;

import dev.glassbox.tensor.Blas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word vectors by word, most frequent first (the order training and the word2vec formats use),
 * with the usual queries on cosine similarity: nearest neighbours, analogies (3CosAdd, as
 * gensim's {@code most_similar(positive=[b, c], negative=[a])}), similarity of two words.
 */
public final class KeyedVectors {
    private final String[] words;
    private final long[] counts;
    private final float[] vectors;
    private final int dim;
    private final Map<String, Integer> index;
    private float[] unit;

    /** @param counts per word, or null if unknown (then the order stands for frequency) */
    public KeyedVectors(String[] words, long[] counts, float[] vectors, int dim) {
        if (dim <= 0) throw new IllegalArgumentException("vector size must be positive, got " + dim);
        if (vectors.length != (long) words.length * dim) {
            throw new IllegalArgumentException(words.length + " words of " + dim + " values need " + (long) words.length * dim
                    + " numbers, got " + vectors.length);
        }
        this.words = words;
        this.counts = counts;
        this.vectors = vectors;
        this.dim = dim;
        this.index = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) {
            if (index.putIfAbsent(words[i], i) != null) throw new IllegalArgumentException("the word '" + words[i] + "' appears twice");
        }
    }

    public int size() { return words.length; }

    public int dim() { return dim; }

    public String word(int i) { return words[i]; }

    /** The word's count in the training corpus, or 0 if the vectors came without counts. */
    public long count(int i) { return counts == null ? 0 : counts[i]; }

    public boolean contains(String word) { return index.containsKey(word); }

    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? -1 : i;
    }

    /** A copy of the word's vector. */
    public float[] vector(String word) {
        int i = require(word);
        return Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
    }

    /** The raw matrix, [size × dim] row-major (shared, not copied). */
    float[] matrix() { return vectors; }

    private int require(String word) {
        Integer i = index.get(word);
        if (i == null) throw new IllegalArgumentException("'" + word + "' is not in the vocabulary (" + words.length + " words)");
        return i;
    }

    /** Each row scaled to length 1 (a zero row stays zero); computed once. */
    private synchronized float[] unit() {
        if (unit == null) {
            float[] u = new float[vectors.length];
            for (int i = 0; i < words.length; i++) {
                float norm = (float) Math.sqrt(Blas.sdot(dim, vectors, i * dim, vectors, i * dim));
                if (norm > 0) Blas.sscal(dim, 1f / norm, vectors, i * dim, u, i * dim);
            }
            unit = u;
        }
        return unit;
    }

    /** Cosine similarity of two words. */
    public float similarity(String a, String b) {
        float[] u = unit();
        return Blas.sdot(dim, u, require(a) * dim, u, require(b) * dim);
    }

    /** A word and its cosine similarity to the query. */
    public record Neighbour(String word, float similarity) {}

    /** The {@code topn} words closest to {@code word}, itself excluded. */
    public List<Neighbour> mostSimilar(String word, int topn) {
        int i = require(word);
        float[] q = Arrays.copyOfRange(unit(), i * dim, (i + 1) * dim);
        return nearest(q, topn, new int[] {i}, words.length);
    }

    /**
     * a is to b as c is to ?: the {@code topn} words nearest to unit(b) − unit(a) + unit(c)
     * among the first {@code restrict} words (0 for all), a, b and c excluded.
     */
    public List<Neighbour> analogy(String a, String b, String c, int topn, int restrict) {
        int ia = require(a), ib = require(b), ic = require(c);
        float[] u = unit(), q = new float[dim];
        Blas.saxpy(dim, 1f, u, ib * dim, q, 0);
        Blas.saxpy(dim, -1f, u, ia * dim, q, 0);
        Blas.saxpy(dim, 1f, u, ic * dim, q, 0);
        return nearest(q, topn, new int[] {ia, ib, ic}, restrict <= 0 ? words.length : Math.min(restrict, words.length));
    }

    static boolean excluded(int[] exclude, int i) {
        for (int e : exclude) if (e == i) return true;
        return false;
    }

    /** Unit rows, [size × dim] row-major (shared). */
    float[] unitMatrix() { return unit(); }

    /** The query's {@code topn} nearest unit rows among the first {@code limit}, by cosine. */
    private List<Neighbour> nearest(float[] query, int topn, int[] exclude, int limit) {
        if (topn <= 0) throw new IllegalArgumentException("topn must be positive, got " + topn);
        float qn = (float) Math.sqrt(Blas.sdot(dim, query, 0, query, 0));
        float scale = qn > 0 ? 1f / qn : 0f;
        float[] u = unit();
        int k = Math.min(topn, limit);
        int[] best = new int[k + 1];
        float[] score = new float[k + 1];
        int have = 0;
        for (int i = 0; i < limit; i++) {
            if (excluded(exclude, i)) continue;
            float s = Blas.sdot(dim, query, 0, u, i * dim) * scale;
            if (have == k && s <= score[k - 1]) continue;
            int at = have < k ? have++ : k - 1;
            while (at > 0 && score[at - 1] < s) {
                score[at] = score[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            score[at] = s;
            best[at] = i;
        }
        List<Neighbour> out = new ArrayList<>(have);
        for (int i = 0; i < have; i++) out.add(new Neighbour(words[best[i]], score[i]));
        return out;
    }
}
