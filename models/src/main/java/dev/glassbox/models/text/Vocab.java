package dev.glassbox.models.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    /** The checkpoint metadata key that holds a language model's tokens, as a JSON list of strings. */
    public static final String METADATA_KEY = "lm.vocab";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** These tokens as the JSON list a checkpoint's metadata keeps under {@link #METADATA_KEY}. */
    public String tokensJson() {
        try {
            return JSON.writeValueAsString(tokens);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the vocabulary: " + e.getOriginalMessage(), e);
        }
    }

    /** The tokens a checkpoint's metadata keeps, or an error naming the file and what is wrong. */
    public static List<String> tokensFrom(Map<String, String> metadata, Path file) throws IOException {
        List<String> tokens;
        try {
            tokens = List.of(JSON.readValue(metadata.getOrDefault(METADATA_KEY, "[]"), String[].class));
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IOException(file + ": the vocabulary in its metadata is not a JSON list of strings");
        }
        if (tokens.isEmpty()) throw new IOException(file + ": no vocabulary in its metadata (" + METADATA_KEY + ")");
        return tokens;
    }
}
