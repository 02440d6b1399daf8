package dev.glassbox.models.seq2seq;

import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of generated dates as rows of floats, for a data-parallel run: the driver draws the
 * batch as one process does and sends each worker its rows. A row is the batch's input length
 * (its workers pad to it, as one process pads the whole batch), the input's characters (−1
 * after its end), then the output's {@value Dates#OUTPUT_LENGTH}.
 */
public final class DateRows {
    private DateRows() {}

    /** The rows of {@code batch}: {@code batch.size()} rows of equal width. */
    public static float[] encode(List<Dates.Example> batch) {
        int t = 1;
        for (Dates.Example e : batch) t = Math.max(t, e.input().length());
        int width = 1 + t + Dates.OUTPUT_LENGTH;
        float[] rows = new float[batch.size() * width];
        for (int b = 0; b < batch.size(); b++) {
            Dates.Example e = batch.get(b);
            int o = b * width;
            rows[o] = t;
            for (int i = 0; i < t; i++) rows[o + 1 + i] = i < e.input().length() ? e.input().charAt(i) : -1;
            for (int i = 0; i < Dates.OUTPUT_LENGTH; i++) rows[o + 1 + t + i] = e.output().charAt(i);
        }
        return rows;
    }

    /** Examples and the batch's input length, back from rows [n, width]. */
    public record Decoded(List<Dates.Example> examples, int padTo) {}

    public static Decoded decode(Tensor rows) {
        int n = rows.size(0), width = rows.size(1);
        float[] v = rows.data();
        int t = width - 1 - Dates.OUTPUT_LENGTH;
        List<Dates.Example> out = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            int o = b * width;
            StringBuilder in = new StringBuilder(), outs = new StringBuilder();
            for (int i = 0; i < t && v[o + 1 + i] >= 0; i++) in.append((char) v[o + 1 + i]);
            for (int i = 0; i < Dates.OUTPUT_LENGTH; i++) outs.append((char) v[o + 1 + t + i]);
            out.add(new Dates.Example(in.toString(), outs.toString()));
        }
        return new Decoded(out, n == 0 ? 1 : (int) v[0]);
    }
}
