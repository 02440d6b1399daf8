package dev.glassbox.models.train;

import dev.glassbox.nn.Module;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The usual task: one model, one optimizer, a loss per batch. The epoch's mean loss weighs
 * each batch by {@code weight} (its examples, by default 1 each); held-out metrics come from
 * {@code evaluate}.
 *
 * <pre>{@code
 * var task = new SimpleTask<>(net, new SGD(net.parameters(), 0.5f), new LoaderBatches(train, 10, shuffle),
 *         b -> F.crossEntropy(net.forward(b.inputs()), b.labels())).weighBy(TensorDataset.Batch::size);
 * Trainer.Result r = new Trainer<>(task).epochs(100).fit(events);
 * }</pre>
 */
public final class SimpleTask<B> implements TrainingTask<B> {
    private final Module model;
    private final Optimizer optimizer;
    private final Batches<B> batches;
    private final Function<B, Tensor> loss;
    private ToIntFunction<B> weight = b -> 1;
    private IntFunction<Map<String, Object>> evaluate = epoch -> Map.of();

    public SimpleTask(Module model, Optimizer optimizer, Batches<B> batches, Function<B, Tensor> loss) {
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.loss = loss;
    }

    /** Weighs each batch's loss by {@code w} in the epoch's mean (e.g. its number of examples). */
    public SimpleTask<B> weighBy(ToIntFunction<B> w) {
        this.weight = w;
        return this;
    }

    /** Measures held-out metrics at each epoch's end (given the epoch). */
    public SimpleTask<B> evaluateWith(IntFunction<Map<String, Object>> e) {
        this.evaluate = e;
        return this;
    }

    @Override public Module model() { return model; }

    @Override public List<Optimizer> optimizers() { return List.of(optimizer); }

    @Override public Batches<B> batches() { return batches; }

    @Override
    public StepResult step(B batch, StepContext ctx) {
        float l = ctx.update(loss.apply(batch), optimizer);
        return new StepResult(l, weight.applyAsInt(batch));
    }

    @Override
    public Map<String, Object> evaluate(int epoch) { return evaluate.apply(epoch); }
}
