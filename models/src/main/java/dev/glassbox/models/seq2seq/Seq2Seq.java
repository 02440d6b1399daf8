package dev.glassbox.models.seq2seq;

import dev.glassbox.nn.Embedding;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.util.List;

/**
 * An LSTM encoder–decoder for characters. The encoder reads the input (left-padded, so its
 * last step is the last real character) and hands its final state to the decoder, which reads
 * the target shifted right (teacher forcing) or, when decoding, its own previous output. With
 * attention each decoder state d_t scores every encoder state e_s — Luong: d_t·e_s; Bahdanau:
 * v·tanh(W_e·e_s + W_d·d_t) — the softmax of the scores (padding masked out) weighs the
 * encoder states into a context c_t, and tanh(W_c·[c_t; d_t]) predicts the next character.
 */
public final class Seq2Seq extends Module {
    /** How the decoder looks back at the input. */
    public enum Attention { NONE, LUONG, BAHDANAU }

    /** Input ids: 0 is padding, then {@link Dates#INPUT_CHARS}. Output ids: {@link Dates#OUTPUT_CHARS}, then BOS. */
    public static final int PAD = 0, BOS = Dates.OUTPUT_CHARS.length();

    public final Attention attention;
    public final int hidden;
    public final Embedding srcEmbed, tgtEmbed;
    public final Recurrent encoder, decoder;
    public final Linear combine, out, attnEnc, attnDec, attnV;

    public Seq2Seq(Attention attention, int embedding, int hidden, Generator g) {
        this.attention = attention;
        this.hidden = hidden;
        srcEmbed = registerModule("src_embed", new Embedding(Dates.INPUT_CHARS.length() + 1, embedding, g));
        tgtEmbed = registerModule("tgt_embed", new Embedding(Dates.OUTPUT_CHARS.length() + 1, embedding, g));
        encoder = registerModule("encoder", new Recurrent(Recurrent.Mode.LSTM, embedding, hidden, 1, g, Recurrent.Option.BATCH_FIRST));
        decoder = registerModule("decoder", new Recurrent(Recurrent.Mode.LSTM, embedding, hidden, 1, g, Recurrent.Option.BATCH_FIRST));
        combine = attention == Attention.NONE ? null : registerModule("combine", new Linear(2 * hidden, hidden, g));
        attnEnc = attention == Attention.BAHDANAU ? registerModule("attn_enc", new Linear(hidden, hidden, g, Linear.Bias.NONE)) : null;
        attnDec = attention == Attention.BAHDANAU ? registerModule("attn_dec", new Linear(hidden, hidden, g)) : null;
        attnV = attention == Attention.BAHDANAU ? registerModule("attn_v", new Linear(hidden, 1, g, Linear.Bias.NONE)) : null;
        out = registerModule("out", new Linear(hidden, Dates.OUTPUT_CHARS.length(), g));
    }

    /** Inputs as ids, left-padded to the longest: [N × T] row-major, and T. */
    public record Batch(int[] ids, int n, int t) {}

    public static Batch encodeInputs(List<String> inputs) { return encodeInputs(inputs, 1); }

    /** As {@link #encodeInputs(List)}, padded to at least {@code padTo} (a data-parallel worker's share of a batch pads as the whole batch). */
    public static Batch encodeInputs(List<String> inputs, int padTo) {
        int t = Math.max(1, padTo);
        for (String s : inputs) t = Math.max(t, s.length());
        int[] ids = new int[inputs.size() * t];
        for (int b = 0; b < inputs.size(); b++) {
            String s = inputs.get(b);
            for (int i = 0; i < s.length(); i++) {
                int c = Dates.INPUT_CHARS.indexOf(s.charAt(i));
                if (c < 0) throw new IllegalArgumentException("seq2seq: the character '" + s.charAt(i) + "' in '" + s + "' is not one of '" + Dates.INPUT_CHARS + "'");
                ids[b * t + (t - s.length()) + i] = c + 1;
            }
        }
        return new Batch(ids, inputs.size(), t);
    }

    /** The encoder's states [N, T, H], its final h and c [1, N, H], and the padding mask [N, 1, T] (0 or −1e9). */
    public record Encoded(Tensor states, Tensor h, Tensor c, Tensor mask) {}

    public Encoded encode(Batch src) {
        Recurrent.Output o = encoder.run(srcEmbed.forward(src.ids(), src.n(), src.t()));
        float[] m = new float[src.n() * src.t()];
        for (int i = 0; i < m.length; i++) if (src.ids()[i] == PAD) m[i] = -1e9f;
        return new Encoded(o.output(), o.h(), o.c(), Tensor.of(m, src.n(), 1, src.t()));
    }

    /** Decoder output: next-character scores [N, To, V], attention weights [N, To, Ti] (or null), and the decoder's final state. */
    public record Decoded(Tensor logits, Tensor weights, Tensor h, Tensor c) {}

    /** Runs the decoder over {@code prev} ([N × To] output ids, BOS first) from state (h, c). */
    public Decoded decode(Encoded enc, int[] prev, int n, int to, Tensor h, Tensor c) {
        Recurrent.Output o = decoder.run(tgtEmbed.forward(prev, n, to), h, c);
        Tensor d = o.output();                                                   // [N, To, H]
        if (attention == Attention.NONE) return new Decoded(out.forward(d), null, o.h(), o.c());
        Tensor e = enc.states();                                                 // [N, Ti, H]
        Tensor scores = switch (attention) {
            case LUONG -> d.matmul(e.transpose(1, 2));                           // d_t·e_s: [N, To, Ti]
            case BAHDANAU -> {
                Tensor we = attnEnc.forward(e).unsqueeze(1), wd = attnDec.forward(d).unsqueeze(2);   // [N, 1, Ti, H], [N, To, 1, H]
                Tensor s = attnV.forward(we.add(wd).tanh());                                           // [N, To, Ti, 1]
                yield s.reshape(s.size(0), s.size(1), s.size(2));
            }
            default -> throw new AssertionError(attention);
        };
        Tensor weights = scores.add(enc.mask()).softmax(-1);                     // padding gets no weight
        Tensor context = weights.matmul(e);                                      // [N, To, H]
        Tensor mixed = combine.forward(Tensor.cat(List.of(context, d), 2)).tanh();
        return new Decoded(out.forward(mixed), weights, o.h(), o.c());
    }

    @Override
    public Tensor forward(Tensor x) { throw new UnsupportedOperationException("use encode and decode"); }

    /** Teacher forcing: the decoder reads BOS then the target but its last character. */
    public static int[] shiftedTargets(List<String> outputs) {
        int[] prev = new int[outputs.size() * Dates.OUTPUT_LENGTH];
        for (int b = 0; b < outputs.size(); b++) {
            prev[b * Dates.OUTPUT_LENGTH] = BOS;
            for (int i = 1; i < Dates.OUTPUT_LENGTH; i++) prev[b * Dates.OUTPUT_LENGTH + i] = Dates.OUTPUT_CHARS.indexOf(outputs.get(b).charAt(i - 1));
        }
        return prev;
    }

    public static int[] targets(List<String> outputs) {
        int[] y = new int[outputs.size() * Dates.OUTPUT_LENGTH];
        for (int b = 0; b < outputs.size(); b++) {
            for (int i = 0; i < Dates.OUTPUT_LENGTH; i++) y[b * Dates.OUTPUT_LENGTH + i] = Dates.OUTPUT_CHARS.indexOf(outputs.get(b).charAt(i));
        }
        return y;
    }
}
