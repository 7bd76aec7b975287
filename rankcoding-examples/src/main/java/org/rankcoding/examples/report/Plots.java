package org.rankcoding.examples.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rankcoding.examples.toy.BayesFrontier;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PNG charts of a demo run, drawn with XChart without a display ({@code java.awt.headless} is set to
 * {@code true} if it is not set). Models are given as parallel arrays: {@code names[i]} with data {@code [i]};
 * the first model is drawn in blue, the second in orange, further ones in XChart's palette.
 */
public final class Plots {

    private static final Color[] COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private Plots() {
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static Color color(int i) {
        return COLORS[i % COLORS.length];
    }

    /**
     * Decision-step histograms: the fraction of test examples decided at each step {@code 1..length}.
     *
     * @param histograms {@code histograms[i][t]} = examples of model {@code i} decided at step {@code t}
     *                   (index 0 unused, as in {@link org.rankcoding.eval.Evaluation#decisionHistogram()})
     */
    public static void decisionHistogram(Path file, String title, int length, String[] names, long[][] histograms)
            throws IOException {
        headless();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("decision step (first spike, or the last step without one)").yAxisTitle("fraction of test examples")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        chart.getStyler().setXAxisLabelRotation(0);
        double[] steps = new double[length];
        for (int t = 1; t <= length; t++) {
            steps[t - 1] = t;
        }
        for (int i = 0; i < names.length; i++) {
            long total = 0;
            for (long c : histograms[i]) {
                total += c;
            }
            double[] fraction = new double[length];
            for (int t = 1; t <= length && t < histograms[i].length; t++) {
                fraction[t - 1] = total == 0 ? 0 : (double) histograms[i][t] / total;
            }
            CategorySeries s = chart.addSeries(names[i], steps, fraction);
            s.setFillColor(color(i));
        }
        chart.getStyler().setXAxisDecimalPattern("0");
        save(chart, file);
    }

    /**
     * Validation curves over training: accuracy at the first spike (left) and mean decision step (right)
     * against the number of training sequences.
     *
     * @param sequences {@code sequences[i]} training sequences of model {@code i} at each validation
     * @param accuracy  accuracy at the first spike at each validation
     * @param meanStep  mean decision step at each validation
     */
    public static void training(Path file, String title, int length, String[] names, double[][] sequences,
                                double[][] accuracy, double[][] meanStep) throws IOException {
        headless();
        XYChart acc = new XYChartBuilder().width(WIDTH / 2 + 100).height(HEIGHT).title(title + ": validation accuracy")
                .xAxisTitle("training sequences").yAxisTitle("accuracy at first spike").build();
        XYChart step = new XYChartBuilder().width(WIDTH / 2 + 100).height(HEIGHT).title(title + ": validation decision time")
                .xAxisTitle("training sequences").yAxisTitle("mean decision step").build();
        for (XYChart c : List.of(acc, step)) {
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
            c.getStyler().setXAxisDecimalPattern("#,###");
        }
        acc.getStyler().setYAxisDecimalPattern("0.000");
        step.getStyler().setYAxisMin(0.0).setYAxisMax((double) length);
        step.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (int i = 0; i < names.length; i++) {
            if (sequences[i].length == 0) {
                continue;
            }
            XYSeries a = acc.addSeries(names[i], sequences[i], accuracy[i]);
            a.setLineColor(color(i));
            a.setMarkerColor(color(i));
            a.setMarker(SeriesMarkers.CIRCLE);
            XYSeries s = step.addSeries(names[i], sequences[i], meanStep[i]);
            s.setLineColor(color(i));
            s.setMarkerColor(color(i));
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(List.of(acc, step), 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Accuracy at the first spike against mean decision step, one point per model, with a Bayes-optimal
     * frontier line (known points solid; the linear extrapolation before its first point dashed, drawn only
     * when a model decides earlier than that).
     *
     * @param frontier the frontier to draw, or {@code null} for none
     */
    public static void tradeoff(Path file, String title, int length, BayesFrontier frontier, String[] names,
                                double[] meanStep, double[] accuracy) throws IOException {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("mean decision step").yAxisTitle("accuracy at first spike").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax((double) length);
        double lowest = 1.0;
        if (frontier != null) {
            double[] fs = frontier.steps();
            double[] fa = frontier.accuracies();
            XYSeries f = chart.addSeries("Bayes-optimal frontier", fs, fa);
            f.setLineColor(Color.DARK_GRAY);
            f.setMarkerColor(Color.DARK_GRAY);
            f.setMarker(SeriesMarkers.DIAMOND);
            lowest = Math.min(lowest, fa[0]);
            double earliest = fs[0];
            for (double m : meanStep) {
                earliest = Double.isFinite(m) ? Math.min(earliest, m) : earliest;
            }
            if (earliest < fs[0]) {
                double from = Math.max(0, Math.floor(earliest));
                XYSeries e = chart.addSeries("frontier, extrapolated", new double[] {from, fs[0]},
                        new double[] {frontier.accuracyAt(from), fa[0]});
                e.setLineColor(Color.GRAY).setLineStyle(SeriesLines.DASH_DASH);
                e.setMarker(SeriesMarkers.NONE);
                lowest = Math.min(lowest, frontier.accuracyAt(from));
            }
        }
        for (int i = 0; i < names.length; i++) {
            XYSeries s = chart.addSeries(names[i], new double[] {meanStep[i]}, new double[] {accuracy[i]});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(color(i));
            lowest = Math.min(lowest, accuracy[i]);
        }
        chart.getStyler().setYAxisMin(Math.max(0.0, Math.floor((lowest - 0.01) * 100) / 100)).setYAxisMax(1.0);
        save(chart, file);
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
