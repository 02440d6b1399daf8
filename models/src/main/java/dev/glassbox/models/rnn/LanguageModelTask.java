package dev.glassbox.models.rnn;

import dev.glassbox.models.text.Window;
import dev.glassbox.models.text.Windows;
import dev.glassbox.models.train.Batches;
import dev.glassbox.models.train.StepContext;
import dev.glassbox.models.train.StepResult;
import dev.glassbox.models.train.TrainingState;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.Optimizer;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training a language model on windows of a text: each step predicts every next token of its
 * windows and takes the mean cross-entropy. With {@link Carry#STATE} (contiguous tracks,
 * truncated BPTT) the recurrent state of one window is carried into the next, detached, and
 * starts over with each pass; a checkpoint keeps it. The held-out loss, in nats per token, is
 * measured at each epoch's end.
 */
public final class LanguageModelTask implements TrainingTask<Window> {
    /** Whether the recurrent state goes from one window to the next. */
    public enum Carry { NONE, STATE }

    private final LanguageModel model;
    private final Optimizer optimizer;
    private final Batches<Window> batches;
    private final Carry carry;
    private final int[] held;
    private final int window;
    private Tensor h, c;

    /** {@code held}: held-out ids evaluated in windows of {@code window} at each epoch's end (null for none). */
    public LanguageModelTask(LanguageModel model, Optimizer optimizer, Batches<Window> batches, Carry carry, int[] held, int window) {
        this.model = model;
        this.optimizer = optimizer;
        this.batches = batches;
        this.carry = carry;
        this.held = held;
        this.window = window;
    }

    @Override public Module model() { return model; }

    @Override public List<Optimizer> optimizers() { return List.of(optimizer); }

    @Override public Batches<Window> batches() { return batches; }

    @Override
    public StepResult step(Window w, StepContext ctx) {
        if (carry == Carry.NONE || w.passStart()) h = c = null;       // a new pass starts from a zero state
        LanguageModel.Step out = model.step(w.x(), w.n(), w.seq(), h, c);  // logits [N, T, V]
        if (carry == Carry.STATE) {                                     // carried on, cut from this window's graph
            h = out.h().detach();
            c = out.c() == null ? null : out.c().detach();
        }
        Tensor loss = F.crossEntropy(out.logits().reshape(w.n() * w.seq(), model.vocab.size()), w.y());
        return StepResult.of(ctx.update(loss, optimizer));
    }

    /** The mean cross-entropy of a batch of windows, each from a zero state (a data-parallel worker's loss). */
    public static Tensor loss(LanguageModel model, Window w) {
        LanguageModel.Step out = model.step(w.x(), w.n(), w.seq(), null, null);
        return F.crossEntropy(out.logits().reshape(w.n() * w.seq(), model.vocab.size()), w.y());
    }

    @Override
    public Map<String, Object> evaluate(int epoch) {
        if (held == null) return Map.of();
        double val = heldOutLoss(model, held, window);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("val_loss", val);
        m.put("perplexity", Math.exp(val));
        return m;
    }

    /** Mean cross-entropy (nats per token) of {@code held} in consecutive windows, in eval mode. */
    public static double heldOutLoss(LanguageModel m, int[] held, int window) {
        m.eval();
        double sum = 0;
        long count = 0;
        try (var ignored = GradMode.noGrad()) {
            for (Window w : Windows.consecutive(held, window, 16)) {
                Tensor l = F.crossEntropy(m.step(w.x(), w.n(), w.seq(), null, null).logits().reshape(w.n() * w.seq(), m.vocab.size()), w.y(),
                        Reduction.SUM);
                sum += l.item();
                count += (long) w.n() * w.seq();
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    @Override
    public void saveState(TrainingState state) {
        if (h != null) state.putFloats("h", h.data()).putString("h_shape", shape(h));
        if (c != null) state.putFloats("c", c.data()).putString("c_shape", shape(c));
    }

    @Override
    public void loadState(TrainingState state) {
        h = state.has("h") ? Tensor.of(state.getFloats("h"), parse(state.getString("h_shape"))) : null;
        c = state.has("c") ? Tensor.of(state.getFloats("c"), parse(state.getString("c_shape"))) : null;
    }

    private static String shape(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (int d : t.shape()) sb.append(sb.isEmpty() ? "" : ",").append(d);
        return sb.toString();
    }

    private static int[] parse(String shape) {
        String[] parts = shape.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i]);
        return out;
    }
}
