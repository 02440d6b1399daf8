package dev.glassbox.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numeric CSV: comma-separated numbers, one row per line. Blank lines and lines starting with
 * '#' are skipped, and so is a first line that is not numeric (a header). Any other row that
 * is not exactly {@code columns} numbers is an error naming the file, the line and the cell.
 */
public final class Csv {
    private Csv() {}

    /** The rows of {@code file}, each {@code columns} numbers. */
    public static List<float[]> readNumeric(Path file, int columns) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                String[] cells = s.split(",", -1);
                if (first && cells.length == columns && !isNumber(cells[0].strip())) {
                    first = false;
                    continue;   // a header
                }
                first = false;
                if (cells.length != columns) {
                    throw new IOException(file + " line " + lineNo + ": expected " + columns + " comma-separated numbers, found "
                            + cells.length + " fields: \"" + abbreviate(s) + "\"");
                }
                float[] row = new float[columns];
                for (int c = 0; c < columns; c++) {
                    String cell = cells[c].strip();
                    if (!isNumber(cell)) {
                        throw new IOException(file + " line " + lineNo + ", column " + (c + 1) + ": \"" + abbreviate(cell)
                                + "\" is not a number");
                    }
                    row[c] = Float.parseFloat(cell);
                    if (!Float.isFinite(row[c])) {
                        throw new IOException(file + " line " + lineNo + ", column " + (c + 1) + ": " + abbreviate(cell) + " is not finite");
                    }
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (MalformedInputException e) {
            throw new IOException(file + ": not a UTF-8 text file");
        }
        if (rows.isEmpty()) throw new IOException(file + ": no data rows");
        return rows;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        try {
            Float.parseFloat(s);
            return !s.endsWith("f") && !s.endsWith("d") && !s.endsWith("F") && !s.endsWith("D");
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String abbreviate(String s) { return s.length() > 60 ? s.substring(0, 57) + "..." : s; }
}
