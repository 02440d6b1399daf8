package dev.glassbox.models.train;

/** Receives training events. */
@FunctionalInterface
public interface EventListener {
    void on(TrainingEvent event);

    /** Drops every event. */
    EventListener NONE = e -> { };

    /** Sends each event to this listener, then to {@code other}. */
    default EventListener andThen(EventListener other) {
        return e -> {
            on(e);
            other.on(e);
        };
    }
}
