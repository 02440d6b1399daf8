package dev.glassbox.cli;

import dev.glassbox.models.train.TrainingEvent;

/** JSON for the {@code --json} results and the {@code --log} event lines: the studio's form ({@link dev.glassbox.studio.Json}). */
final class Json {
    private Json() {}

    static String write(Object value) { return dev.glassbox.studio.Json.write(value); }

    /** An event as one JSON object whose first field is {@code "event"}. */
    static String event(TrainingEvent e) { return dev.glassbox.studio.Json.event(e); }
}
