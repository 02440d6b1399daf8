package dev.glassbox.models.text;

import dev.glassbox.models.train.DataException;

import java.io.Reader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A text as a language model sees it: read, cut into tokens, a vocabulary of the training part,
 * and token ids. The first 90% of the tokens trains; the last 10% is held out.
 */
public final class TextData {
    /** The embedded text: Pride and Prejudice, one sentence per line. */
    public static final String EMBEDDED = "austen";

    /** The vocabulary (of the training part) and the ids of both parts. */
    public record Split(Vocab vocab, int[] train, int[] held, int heldUnknown) {
        /** A split whose held-out part lacks nothing of the vocabulary. */
        public Split(Vocab vocab, int[] train, int[] held) { this(vocab, train, held, 0); }
    }

    private TextData() {}

    /** The whole text of a data name ({@link #EMBEDDED}) or a UTF-8 file (plain or .gz), as one String: for short texts. */
    public static String read(String data) throws IOException {
        try (Reader r = TextSource.data(data).open()) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[1 << 16];
            for (int k; (k = r.read(buf)) > 0; ) sb.append(buf, 0, k);
            return sb.toString();
        }
    }

    /** The tokens of a text: its characters (code points), or its words (whitespace-separated). */
    public static List<String> tokens(String text, Vocab.Tokens kind) {
        List<String> out = new ArrayList<>();
        if (kind == Vocab.Tokens.WORDS) {
            for (String w : text.split("\\s+")) if (!w.isEmpty()) out.add(w);
        } else {
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        }
        return out;
    }

    /** Characters: every one seen, sorted. Words: those seen twice or more, most frequent first, then the unknown word. */
    public static Vocab vocab(List<String> tokens, Vocab.Tokens kind) {
        if (kind == Vocab.Tokens.CHARACTERS) return new Vocab(kind, List.copyOf(new TreeSet<>(tokens)));
        Map<String, Integer> counts = new HashMap<>();
        for (String t : tokens) counts.merge(t, 1, Integer::sum);
        List<String> kept = new ArrayList<>(counts.keySet().stream().filter(w -> counts.get(w) >= 2).toList());
        kept.sort((a, b) -> counts.get(b).equals(counts.get(a)) ? a.compareTo(b) : counts.get(b) - counts.get(a));
        kept.add(Vocab.UNKNOWN);
        return new Vocab(kind, kept);
    }

    /** Token ids; a word not in the vocabulary is the unknown word, a character not in it an error. */
    public static int[] encode(List<String> tokens, Vocab v) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < v.size(); i++) index.put(v.tokens().get(i), i);
        Integer unknown = v.words() ? index.get(Vocab.UNKNOWN) : null;
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = index.get(tokens.get(i));
            if (id == null) {
                if (unknown == null) throw new IllegalArgumentException(notKnown(tokens.get(i), v));
                id = unknown;
            }
            out[i] = id;
        }
        return out;
    }

    /** The error for a token the vocabulary lacks: which one, and what the model does know. */
    static String notKnown(String token, Vocab v) {
        String what = v.words() ? "word" : "character";
        StringBuilder known = new StringBuilder();
        for (int i = 0; i < v.size() && known.length() < 60; i++) {
            if (!known.isEmpty()) known.append(v.words() ? ", " : "");
            String t = v.tokens().get(i);
            known.append(t.equals("\n") ? "\\n" : t);
        }
        if (known.length() >= 60 && v.size() > 1) known.append(" …");
        String shown = token.equals("\n") ? "\\n" : token;
        String list = v.words() ? known.toString() : "\"" + known + "\"";
        return "the " + what + " '" + shown + "' is not in this model's vocabulary of " + v.size() + " " + what + "s ("
                + list + "); use only " + what + "s of the text it was trained on";
    }

    /** As {@link #encode}, but characters missing from the vocabulary (seen only in the held-out part) are dropped. */
    public static int[] encodeKnown(List<String> tokens, Vocab v) {
        if (v.words()) return encode(tokens, v);
        Set<String> known = new HashSet<>(v.tokens());
        return encode(tokens.stream().filter(known::contains).toList(), v);
    }

    /**
     * Splits a text 90/10 into training and held-out ids, with the vocabulary of the training
     * part; each part needs {@code window + 2} tokens at least, or the error says how many.
     */
    public static Split split(String text, Vocab.Tokens kind, int window, String what) throws IOException {
        return split(TextSource.text("text", text), kind, window, what);
    }

    /**
     * {@link #split(String, Vocab.Tokens, int, String)} of a {@link TextSource} read in two passes — one
     * counting its tokens, one turning them into ids — so no more than an int a token (4 bytes)
     * is held, and never the text as a String: the same vocabulary, order and ids as
     * {@link #tokens}, {@link #vocab} and {@link #encode} give (characters the training part
     * never had are dropped from the held-out part and counted).
     */
    public static Split split(TextSource source, Vocab.Tokens kind, int window, String what) throws IOException {
        long total = TokenScan.count(source, kind);
        String unit = kind == Vocab.Tokens.WORDS ? "words" : "characters";
        if (total > MAX_TOKENS) {
            throw new DataException("data", "'" + source.name() + "' has " + total + " " + unit + "; a " + what + " takes at most " + MAX_TOKENS
                    + " (an int array a part): cut the text");
        }
        int n = (int) total, cut = checkedCut(n, window, unit, what);
        Split split;
        try (TokenScan scan = new TokenScan(source)) {
            split = kind == Vocab.Tokens.WORDS ? splitWords(scan, n, cut, source.name()) : splitCharacters(scan, n, cut, source.name());
        }
        // A text of millions of tokens goes to the old generation at once, in one full collection
        // (tens of milliseconds, beside a read of half a second): left young, its ids (the Brown
        // corpus: 23 MB) rode the survivor spaces for their first collections, crowded a step's
        // tensors out into the old generation, and that grew by 20-150 MB as the timing fell (W6's
        // peak RSS 400-547 MB; 398-402 with this). -XX:+DisableExplicitGC turns it off.
        if (n >= SETTLE_TOKENS) System.gc();
        return split;
    }

    /** Tokens from which a text, once read, is moved out of the young generation (16 MB of ids). */
    static final int SETTLE_TOKENS = 1 << 22;

    /** The most tokens a text may have: each part is one int array. */
    static final long MAX_TOKENS = Integer.MAX_VALUE - 16;

    /** The error for a text that ends sooner in the second pass than in the first. */
    private static IOException changed(String name) {
        return new IOException(name + ": the text changed while it was being read (it ended sooner the second time); read it when nothing writes to it");
    }

    /** The ids of a text's words: each distinct word kept once, an int per token. */
    private static Split splitWords(TokenScan scan, int n, int cut, String name) throws IOException {
        Map<String, Integer> first = new HashMap<>();
        List<String> words = new ArrayList<>();
        int[] train = new int[cut];
        for (int i = 0; i < cut; i++) {
            String w = scan.word();
            if (w == null) throw changed(name);
            Integer id = first.get(w);
            if (id == null) {
                id = words.size();
                first.put(w, id);
                words.add(w);
            }
            train[i] = id;
        }
        int[] counts = new int[words.size()];
        for (int id : train) counts[id]++;
        List<Integer> kept = new ArrayList<>();
        for (int w = 0; w < counts.length; w++) if (counts[w] >= 2) kept.add(w);
        kept.sort((a, b) -> counts[b] != counts[a] ? counts[b] - counts[a] : words.get(a).compareTo(words.get(b)));
        List<String> tokens = new ArrayList<>(kept.size() + 1);
        int unk = kept.size();   // <unk>, last
        int[] finalId = new int[words.size()];
        Arrays.fill(finalId, unk);
        for (int k = 0; k < kept.size(); k++) {
            tokens.add(words.get(kept.get(k)));
            finalId[kept.get(k)] = k;
        }
        tokens.add(Vocab.UNKNOWN);
        for (int i = 0; i < cut; i++) train[i] = finalId[train[i]];
        int[] held = new int[n - cut];
        int h = 0, unknown = 0;
        for (String w; h < held.length && (w = scan.word()) != null; h++) {
            Integer id = first.get(w);
            held[h] = id == null ? unk : finalId[id];
            if (held[h] == unk) unknown++;
        }
        return new Split(new Vocab(Vocab.Tokens.WORDS, tokens), train, h == held.length ? held : Arrays.copyOf(held, h), unknown);
    }

    private static int checkedCut(int size, int window, String unit, String what) throws IOException {
        int cut = (int) (size * 0.9);
        if (cut < window + 2 || size - cut < window + 2) {
            throw new IOException("the text has " + size + " " + unit + "; a " + what
                    + " needs at least " + 10 * (window + 2) + " (windows of " + window + ")");
        }
        return cut;
    }

    /** The ids of a text's characters, straight from the code points (4 bytes a character). */
    private static Split splitCharacters(TokenScan scan, int n, int cut, String name) throws IOException {
        int[] train = new int[cut];
        BitSet seen = new BitSet();
        for (int i = 0; i < cut; i++) {
            int cp = scan.codePoint();
            if (cp < 0) throw changed(name);
            train[i] = cp;
            seen.set(cp);
        }
        List<String> chars = new ArrayList<>(seen.cardinality());
        seen.stream().forEach(cp -> chars.add(Character.toString(cp)));
        chars.sort(null);   // as the string order of the vocabulary of tokens
        Vocab vocab = new Vocab(Vocab.Tokens.CHARACTERS, List.copyOf(chars));
        int[] id = idOfCodePoint(vocab);
        for (int i = 0; i < cut; i++) train[i] = id[train[i]];
        int[] held = new int[n - cut];
        int h = 0, dropped = 0;   // characters the training part never had: left out of the score, counted
        for (int i = cut, cp; i < n && (cp = scan.codePoint()) >= 0; i++) {
            int k = cp < id.length ? id[cp] : -1;
            if (k >= 0) held[h++] = k;
            else dropped++;
        }
        return new Split(vocab, train, h == held.length ? held : Arrays.copyOf(held, h), dropped);
    }

    /** A character vocabulary's id of each code point up to its largest, −1 for those it lacks. */
    private static int[] idOfCodePoint(Vocab v) {
        int max = 0;
        for (String t : v.tokens()) max = Math.max(max, t.codePointAt(0));
        int[] id = new int[max + 1];
        Arrays.fill(id, -1);
        for (int i = 0; i < v.size(); i++) id[v.tokens().get(i).codePointAt(0)] = i;
        return id;
    }

    /**
     * The first {@code n} tokens of the training text, as text (words joined by spaces): the
     * prompt of the sample a run ends with, one every model trained on that text knows, whatever
     * its language.
     */
    public static String opening(Split text, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, text.train().length); i++) {
            String t = text.vocab().tokens().get(text.train()[i]);
            if (t.equals(Vocab.UNKNOWN)) break;
            if (text.vocab().words() && !sb.isEmpty()) sb.append(' ');
            sb.append(t);
        }
        return sb.toString();
    }

    /**
     * The held-out part of a text (its last 10%) as the ids of a model's vocabulary: the tokens
     * the vocabulary lacks are left out and counted, with the first few of them shown.
     */
    public record Held(int[] ids, int unknown, List<String> unknownExamples) {}

    /** {@link #heldOut(TextSource, Vocab)} of a text in memory named {@code name}. */
    public static Held heldOut(String text, Vocab vocab, String name) throws IOException {
        return heldOut(TextSource.text(name, text), vocab);
    }

    /**
     * The last 10% of a text as {@code vocab}'s ids, the unknown tokens counted; fewer than two
     * known tokens (an empty text, or one in another alphabet) are an error naming the source:
     * there is nothing to score. Read in two passes (one counting, one from the cut on), so only
     * the held-out part's ids are held.
     */
    public static Held heldOut(TextSource source, Vocab vocab) throws IOException {
        long total = TokenScan.count(source, vocab.kind());
        long start = (long) (total * 0.9);
        if (total - start > MAX_TOKENS) throw new DataException("data", "'" + source.name() + "' is too long to score: its last 10% has over " + MAX_TOKENS + " tokens");
        Set<String> examples = new java.util.LinkedHashSet<>();
        int unknown = 0, n = 0;
        int[] ids = new int[(int) (total - start)];
        try (TokenScan scan = new TokenScan(source)) {
            if (vocab.words()) {
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < vocab.size(); i++) index.put(vocab.tokens().get(i), i);
                int unk = index.get(Vocab.UNKNOWN);
                for (long i = 0; i < start; i++) if (scan.word() == null) throw changed(source.name());
                for (String w; n < ids.length && (w = scan.word()) != null; ) {
                    Integer id = index.get(w);
                    if (id == null) {
                        unknown++;
                        if (examples.size() < 5) examples.add(w);
                    }
                    ids[n++] = id == null ? unk : id;   // unknown words as <unk>
                }
            } else {   // code points: a long text stays 4 bytes a character
                int[] id = idOfCodePoint(vocab);
                for (long i = 0; i < start; i++) if (scan.codePoint() < 0) throw changed(source.name());
                for (long i = start, cp; i < total && (cp = scan.codePoint()) >= 0; i++) {
                    int k = cp < id.length ? id[(int) cp] : -1;
                    if (k >= 0) ids[n++] = k;
                    else {
                        unknown++;
                        if (examples.size() < 5) examples.add(Character.toString((int) cp));
                    }
                }
            }
        }
        int scored = vocab.words() ? n - unknown : n;
        if (scored < 2) {
            throw new DataException("data", "'" + source.name() + "' has " + scored + " token" + (scored == 1 ? "" : "s") + " the model knows in its held-out part (its last 10%, "
                    + (total - start) + " tokens" + (unknown > 0 ? ", " + unknown + " unknown such as " + String.join(" ", examples.stream().map(x -> "'" + x + "'").toList()) : "")
                    + "); at least 2 are needed to score it: give text in the model's own alphabet");
        }
        return new Held(n == ids.length ? ids : Arrays.copyOf(ids, n), unknown, List.copyOf(examples));
    }
}
