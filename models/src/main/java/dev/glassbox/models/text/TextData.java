package dev.glassbox.models.text;

import dev.glassbox.io.Utf8;
import dev.glassbox.models.train.DataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

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

    /** The text of a data name ({@link #EMBEDDED}) or a UTF-8 file (plain or .gz). */
    public static String read(String data) throws IOException {
        if (data == null || data.equals(EMBEDDED)) {
            InputStream in = TextData.class.getResourceAsStream("/corpora/pride-and-prejudice.txt.gz");
            if (in == null) throw new IOException("the embedded text is missing from the jar");
            return read(new GZIPInputStream(in), EMBEDDED);
        }
        Path p = Path.of(data);
        if (!Files.isRegularFile(p)) {
            throw new DataException("data", "'" + data + "' is neither the embedded text (" + EMBEDDED + ") nor a file; a language model reads a UTF-8 text file");
        }
        InputStream in = Files.newInputStream(p);
        return read(p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in, data);
    }

    private static String read(InputStream in, String name) throws IOException {
        try (BufferedReader r = Utf8.reader(in, name, "a language model reads a UTF-8 text file")) {
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
        if (kind == Vocab.Tokens.CHARACTERS) return splitCharacters(text, window, what);
        return splitWords(text, window, what);
    }

    /**
     * The word path of {@link #split} without a String per token: each distinct word is kept once
     * and the text becomes an int per token (4 bytes) — the same vocabulary, order and ids as
     * {@link #tokens}, {@link #vocab} and {@link #encode} give.
     */
    private static Split splitWords(String text, int window, String what) throws IOException {
        Map<String, Integer> first = new HashMap<>();
        List<String> words = new ArrayList<>();
        int[] ids = new int[16];
        int n = 0;
        for (int i = 0, len = text.length(); i < len; ) {
            while (i < len && isSpace(text.charAt(i))) i++;
            int start = i;
            while (i < len && !isSpace(text.charAt(i))) i++;
            if (i == start) continue;
            String w = text.substring(start, i);
            Integer id = first.get(w);
            if (id == null) {
                id = words.size();
                first.put(w, id);
                words.add(w);
            }
            if (n == ids.length) ids = Arrays.copyOf(ids, Math.max(16, n + (n >> 1)));
            ids[n++] = id;
        }
        int cut = checkedCut(n, window, "words", what);
        int[] counts = new int[words.size()];
        for (int i = 0; i < cut; i++) counts[ids[i]]++;
        List<Integer> kept = new ArrayList<>();
        for (int w = 0; w < counts.length; w++) if (counts[w] >= 2) kept.add(w);
        kept.sort((a, b) -> counts[b] != counts[a] ? counts[b] - counts[a] : words.get(a).compareTo(words.get(b)));
        List<String> tokens = new ArrayList<>(kept.size() + 1);
        int[] finalId = new int[words.size()];
        Arrays.fill(finalId, kept.size());   // <unk>, last
        for (int k = 0; k < kept.size(); k++) {
            tokens.add(words.get(kept.get(k)));
            finalId[kept.get(k)] = k;
        }
        tokens.add(Vocab.UNKNOWN);
        for (int i = 0; i < n; i++) ids[i] = finalId[ids[i]];
        int unknown = 0;
        for (int i = cut; i < n; i++) if (ids[i] == kept.size()) unknown++;
        return new Split(new Vocab(Vocab.Tokens.WORDS, tokens), Arrays.copyOf(ids, cut), Arrays.copyOfRange(ids, cut, n), unknown);
    }

    /** The whitespace of {@code \\s} in a regular expression: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r'; }

    private static int checkedCut(int size, int window, String unit, String what) throws IOException {
        int cut = (int) (size * 0.9);
        if (cut < window + 2 || size - cut < window + 2) {
            throw new IOException("the text has " + size + " " + unit + "; a " + what
                    + " needs at least " + 10 * (window + 2) + " (windows of " + window + ")");
        }
        return cut;
    }

    /**
     * {@link #split} for characters, straight from the code points (4 bytes a character, where a
     * list of one-character strings took about 60): the same vocabulary, in the same order, and
     * the same ids.
     */
    private static Split splitCharacters(String text, int window, String what) throws IOException {
        int[] cps = text.codePoints().toArray();
        int cut = checkedCut(cps.length, window, "characters", what);
        BitSet seen = new BitSet();
        for (int i = 0; i < cut; i++) seen.set(cps[i]);
        List<String> chars = new ArrayList<>(seen.cardinality());
        seen.stream().forEach(cp -> chars.add(new String(Character.toChars(cp))));
        chars.sort(null);   // as the string order of the vocabulary of tokens
        Vocab vocab = new Vocab(Vocab.Tokens.CHARACTERS, List.copyOf(chars));
        int[] train = Arrays.copyOf(cps, cut);
        int[] held = Arrays.copyOfRange(cps, cut, cps.length);
        int[] heldIds = knownIds(held, vocab);
        int dropped = held.length - heldIds.length;   // characters the training part never had: left out of the score, counted
        return new Split(vocab, knownIds(train, vocab), heldIds, dropped);
    }

    /** Code points to ids in place, those missing from the vocabulary dropped; the array returned may be shorter. */
    private static int[] knownIds(int[] cps, Vocab v) {
        int max = 0;
        for (String t : v.tokens()) max = Math.max(max, t.codePointAt(0));
        int[] id = new int[max + 1];
        Arrays.fill(id, -1);
        for (int i = 0; i < v.size(); i++) id[v.tokens().get(i).codePointAt(0)] = i;
        int n = 0;
        for (int cp : cps) {
            int k = cp <= max ? id[cp] : -1;
            if (k >= 0) cps[n++] = k;
        }
        return n == cps.length ? cps : Arrays.copyOf(cps, n);
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

    /**
     * The last 10% of {@code text} as {@code vocab}'s ids, the unknown tokens counted; fewer than
     * two known tokens (an empty text, or one in another alphabet) are an error naming {@code name}:
     * there is nothing to score.
     */
    public static Held heldOut(String text, Vocab vocab, String name) throws DataException {
        Set<String> examples = new java.util.LinkedHashSet<>();
        int unknown = 0, total, scored;
        int[] ids;
        if (vocab.words()) {
            List<String> toks = tokens(text, vocab.kind());
            List<String> held = toks.subList((int) (toks.size() * 0.9), toks.size());
            Set<String> known = new HashSet<>(vocab.tokens());
            for (String t : held) {
                if (!known.contains(t)) {
                    unknown++;
                    if (examples.size() < 5) examples.add(t);
                }
            }
            ids = encode(held, vocab);   // unknown words as <unk>
            total = held.size();
            scored = total - unknown;
        } else {   // code points, not Strings: a long text stays 4 bytes a character
            int[] cps = text.codePoints().toArray();
            int[] held = Arrays.copyOfRange(cps, (int) (cps.length * 0.9), cps.length);
            Set<Integer> known = new HashSet<>();
            for (String t : vocab.tokens()) known.add(t.codePointAt(0));
            for (int cp : held) {
                if (!known.contains(cp)) {
                    unknown++;
                    if (examples.size() < 5) examples.add(Character.toString(cp));
                }
            }
            total = held.length;
            ids = knownIds(held, vocab);
            scored = ids.length;
        }
        if (scored < 2) {
            throw new DataException("data", "'" + name + "' has " + scored + " token" + (scored == 1 ? "" : "s") + " the model knows in its held-out part (its last 10%, "
                    + total + " tokens" + (unknown > 0 ? ", " + unknown + " unknown such as " + String.join(" ", examples.stream().map(x -> "'" + x + "'").toList()) : "")
                    + "); at least 2 are needed to score it: give text in the model's own alphabet");
        }
        return new Held(ids, unknown, List.copyOf(examples));
    }
}
