package dev.glassbox.cli;

import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Writes events as JSON lines ({@code --log}), or nothing when no file was asked for. */
final class EventLog implements EventListener, AutoCloseable {
    private final BufferedWriter w;
    private final Path path;

    private EventLog(Path path, BufferedWriter w) {
        this.path = path;
        this.w = w;
    }

    static EventLog open(Path path) throws IOException {
        if (path == null) return new EventLog(null, null);
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return new EventLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof NoSuchFileException || e instanceof FileSystemException
                    ? "no such folder or not writable (" + e.getMessage() + ")" : e.getMessage();
            throw new IOException("cannot write the log " + path + ": " + why, e);
        }
    }

    @Override
    public void on(TrainingEvent e) {
        if (w == null) return;
        try {
            w.write(Json.event(e));
            w.newLine();
            if (!(e instanceof TrainingEvent.Step)) w.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(new IOException("cannot write the log " + path + ": " + ex.getMessage(), ex));
        }
    }

    @Override
    public void close() throws IOException {
        if (w != null) w.close();
    }
}
