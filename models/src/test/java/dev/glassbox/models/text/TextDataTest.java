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
}
