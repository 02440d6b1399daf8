package dev.glassbox.models.text;

import dev.glassbox.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/** The windows of a token stream a language model trains and is evaluated on. */
public final class Windows {
    private Windows() {}

    /** {@code n} windows of {@code seq} tokens at random places of {@code ids}. */
    public static Window random(int[] ids, int n, int seq, Generator g) {
        int[] x = new int[n * seq], y = new int[n * seq];
        for (int b = 0; b < n; b++) copy(ids, g.nextInt(ids.length - seq - 1), x, y, b, seq);
        return new Window(x, y, n, seq, false);
    }

    /** All of {@code ids} in consecutive windows of {@code seq}, {@code per} windows a batch (the last may have fewer). */
    public static List<Window> consecutive(int[] ids, int seq, int per) {
        List<Window> out = new ArrayList<>();
        for (int start = 0; start + seq + 1 <= ids.length; start += per * seq) {
            int n = Math.min(per, (ids.length - 1 - start) / seq);
            if (n <= 0) break;
            int[] x = new int[n * seq], y = new int[n * seq];
            for (int b = 0; b < n; b++) copy(ids, start + b * seq, x, y, b, seq);
            out.add(new Window(x, y, n, seq, false));
        }
        return out;
    }

    /** Window {@code b} of a batch: the {@code seq} tokens from {@code start}, and the ones after each. */
    static void copy(int[] ids, int start, int[] x, int[] y, int b, int seq) {
        System.arraycopy(ids, start, x, b * seq, seq);
        System.arraycopy(ids, start + 1, y, b * seq, seq);
    }
}
