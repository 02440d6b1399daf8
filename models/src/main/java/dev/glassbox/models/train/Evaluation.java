package dev.glassbox.models.train;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.function.Function;

/** Measurements of a trained classifier. */
public final class Evaluation {
    private Evaluation() {}

    /**
     * The fraction of a labelled set whose highest logit is the right class, in eval mode and
     * without a graph, {@code batch} examples at a time. {@code logits} maps a batch of inputs to
     * [batch, classes] (e.g. {@code model::forward}, or a reshape then the forward).
     */
    public static double accuracy(Module model, Function<Tensor, Tensor> logits, TensorDataset data, int batch) {
        int[] labels = data.labels();
        if (labels == null) throw new IllegalArgumentException("accuracy needs a labelled data set");
        model.eval();
        int ok = 0, at = 0;
        try (var ignored = GradMode.noGrad()) {
            for (TensorDataset.Batch b : new DataLoader(data, batch, null)) {
                int[] pred = logits.apply(b.inputs()).argmax(1);
                for (int i = 0; i < pred.length; i++) if (pred[i] == labels[at + i]) ok++;
                at += pred.length;
            }
        }
        return labels.length == 0 ? 0 : (double) ok / labels.length;
    }
}
