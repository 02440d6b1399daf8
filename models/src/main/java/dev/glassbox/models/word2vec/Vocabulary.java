package dev.glassbox.models.word2vec;

import dev.glassbox.models.train.DataException;
import dev.glassbox.models.train.InvalidSettingException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words kept for training: those seen at least {@code minCount} times, most frequent first
 * (ties in order of first appearance), each with its count.
 */
public final class Vocabulary {
    private final String[] words;
    private final long[] counts;
    private final Map<String, Integer> index;
    private final long rawTokens, sentences;

    Vocabulary(String[] words, long[] counts, long rawTokens, long sentences) {
        if (words.length != counts.length) throw new IllegalArgumentException("words and counts differ in length");
        this.words = words;
        this.counts = counts;
        this.rawTokens = rawTokens;
        this.sentences = sentences;
        this.index = new HashMap<>(words.length * 2);
        for (int i = 0; i < words.length; i++) {
            if (index.put(words[i], i) != null) throw new IllegalArgumentException("the word '" + words[i] + "' appears twice");
        }
    }

    /** Counts every token of the corpus in one streaming pass. */
    public static Vocabulary build(Corpus corpus, int minCount) throws IOException {
        InvalidSettingException.check(minCount >= 1, "minCount", "must be at least 1, got " + minCount);
        Map<String, long[]> seen = new HashMap<>();
        List<String> order = new ArrayList<>();
        long[] totals = new long[2];
        corpus.forEach((tokens, n) -> {
            totals[1]++;
            totals[0] += n;
            for (int i = 0; i < n; i++) {
                long[] c = seen.get(tokens[i]);
                if (c == null) {
                    seen.put(tokens[i], new long[] {1});
                    order.add(tokens[i]);
                } else {
                    c[0]++;
                }
            }
        });
        if (totals[0] == 0) throw new IOException("corpus " + corpus.name() + " is empty: no words to learn from");
        List<String> kept = new ArrayList<>();
        for (String w : order) if (seen.get(w)[0] >= minCount) kept.add(w);
        if (kept.isEmpty()) {
            throw new DataException("minCount", "is " + minCount + ", but no word of corpus " + corpus.name() + " occurs that often ("
                    + order.size() + " distinct words in " + totals[0] + " tokens); lower it");
        }
        if (kept.size() < 2) {   // one word has no other to be near: the loss would run to nothing and the vectors mean nothing
            throw new DataException("minCount", "is " + minCount + ", which leaves " + kept.size() + " word ('" + kept.getFirst()
                    + "') of corpus " + corpus.name() + " (" + order.size() + " distinct words in " + totals[0]
                    + " tokens); word2vec needs at least two: give a larger corpus" + (order.size() > 1 ? " or lower it" : ""));
        }
        // A stable sort keeps first appearance among equal counts.
        Collections.sort(kept, (a, b) -> Long.compare(seen.get(b)[0], seen.get(a)[0]));
        String[] words = kept.toArray(String[]::new);
        long[] counts = new long[words.length];
        for (int i = 0; i < words.length; i++) counts[i] = seen.get(words[i])[0];
        return new Vocabulary(words, counts, totals[0], totals[1]);
    }

    public int size() { return words.length; }

    public String word(int i) { return words[i]; }

    public long count(int i) { return counts[i]; }

    /** The word's index, or −1 if it is not in the vocabulary. */
    public int indexOf(String word) {
        Integer i = index.get(word);
        return i == null ? -1 : i;
    }

    /** All tokens of the corpus, in the vocabulary or not. */
    public long rawTokens() { return rawTokens; }

    public long sentences() { return sentences; }

    /** Tokens of vocabulary words: the words training walks over (before subsampling). */
    public long trainWords() { return Arrays.stream(counts).sum(); }

    String[] words() { return words; }

    long[] counts() { return counts; }
}
