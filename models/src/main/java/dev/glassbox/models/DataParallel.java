package dev.glassbox.models;

import dev.glassbox.data.TensorDataset;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Parameter;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A recipe whose training can be spread over workers that each hold part of the training set
 * (synchronous data parallelism, {@link dev.glassbox.models.train.RunOptions#cluster()}): a worker
 * rebuilds from the run's settings what it computes gradients with.
 */
public interface DataParallel {
    /**
     * What a worker needs for a run with these settings (its JSON, as a checkpoint keeps it): the
     * training set, exactly as the run loads it; new copies of the model (each worker thread
     * its own; the weights are then set from the run's); the loss of a batch, the mean over
     * its examples; and the run's optimizer (for rounds of local steps).
     */
    Replica<?> replica(String settings) throws IOException;

    /** Whether this model's training runs data-parallel (true unless a recipe says otherwise). */
    default boolean trainsDataParallel() { return true; }

    /**
     * The figures besides the loss that each step of phase {@code phase} reports
     * ({@code recon_loss}, {@code kl_loss}), each a mean over the batch's examples as the loss is,
     * in the order {@link Loss} gives them.
     */
    default List<String> stepFigures(int phase) { return List.of(); }

    /**
     * A worker's view of a run: its training set, fresh models, and the phases of its training —
     * usually one; the autoencoder's four stages, the DCGAN's discriminator and generator steps.
     */
    record Replica<B>(Examples<B> train, Supplier<Module> model, List<Phase<B>> phases) {
        public Replica {
            if (phases.isEmpty()) throw new IllegalArgumentException("a replica needs at least one phase of training");
            phases = List.copyOf(phases);
        }

        /** A run of one phase: the loss of a batch and the run's optimizer for a model at a rate. */
        public Replica(Examples<B> train, Supplier<Module> model, Loss<B> loss, BiFunction<Module, Float, Optimizer> optimizer) {
            this(train, model, List.of(new Phase<>(loss, optimizer)));
        }

        /** Phase {@code index}, or an error naming the phases there are. */
        public Phase<B> phase(int index) {
            if (index < 0 || index >= phases.size()) {
                throw new IllegalArgumentException("phase " + index + " of a run that has " + phases.size() + " (0 to " + (phases.size() - 1) + ")");
            }
            return phases.get(index);
        }
    }

    /**
     * One kind of step of a run: the loss of a batch (whose gradient the workers compute) and the
     * optimizer that steps on it, over the parameters this phase trains, for a model at a rate;
     * and the parameters the loss goes through but this phase does not train ({@code untrained}:
     * the DCGAN's discriminator in the generator's turn), which need no gradient of their own.
     */
    record Phase<B>(Loss<B> loss, BiFunction<Module, Float, Optimizer> optimizer, Function<Module, List<Parameter>> untrained) {
        /** A phase whose loss goes through no parameters it does not train (or leaves them out of the graph itself). */
        public Phase(Loss<B> loss, BiFunction<Module, Float, Optimizer> optimizer) {
            this(loss, optimizer, model -> List.of());
        }

        /**
         * The loss of a batch on {@code model} and its gradient: backward from the loss times
         * {@code scale} (a worker's share of the batch; 1 for the whole), with the {@link #untrained}
         * parameters frozen meanwhile ({@link Parameter#freeze}), so their {@code grad} stays as it
         * was and their weight-gradient products are not computed.
         */
        public Step backward(Module model, B batch, Tensor noise, float scale) {
            try (var ignored = Parameter.freeze(untrained.apply(model))) {
                Step step = loss.apply(model, batch, noise);
                (scale == 1f ? step.loss() : step.loss().mul(scale)).backward();
                return step;
            }
        }
    }

    /**
     * A training set as numbered examples (a data set's rows, a text's window starts), of which a
     * worker keeps a contiguous part.
     */
    interface Examples<B> {
        int size();

        /** Examples {@code first} to {@code first + count - 1}, as a worker keeps them. */
        Part<B> part(int first, int count);
    }

    /** A worker's part of the training set: batches of its examples (numbered from the part's first). */
    interface Part<B> extends Serializable {
        B batch(int[] rows);
    }

    /**
     * The loss of a batch on a model, with the noise the step drew for those examples (rows of
     * {@code noise}, one an example, as the run drew them for the whole batch; null for a model
     * that draws none).
     */
    @FunctionalInterface
    interface Loss<B> {
        Step apply(Module model, B batch, Tensor noise);
    }

    /** A batch's loss and its other figures (named by {@link #stepFigures()}), each a mean over the batch. */
    record Step(Tensor loss, Map<String, Tensor> figures) {
        public static Step of(Tensor loss) { return new Step(loss, Map.of()); }
    }

    /**
     * The {@code n} places of a batch whose examples are drawn afresh each step on the driver and
     * sent with it (generated data): a part is a range of places, its batch the places themselves.
     */
    static Examples<int[]> places(int n) {
        return new Examples<>() {
            @Override public int size() { return n; }

            @Override
            public Part<int[]> part(int first, int count) { return rows -> rows.clone(); }
        };
    }

    /** A fixed list of examples (the course's sentences): a part keeps its own, a batch is a list of them. */
    static <T extends Serializable> Examples<List<T>> items(List<T> items) {
        List<T> all = List.copyOf(items);
        return new Examples<>() {
            @Override public int size() { return all.size(); }

            @Override
            public Part<List<T>> part(int first, int count) {
                ArrayList<T> mine = new ArrayList<>(all.subList(first, first + count));
                return rows -> {
                    List<T> out = new ArrayList<>(rows.length);
                    for (int r : rows) out.add(mine.get(r));
                    return out;
                };
            }
        };
    }

    /** A data set's rows as examples: a part keeps its rows' values. */
    static Examples<TensorDataset.Batch> rows(TensorDataset data) {
        return new Examples<>() {
            @Override public int size() { return data.size(); }

            @Override
            public Part<TensorDataset.Batch> part(int first, int count) { return TensorRows.of(data, first, count); }
        };
    }
}
