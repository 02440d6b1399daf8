package dev.glassbox.models.seq2seq;

import dev.glassbox.tensor.Generator;

import java.time.LocalDate;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The date-normalising task: a date written one of a dozen ways ('saturday, march 7 1998',
 * '7/3/98', '07.03.1998', 'mar 7 98', ...) in, its ISO form ('1998-03-07') out. Dates fall
 * between 1950 and 2049, so a two-digit year is never ambiguous (50–99 → 19xx, 00–49 → 20xx);
 * numeric forms put the day first, as '7/3/98' for 7 March.
 */
public final class Dates {
    /** Characters an input may use. */
    public static final String INPUT_CHARS = " ,-./0123456789abcdefghijklmnopqrstuvwxyz";
    /** Characters of an ISO date. */
    public static final String OUTPUT_CHARS = "-0123456789";
    /** ISO dates are this long. */
    public static final int OUTPUT_LENGTH = 10;
    private static final LocalDate FIRST = LocalDate.of(1950, 1, 1);
    private static final int DAYS = (int) (LocalDate.of(2049, 12, 31).toEpochDay() - FIRST.toEpochDay()) + 1;
    static final int FORMATS = 12;

    /** One example. */
    public record Example(String input, String output) {}

    private Dates() {}

    /**
     * Exact match and per-character accuracy of a model's decoding on the 2,000 held-out dates
     * ({@code held_out}, {@code exact_match}, {@code char_acc}): {@code decode} turns a batch of
     * written dates into ISO strings (500 at a time).
     */
    public static Map<String, Object> scoreHeldOut(Function<List<String>, List<String>> decode) {
        List<Example> held = sample(Seq2SeqRecipe.HELD_OUT, Seq2SeqRecipe.HELD_OUT_SEED);
        List<String> inputs = held.stream().map(Example::input).toList(), got = new ArrayList<>();
        for (int s = 0; s < inputs.size(); s += 500) got.addAll(decode.apply(inputs.subList(s, Math.min(inputs.size(), s + 500))));
        int exact = 0, chars = 0;
        for (int i = 0; i < held.size(); i++) {
            String want = held.get(i).output(), have = got.get(i);
            if (want.equals(have)) exact++;
            for (int k = 0; k < OUTPUT_LENGTH; k++) if (k < have.length() && want.charAt(k) == have.charAt(k)) chars++;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exact_match", (double) exact / held.size());
        out.put("char_acc", (double) chars / (held.size() * OUTPUT_LENGTH));
        out.put("held_out", held.size());
        return out;
    }

    /** A random date in the range, written in a random format. */
    public static Example random(Generator g) {
        LocalDate d = FIRST.plusDays(g.nextInt(DAYS));
        return new Example(write(d, g.nextInt(FORMATS)), d.toString());
    }

    /** {@code n} examples from a seed. */
    public static List<Example> sample(int n, long seed) {
        Generator g = new Generator(seed);
        List<Example> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(random(g));
        return out;
    }

    /** A date in format {@code f} (0 to {@link #FORMATS} − 1). */
    public static String write(LocalDate d, int f) {
        String month = d.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
        String mon = month.substring(0, 3);
        String day = d.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH).toLowerCase(Locale.ROOT);
        int dd = d.getDayOfMonth(), mm = d.getMonthValue(), yyyy = d.getYear(), yy = yyyy % 100;
        return switch (f) {
            case 0 -> day + ", " + month + " " + dd + " " + yyyy;
            case 1 -> dd + "/" + mm + "/" + two(yy);
            case 2 -> month + " " + dd + ", " + yyyy;
            case 3 -> dd + " " + month + " " + yyyy;
            case 4 -> two(dd) + "." + two(mm) + "." + yyyy;
            case 5 -> mon + " " + dd + " " + two(yy);
            case 6 -> dd + " " + mon + " " + yyyy;
            case 7 -> day + " " + dd + " " + month + " " + yyyy;
            case 8 -> two(dd) + "/" + two(mm) + "/" + yyyy;
            case 9 -> d.toString();
            case 10 -> mon + ". " + dd + ", " + yyyy;
            case 11 -> day.substring(0, 3) + " " + dd + " " + mon + " " + two(yy);
            default -> throw new IllegalArgumentException("no date format " + f);
        };
    }

    /**
     * The date an input writes in one of the task's formats, or null when it is none of them
     * (each day of the range is written in each format and compared: a fraction of a second).
     */
    public static LocalDate read(String input) {
        String in = input.trim().toLowerCase(Locale.ROOT);
        for (int day = 0; day < DAYS; day++) {
            LocalDate d = FIRST.plusDays(day);
            for (int f = 0; f < FORMATS; f++) if (write(d, f).equals(in)) return d;
        }
        return null;
    }

    private static String two(int v) { return v < 10 ? "0" + v : String.valueOf(v); }
}
