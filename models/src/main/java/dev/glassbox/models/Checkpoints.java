package dev.glassbox.models;

import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Restoring a model from a checkpoint's tensors, with a mismatch reported against the file. */
public final class Checkpoints {
    private Checkpoints() {}

    /** Loads {@code tensors} into {@code model} (shape and name checks), puts it in eval mode, and returns it. */
    public static <M extends Module> M restore(M model, Map<String, Tensor> tensors, Path file) throws IOException {
        requireFinite(tensors, file);
        try {
            model.loadStateDict(tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage() + "; its tensors do not fit the model its metadata describes"
                    + " (edited, or saved by another version?): train it again and save it");
        }
        model.eval();
        return model;
    }

    /**
     * Refuses a checkpoint any of whose numbers is NaN or infinite, naming the tensor and the
     * place: a model that diverged before it was saved, or a damaged file, would otherwise give
     * NaN predictions and accuracies that look like results.
     */
    public static void requireFinite(Map<String, Tensor> tensors, Path file) throws IOException {
        for (var e : tensors.entrySet()) {
            float[] v = e.getValue().data();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' holds " + v[i] + " at index " + i
                            + " (of " + v.length + "): the model diverged before it was saved, or the file is damaged; train it again");
                }
            }
        }
    }
}
