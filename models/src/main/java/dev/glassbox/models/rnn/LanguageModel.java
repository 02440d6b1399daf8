package dev.glassbox.models.rnn;

import dev.glassbox.models.text.Vocab;
import dev.glassbox.nn.Embedding;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;


/**
 * A recurrent language model: token ids → embedding → LSTM, GRU or RNN layers → a linear
 * layer to one score per vocabulary token, predicting the next token at every position.
 */
public final class LanguageModel extends Module {
    public final Vocab vocab;
    public final Recurrent.Mode cell;
    public final int embedding, hidden, layers;
    public final Embedding embed;
    public final Recurrent rnn;
    public final Linear head;

    public LanguageModel(Vocab vocab, Recurrent.Mode cell, int embedding, int hidden, int layers, Generator g) {
        this.vocab = vocab;
        this.cell = cell;
        this.embedding = embedding;
        this.hidden = hidden;
        this.layers = layers;
        embed = registerModule("embed", new Embedding(vocab.size(), embedding, g));
        rnn = registerModule("rnn", new Recurrent(cell, embedding, hidden, layers, g, Recurrent.Option.BATCH_FIRST));
        head = registerModule("head", new Linear(hidden, vocab.size(), g));
    }

    /** The scores of the next token after every position: ids [N, T] → [N, T, V], and the final states. */
    public Step step(int[] ids, int n, int t, Tensor h0, Tensor c0) {
        Tensor x = embed.forward(ids, n, t);                              // [N, T, E]
        Recurrent.Output o = rnn.run(x, h0, c0);                          // [N, T, H]
        return new Step(head.forward(o.output()), o.h(), o.c());           // [N, T, V]
    }

    /** Scores and the states to carry on with. */
    public record Step(Tensor logits, Tensor h, Tensor c) {}

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("use step(ids, n, t, h0, c0)"); }
}
