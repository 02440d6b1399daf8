package dev.glassbox.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/** A recipe's settings record as JSON, as checkpoints keep it, and back. */
public final class SettingsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SettingsJson() {}

    public static String write(RecipeSettings<?> settings) {
        try {
            return JSON.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write settings as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The settings in {@code json}, or an error saying what is wrong with them. */
    public static <S extends RecipeSettings<S>> S read(String json, Class<S> type, String where) throws IOException {
        if (json == null) throw new IOException(where + " records no training settings (it was not written by a training run of this version)");
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IOException(where + ": its settings cannot be read: "
                    + (cause instanceof JsonProcessingException j ? j.getOriginalMessage() : cause.getMessage()));
        }
    }
}
