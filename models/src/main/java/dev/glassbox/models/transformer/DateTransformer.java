package dev.glassbox.models.transformer;

import dev.glassbox.models.seq2seq.Dates;
import dev.glassbox.nn.Embedding;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.PositionalEncoding;
import dev.glassbox.nn.Transformer;
import dev.glassbox.nn.TransformerOptions;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The encoder–decoder Transformer on the dates task (the seq2seq model's task): the written
 * date's characters, embedded (times √d) plus sinusoidal positions, go through the encoder; the
 * decoder reads ⟨bos⟩ and the ISO date's characters so far (causal mask) and attends to the
 * encoder's output, padding masked out; a linear layer gives the next character's scores.
 * Inputs are padded on the right. Names: {@code src_embed}, {@code tgt_embed}, {@code pos},
 * {@code transformer} (torch.nn.Transformer's names below it), {@code out}.
 */
public final class DateTransformer extends Module {
    /** Input ids: 0 is padding, then {@link Dates#INPUT_CHARS}. Output ids: {@link Dates#OUTPUT_CHARS}, then BOS. */
    public static final int PAD = 0, BOS = Dates.OUTPUT_CHARS.length(), MAX_INPUT = 40;

    public final int dModel;
    public final Embedding srcEmbed, tgtEmbed;
    public final PositionalEncoding pos;
    public final Transformer transformer;
    public final Linear out;

    public DateTransformer(int dModel, int heads, int layers, int feedForward, Generator g) {
        this.dModel = dModel;
        srcEmbed = registerModule("src_embed", new Embedding(Dates.INPUT_CHARS.length() + 1, dModel, g));
        tgtEmbed = registerModule("tgt_embed", new Embedding(Dates.OUTPUT_CHARS.length() + 1, dModel, g));
        pos = registerModule("pos", new PositionalEncoding(dModel, MAX_INPUT));
        TransformerOptions o = new TransformerOptions(dModel, heads, feedForward, 0f, TransformerOptions.Activation.RELU, 1e-5f, true, true);
        transformer = registerModule("transformer", new Transformer(o, layers, layers, g));
        out = registerModule("out", new Linear(dModel, Dates.OUTPUT_CHARS.length(), g));
    }

    /** Inputs as ids padded on the right to the longest [N × S], S, and the additive key padding mask [N, S] (−∞ on padding). */
    public record Source(int[] ids, int n, int s, Tensor padding) {}

    public static Source source(List<String> inputs) { return source(inputs, 1); }

    /** As {@link #source(List)}, padded to at least {@code padTo} (a data-parallel worker's share of a batch pads as the whole batch). */
    public static Source source(List<String> inputs, int padTo) {
        int s = Math.max(1, padTo);
        for (String x : inputs) s = Math.max(s, x.length());
        if (s > MAX_INPUT) throw new IllegalArgumentException("transformer: a date of " + s + " characters is longer than the model's " + MAX_INPUT);
        int n = inputs.size();
        int[] ids = new int[n * s];
        float[] pad = new float[n * s];
        for (int b = 0; b < n; b++) {
            String x = inputs.get(b);
            for (int i = 0; i < s; i++) {
                if (i >= x.length()) {
                    pad[b * s + i] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                int c = Dates.INPUT_CHARS.indexOf(x.charAt(i));
                if (c < 0) throw new IllegalArgumentException("transformer: the character '" + x.charAt(i) + "' in '" + x + "' is not one of '" + Dates.INPUT_CHARS + "'");
                ids[b * s + i] = c + 1;
            }
        }
        return new Source(ids, n, s, Tensor.of(pad, n, s));
    }

    /** The encoder's output for a source: [N, S, d]. */
    public Tensor encode(Source src) {
        Tensor x = pos.forward(srcEmbed.forward(src.ids(), src.n(), src.s()).mul((float) Math.sqrt(dModel)));
        return transformer.encoder.forward(x, null, src.padding());
    }

    /** Next-character scores [N, To, V] after each of {@code prev} ([N × To] output ids, BOS first), given the encoder's output. */
    public Tensor decode(Source src, Tensor memory, int[] prev, int to) {
        Tensor y = pos.forward(tgtEmbed.forward(prev, src.n(), to).mul((float) Math.sqrt(dModel)));
        Tensor h = transformer.decoder.forward(y, memory, Transformer.generateSquareSubsequentMask(to), null, null, src.padding());
        return out.forward(h);
    }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("use encode(source) and decode(source, memory, prev, to)"); }

    /** Greedy decoding of each input's ten characters: the encoder once, the decoder over the growing prefix. */
    public List<String> greedy(List<String> inputs) {
        eval();
        int n = inputs.size(), to = Dates.OUTPUT_LENGTH, v = Dates.OUTPUT_CHARS.length();
        try (var ignored = GradMode.noGrad()) {
            Source src = source(inputs);
            Tensor memory = encode(src);
            int[][] prefix = new int[n][to + 1];
            for (int[] p : prefix) p[0] = BOS;
            for (int t = 1; t <= to; t++) {
                int[] prev = new int[n * t];
                for (int b = 0; b < n; b++) System.arraycopy(prefix[b], 0, prev, b * t, t);
                float[] last = decode(src, memory, prev, t).select(1, t - 1).reshape(n, v).toArray();
                for (int b = 0; b < n; b++) {
                    int best = 0;
                    for (int k = 1; k < v; k++) if (last[b * v + k] > last[b * v + best]) best = k;
                    prefix[b][t] = best;
                }
            }
            List<String> res = new ArrayList<>();
            for (int[] p : prefix) {
                StringBuilder sb = new StringBuilder();
                for (int id : Arrays.copyOfRange(p, 1, to + 1)) sb.append(Dates.OUTPUT_CHARS.charAt(id));
                res.add(sb.toString());
            }
            return res;
        }
    }
}
