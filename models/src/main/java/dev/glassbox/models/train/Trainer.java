package dev.glassbox.models.train;

import dev.glassbox.data.DataLoader;
import dev.glassbox.data.TensorDataset;
import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The training loop: for each epoch, for each batch, forward, loss, backward, step; with events. */
public final class Trainer {
    private Trainer() {}

    /**
     * Trains {@code model} for {@code epochs} passes of {@code loader} and returns the last
     * epoch's mean loss. {@code lossOf} computes a batch's loss; {@code epochMetrics} (may be
     * null) is measured at each epoch's end, in eval mode.
     */
    public static float fit(Module model, Optimizer opt, DataLoader loader, int epochs,
                            Function<TensorDataset.Batch, Tensor> lossOf,
                            Supplier<Map<String, Object>> epochMetrics, EventListener events) {
        return fit(model, opt, null, loader, epochs, lossOf, epochMetrics, events);
    }

    /** As above, with {@code scheduler} (may be null) stepped after every optimizer step. */
    public static float fit(Module model, Optimizer opt, dev.glassbox.optim.LRScheduler scheduler, DataLoader loader, int epochs,
                            Function<TensorDataset.Batch, Tensor> lossOf,
                            Supplier<Map<String, Object>> epochMetrics, EventListener events) {
        if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
        int total = epochs * loader.batches();
        int step = 0;
        float last = Float.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            double sum = 0;
            int n = 0;
            for (TensorDataset.Batch b : loader) {
                opt.zeroGrad();
                Tensor loss = lossOf.apply(b);
                loss.backward();
                opt.step();
                if (scheduler != null) scheduler.step();
                float l = loss.item();
                if (!Float.isFinite(l)) {
                    throw new ArithmeticException("the loss became " + l + " at step " + (step + 1)
                            + ": training diverged; try a smaller learning rate (--lr)");
                }
                sum += (double) l * b.size();
                n += b.size();
                events.on(new TrainingEvent.Step(epoch, ++step, total, l));
            }
            last = (float) (sum / n);
            model.eval();
            Map<String, Object> m = epochMetrics == null ? Map.of() : epochMetrics.get();
            events.on(new TrainingEvent.EpochEnd(epoch, epochs, last, m));
        }
        model.eval();
        return last;
    }
}
