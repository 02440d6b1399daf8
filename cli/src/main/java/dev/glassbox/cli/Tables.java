package dev.glassbox.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain text tables with aligned columns. */
final class Tables {
    private Tables() {}

    static String format(Object v) {
        if (v instanceof Float f) return fmt(f);
        if (v instanceof Double d) return fmt(d);
        return String.valueOf(v);
    }

    private static String fmt(double d) {
        double a = Math.abs(d);
        if (a >= 1000) return String.format(Locale.ROOT, "%.0f", d);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", d);
        if (d == Math.rint(d)) return String.format(Locale.ROOT, "%.1f", d);
        return String.format(Locale.ROOT, a >= 1e-3 ? "%.4f" : "%.3e", d);
    }

    static String metrics(Map<String, Object> m) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("metric", "value"));
        for (var e : m.entrySet()) rows.add(List.of(e.getKey(), format(e.getValue())));
        return table(rows);
    }

    static String table(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] w = new int[cols];
        for (List<String> r : rows) for (int c = 0; c < cols; c++) w[c] = Math.max(w[c], r.get(c).length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < cols; c++) {
                sb.append(rows.get(i).get(c));
                if (c < cols - 1) sb.append(" ".repeat(w[c] - rows.get(i).get(c).length() + 2));
            }
            sb.append('\n');
            if (i == 0) {
                for (int c = 0; c < cols; c++) sb.append("-".repeat(w[c])).append(c < cols - 1 ? "  " : "");
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
