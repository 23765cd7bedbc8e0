package dev.cara.ctl;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns separated by three spaces, as kubectl prints them; the last column is not
 * padded, so lines carry no trailing blanks.
 *
 * <p>A table can be printed whole ({@link #print}), or header first and then row by row as rows
 * arrive ({@link #printHeader}, {@link #printRow}) for {@code get -w}: then the widths are fixed
 * from the rows known at the start and the minimums, and a later, longer value widens only its own
 * line.
 */
final class TextTable {
    static final String GAP = "   ";

    private final List<String> headers;
    private final int[] widths;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> headers) {
        this.headers = List.copyOf(headers);
        this.widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
    }

    /** Widens columns to at least these widths (for streaming, where later rows are unknown). */
    TextTable minimumWidths(int... minimums) {
        for (int i = 0; i < Math.min(minimums.length, widths.length); i++) {
            widths[i] = Math.max(widths[i], minimums[i]);
        }
        return this;
    }

    TextTable add(List<String> row) {
        if (row.size() != headers.size()) {
            throw new IllegalArgumentException("a row has " + row.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(List.copyOf(row));
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(widths[i], row.get(i).length());
        }
        return this;
    }

    void print(PrintWriter out) {
        printHeader(out);
        for (List<String> row : rows) {
            printRow(out, row);
        }
    }

    void printHeader(PrintWriter out) {
        out.println(line(headers));
    }

    void printRow(PrintWriter out, List<String> row) {
        out.println(line(row));
    }

    private String line(List<String> cells) {
        StringBuilder sb = new StringBuilder(128);
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            sb.append(cell);
            if (i < cells.size() - 1) {
                sb.repeat(' ', Math.max(0, widths[i] - cell.length())).append(GAP);
            }
        }
        return sb.toString();
    }
}
