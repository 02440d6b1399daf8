package dev.glassbox.models.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextDataTest {
    /** The code-point path gives the vocabulary, order and ids of the list-of-strings path, supplementary characters included. */
    @Test
    void characterSplitMatchesTheTokenPath() throws IOException {
        String text = ("Ünïcode 한글 text, with 𝄞 and \uFB01 and \uE000; " + "the quick brown fox. ".repeat(3)).repeat(4) + "only in the held-out part: ß😀";
        TextData.Split fast = TextData.split(text, Vocab.Tokens.CHARACTERS, 8, "test");
        List<String> toks = TextData.tokens(text, Vocab.Tokens.CHARACTERS);
        int cut = (int) (toks.size() * 0.9);
        Vocab vocab = TextData.vocab(toks.subList(0, cut), Vocab.Tokens.CHARACTERS);
        assertEquals(vocab.tokens(), fast.vocab().tokens());
        int[] all = TextData.encodeKnown(toks, vocab);
        assertArrayEquals(Arrays.copyOf(all, cut), fast.train());
        assertArrayEquals(Arrays.copyOfRange(all, cut, all.length), fast.held());
        assertTrue(fast.held().length < toks.size() - cut, "the held-out part's unknown characters are dropped");
        assertEquals(toks.size() - cut - fast.held().length, fast.heldUnknown(), "and counted");
        TextData.Held held = TextData.heldOut(text, fast.vocab(), "test");
        assertArrayEquals(fast.held(), held.ids());
        assertEquals(toks.size() - cut - fast.held().length, held.unknown(), "the unknown characters are counted");
        assertEquals(5, held.unknownExamples().size(), "the first few shown: " + held.unknownExamples());
        var none = assertThrows(IOException.class, () -> TextData.heldOut("日本語の文章です".repeat(20), fast.vocab(), "ja.txt"));
        assertTrue(none.getMessage().startsWith("data 'ja.txt' has 0 tokens the model knows in its held-out part (its last 10%, 16 tokens, 16 unknown such as"),
                none.getMessage());
        var empty = assertThrows(IOException.class, () -> TextData.heldOut("", fast.vocab(), "empty.txt"));
        assertTrue(empty.getMessage().contains("has 0 tokens the model knows"), empty.getMessage());
        var small = assertThrows(IOException.class, () -> TextData.split("abc", Vocab.Tokens.CHARACTERS, 8, "char model"));
        assertEquals("the text has 3 characters; a char model needs at least 100 (windows of 8)", small.getMessage());
    }

    /** The word path keeps an int per token and gives the vocabulary, order and ids of the list-of-strings path. */
    @Test
    void wordSplitMatchesTheTokenPath() throws IOException {
        String text = ("she went home\tand the cat  sat;\n on the mat. 한글 단어 the she\r\n".repeat(40) + "rare words only here at the end the end");
        TextData.Split fast = TextData.split(text, Vocab.Tokens.WORDS, 4, "test");
        List<String> toks = TextData.tokens(text, Vocab.Tokens.WORDS);
        int cut = (int) (toks.size() * 0.9);
        Vocab vocab = TextData.vocab(toks.subList(0, cut), Vocab.Tokens.WORDS);
        assertEquals(vocab.tokens(), fast.vocab().tokens());
        int[] all = TextData.encode(toks, vocab);
        assertArrayEquals(Arrays.copyOf(all, cut), fast.train());
        assertArrayEquals(Arrays.copyOfRange(all, cut, all.length), fast.held());
        int unk = vocab.tokens().indexOf(Vocab.UNKNOWN);
        long expected = Arrays.stream(Arrays.copyOfRange(all, cut, all.length)).filter(id -> id == unk).count();
        assertTrue(expected >= 5, "the held-out part's new words ('rare', 'words', ...) are <unk>: " + expected);
        assertEquals(expected, fast.heldUnknown(), "and counted");
    }

    /** Reading from a source gives what reading the whole text gives, for characters and words, a surrogate pair astride the 64K buffer's edge included. */
    @Test
    void aSourceSplitsAsTheWholeText() throws IOException {
        String text = "a".repeat(65_535) + "😀" + "the cat sat on the mat; ".repeat(3000) + "한글 😀";
        for (Vocab.Tokens kind : Vocab.Tokens.values()) {
            TextData.Split whole = wholeSplit(text, kind);
            TextData.Split streamed = TextData.split(TextSource.text("t", text), kind, 8, "test");
            assertEquals(whole.vocab().tokens(), streamed.vocab().tokens(), kind.toString());
            assertArrayEquals(whole.train(), streamed.train(), kind.toString());
            assertArrayEquals(whole.held(), streamed.held(), kind.toString());
            assertEquals(whole.heldUnknown(), streamed.heldUnknown(), kind.toString());
            assertArrayEquals(whole.held(), TextData.heldOut(TextSource.text("t", text), streamed.vocab()).ids(), kind.toString());
        }
    }

    /** The list-of-strings path: tokens, the vocabulary of the first 90%, ids (characters unknown to it dropped and counted). */
    private static TextData.Split wholeSplit(String text, Vocab.Tokens kind) {
        List<String> toks = TextData.tokens(text, kind);
        int cut = (int) (toks.size() * 0.9);
        Vocab vocab = TextData.vocab(toks.subList(0, cut), kind);
        int[] train = TextData.encode(toks.subList(0, cut), vocab);
        List<String> heldToks = toks.subList(cut, toks.size());
        int[] held = TextData.encodeKnown(heldToks, vocab);
        int unknown = kind == Vocab.Tokens.WORDS
                ? (int) heldToks.stream().filter(t -> !vocab.tokens().contains(t)).count() : heldToks.size() - held.length;
        return new TextData.Split(vocab, train, held, unknown);
    }

    /**
     * A long text is never held whole: splitting allocates little more than its int a token
     * (the String and code-point copies of reading it whole took over three times that), and
     * scoring the held-out part the int a token of that part and a few fixed buffers.
     */
    @Test
    void aLongTextTakesAnIntAToken() throws IOException {
        int n = 4_000_000;
        String text = "the quick brown fox jumps over the lazy dog. 한글도 조금. ".repeat(n / 50);
        TextSource source = TextSource.text("long.txt", text);
        TextData.Split warm = TextData.split(source, Vocab.Tokens.CHARACTERS, 64, "test");   // classes loaded, code compiled
        long before = allocated();
        TextData.Split split = TextData.split(source, Vocab.Tokens.CHARACTERS, 64, "test");
        long bytes = allocated() - before;
        assertEquals(text.length(), split.train().length + split.held().length);
        assertTrue(bytes < 4.5 * text.length(), "split allocated " + bytes + " bytes for " + text.length() + " characters");
        before = allocated();
        TextData.Held held = TextData.heldOut(source, warm.vocab());
        bytes = allocated() - before;
        assertArrayEquals(split.held(), held.ids());
        assertTrue(bytes < 0.4 * text.length() + (1 << 20), "heldOut allocated " + bytes + " bytes for " + text.length() + " characters");
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A text that ends sooner when read the second time is an error naming it, not a split with zeros at its end. */
    @Test
    void aTextThatChangesBetweenPassesIsAnError() {
        String[] texts = {"abcdefghij".repeat(100), "abc"};
        int[] opened = {0};
        TextSource shrinking = new TextSource() {
            @Override public String name() { return "growing.log"; }

            @Override public java.io.Reader open() { return new java.io.StringReader(texts[Math.min(opened[0]++, 1)]); }
        };
        var e = assertThrows(IOException.class, () -> TextData.split(shrinking, Vocab.Tokens.CHARACTERS, 8, "test"));
        assertTrue(e.getMessage().startsWith("growing.log: the text changed while it was being read"), e.getMessage());
    }

    /** A file named .gz that is not gzip is an error that says so. */
    @Test
    void aGzNameOnPlainTextIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path f = dir.resolve("plain.txt.gz");
        java.nio.file.Files.writeString(f, "just text ".repeat(100));
        var e = assertThrows(IOException.class, () -> TextData.split(TextSource.data(f.toString()), Vocab.Tokens.CHARACTERS, 8, "test"));
        assertTrue(e.getMessage().startsWith(f + ": not a gzip file"), e.getMessage());
    }
}
