package org.rankcoding.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with a metric column, one column per model and a ratio column. */
final class ResultTable {

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    ResultTable(String... header) {
        this.header = header.clone();
    }

    /** Adds a row; missing trailing cells are blank. */
    ResultTable row(String... cells) {
        String[] r = new String[header.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length && cells[i] != null ? cells[i] : "";
        }
        rows.add(r);
        return this;
    }

    static String fixed(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String ratio(double a, double b) {
        return b == 0 || !Double.isFinite(a / b) ? "" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        out.println(rule);
        for (String[] r : rows) {
            line(out, r, width);
        }
    }

    private static void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i == 0) {
                sb.append(cells[i]).append(" ".repeat(width[i] - cells[i].length()));
            } else {
                sb.append("  ").append(" ".repeat(width[i] - cells[i].length())).append(cells[i]);
            }
        }
        out.println(sb.toString().stripTrailing());
    }
}
