package dev.glassbox.models.text;

import java.util.List;

/** The tokens of a language model: characters, or words with an unknown-word entry. */
public record Vocab(Tokens kind, List<String> tokens) {
    /** The unknown word's token, for words not in the vocabulary. */
    public static final String UNKNOWN = "<unk>";

    /** What a token is. */
    public enum Tokens { CHARACTERS, WORDS }

    public Vocab {
        tokens = List.copyOf(tokens);
        if (tokens.isEmpty()) throw new IllegalArgumentException("a vocabulary needs at least one token");
    }

    public int size() { return tokens.size(); }

    public boolean words() { return kind == Tokens.WORDS; }
}
