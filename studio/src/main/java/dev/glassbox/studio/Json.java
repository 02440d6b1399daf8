package dev.glassbox.studio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.models.train.TrainingEvent;

/**
 * The one JSON form of Glassbox's objects: {@code --json} results, {@code explain --json} traces,
 * the {@code --log} event lines and the studio's API all write through here.
 */
public final class Json {
    /** Records and maps as Jackson writes them; objects without properties as {}. */
    public static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    /** A value as one line of JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A training event as one JSON object whose first field is {@code "event"}. */
    public static String event(TrainingEvent e) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("event", e.event());
        out.setAll((ObjectNode) MAPPER.valueToTree(e));
        return write(out);
    }
}
