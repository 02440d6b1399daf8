package dev.glassbox.cli;

import dev.glassbox.models.train.TrainingEvent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What training looks like on standard error. */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() { return bytes.toString(StandardCharsets.UTF_8); }

    /** No ETA from the first steps (they include the JIT's warm-up); then one from the rate measured after them. */
    @Test
    void theEtaWaitsForAMeasuredRate() throws InterruptedException {
        Progress p = new Progress(out, true, "dnn");
        p.on(new TrainingEvent.Started("dnn", "course", "digits5x5", 10, 100, 1000, 0));
        p.on(new TrainingEvent.Step(1, 1, 1000, 2.3f, 2.3f));
        assertTrue(text().contains("ETA ?"), text());
        for (int s = 2; s <= 40; s++) {
            Thread.sleep(s < 10 ? 0 : 12);
            p.on(new TrainingEvent.Step(1, s, 1000, 2.0f, 2.1f));
        }
        String last = text().substring(text().lastIndexOf('\r'));
        assertTrue(last.matches("(?s).*ETA \\d+:\\d\\d .*"), last);
        assertTrue(last.contains("loss 2.1000"), "the bar shows the epoch's running mean: " + last);
        assertFalse(text().contains("1:26:14"));
    }

    /** Off a terminal: one line per epoch with the held-out metrics, Keras-style, thinned out for long runs. */
    @Test
    void offATerminalEachEpochIsALine() {
        Progress p = new Progress(out, false, "cnn", 10);
        p.on(new TrainingEvent.Started("cnn", "course", "digits", 40, 45, 1800, 0));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("val_loss", 0.25);
        metrics.put("acc", 0.9);
        for (int e = 1; e <= 40; e++) p.on(new TrainingEvent.EpochEnd(e, 40, 0.5f, metrics, e * 0.1));
        String[] lines = text().strip().split("\n");
        assertEquals(1 + 11, lines.length, "the start, epoch 1 and every 4th epoch: " + text());
        assertEquals("cnn: epoch 40/40 - 4.0s - loss 0.5000 - val_loss 0.2500 - acc 0.9000", lines[lines.length - 1]);
        assertFalse(text().contains("\r"));
    }
}
