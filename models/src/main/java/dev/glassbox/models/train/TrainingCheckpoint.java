package dev.glassbox.models.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A checkpoint written during (or at the end of) training: a safetensors file whose tensors
 * are the model's state dict under PyTorch's names — so PyTorch and {@code glassbox eval} read
 * it as any saved model — and whose metadata holds, besides the model's name and preset, the
 * run's settings ({@value #SETTINGS}, JSON) and its training state ({@value #STATE}, JSON: step,
 * epoch, place in the data order, generator states, each optimizer's moments as base64 float32,
 * schedules, the epoch's running loss).
 */
public final class TrainingCheckpoint {
    public static final String SETTINGS = "glassbox.settings", STATE = "glassbox.training";
    private static final int FORMAT = 1;

    private final Path file;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    private final TrainingState state;

    private TrainingCheckpoint(Path file, Map<String, Tensor> tensors, Map<String, String> metadata, TrainingState state) {
        this.file = file;
        this.tensors = tensors;
        this.metadata = metadata;
        this.state = state;
    }

    /** The checkpoint a run resumes from, or null when it does not resume. */
    public static TrainingCheckpoint resumed(RunOptions run) throws IOException {
        return run == null || run.resume() == null ? null : read(run.resume());
    }

    /** Reads a checkpoint, or fails naming the file and what is missing or wrong. */
    public static TrainingCheckpoint read(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.load(file);
        String json = c.metadata().get(STATE);
        if (json == null) {
            throw new IOException(file + " holds a model but no training state to resume from (it was not written by a training run "
                    + "of this version); train from the start instead");
        }
        JsonNode node;
        try {
            node = TrainingState.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": its training state is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode o) || !o.path("format").canConvertToInt() || o.path("format").asInt() != FORMAT) {
            throw new IOException(file + ": training state of an unknown format (this version reads format " + FORMAT + ")");
        }
        return new TrainingCheckpoint(file, c.tensors(), c.metadata(), new TrainingState(o));
    }

    public Path file() { return file; }

    /** The metadata as written (the model's name under {@code glassbox.model}). */
    public Map<String, String> metadata() { return metadata; }

    /** The run's settings as JSON, as the recipe wrote them. */
    public String settings() { return metadata.get(SETTINGS); }

    /** The stage the checkpoint was written in (for models trained in stages), or "" for none. */
    public String stage() { return state.has("stage") ? state.getString("stage") : ""; }

    /** Values a staged recipe carried over from finished stages. */
    public Map<String, String> carried() {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode c = state.node().get("carried");
        if (c != null) c.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    TrainingState state() { return state; }

    /** Loads the weights into {@code model}; a mismatch is an error naming the file. */
    public void restoreWeights(Module model) throws IOException {
        dev.glassbox.models.Checkpoints.requireFinite(tensors, file);
        try {
            model.loadStateDict(tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /**
     * Fails unless this checkpoint is of the model named in {@code identity} and was trained
     * with {@code settings} (JSON) — apart from how long ({@code epochs}, {@code steps}),
     * which a resumed run may change.
     */
    void requireSameRun(Map<String, String> identity, String settings) throws IOException {
        String want = identity.get("glassbox.model"), have = metadata.get("glassbox.model");
        if (want != null && !want.equals(have)) {
            throw new IOException(file + " holds a '" + (have == null ? "non-Glassbox" : have) + "' model, not '" + want + "'");
        }
        for (var e : identity.entrySet()) {
            String saved = metadata.get(e.getKey());
            if (saved != null && !saved.equals(e.getValue())) {
                throw new IOException(file + " was written with another " + e.getKey() + " than this run has ("
                        + shorten(saved) + " there, " + shorten(e.getValue()) + " here); did the data change since?");
            }
        }
        if (settings == null || settings() == null) return;
        try {
            String diff = firstDifference("", TrainingState.JSON.readTree(settings()), TrainingState.JSON.readTree(settings));
            if (diff != null) {
                String field = diff.substring(0, diff.indexOf('='));
                String name = field.substring(field.lastIndexOf('.') + 1);
                throw new InvalidSettingException(name, diff.substring(diff.indexOf('=') + 1)
                        + "; a resumed run keeps the settings it was trained with (only epochs and steps may change)");
            }
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": its settings are not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String shorten(String v) { return v.length() <= 60 ? v : v.substring(0, 57) + "..."; }

    /** "setting=is X but the checkpoint's run has Y" for the first setting that differs (except epochs and steps), or null. */
    private static String firstDifference(String path, JsonNode had, JsonNode now) {
        if (had.isObject() && now.isObject()) {
            for (Iterator<String> it = had.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.equals("epochs") || k.equals("steps")) continue;
                String at = path.isEmpty() ? k : path + "." + k;
                JsonNode n = now.get(k);
                String d = n == null ? at + "=is not set" : firstDifference(at, had.get(k), n);
                if (d != null) return d;
            }
            return null;
        }
        return had.equals(now) ? null : path + "=is " + now.asText() + " but the checkpoint's run has " + had.asText();
    }

    /** Writes the model's state dict with {@code identity}, the settings and the training state, atomically. */
    static void write(Path file, Module model, Map<String, String> identity, String settings, TrainingState state) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(identity);
        if (settings != null) meta.put(SETTINGS, settings);
        state.putLong("format", FORMAT);
        meta.put(STATE, state.node().toString());
        SafeTensors.save(model.stateDict(), meta, file);
    }
}
