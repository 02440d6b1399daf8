package dev.glassbox.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.models.train.TrainingEvent;

/** JSON for the {@code --json} results and the {@code --log} event lines. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An event as one JSON object whose first field is {@code "event"}. */
    static String event(TrainingEvent e) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("event", e.event());
        out.setAll((ObjectNode) MAPPER.valueToTree(e));
        return write(out);
    }
}
