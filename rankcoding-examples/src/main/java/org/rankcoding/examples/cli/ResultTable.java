package org.rankcoding.examples.cli;

import org.rankcoding.eval.Evaluation;

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

    /**
     * Adds the rows every task reports for its test evaluations: accuracy at the first spike and at the last step,
     * mean and median decision step, no-spike fraction, earliness and harmonic mean; one cell per model (a second
     * model, if given, also gets the ratio of the mean decision steps).
     *
     * @param second the second model's evaluation, or {@code null} for a one-model table
     */
    ResultTable evaluationRows(int sequenceLength, Evaluation first, Evaluation second) {
        Evaluation a = first;
        Evaluation b = second;
        boolean two = b != null;
        row("accuracy at first spike", fixed(a.accuracyFirstSpike(), 4), two ? fixed(b.accuracyFirstSpike(), 4) : null);
        row("accuracy at last step", fixed(a.accuracyLastStep(), 4), two ? fixed(b.accuracyLastStep(), 4) : null);
        row("mean decision step (of " + sequenceLength + ")", fixed(a.meanDecisionStep(), 2), two ? fixed(b.meanDecisionStep(), 2) : null,
                two ? ratio(a.meanDecisionStep(), b.meanDecisionStep()) : null);
        row("median decision step", fixed(a.medianDecisionStep(), 1), two ? fixed(b.medianDecisionStep(), 1) : null);
        row("no-spike fraction", fixed(a.noSpikeFraction(), 4), two ? fixed(b.noSpikeFraction(), 4) : null);
        row("earliness (mean step / T)", fixed(a.earliness(), 3), two ? fixed(b.earliness(), 3) : null);
        row("harmonic mean (accuracy, 1 - earliness)", fixed(a.harmonicMean(), 4), two ? fixed(b.harmonicMean(), 4) : null);
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
