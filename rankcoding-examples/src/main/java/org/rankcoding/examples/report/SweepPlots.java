package org.rankcoding.examples.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.examples.toy.BayesFrontier;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The pictures of a sweep, each written as PNG and SVG ({@code name.png}, {@code name.svg}) with XChart: trade-off
 * curves (accuracy at first spike vs mean decision step), training dynamics per class, and a raster of outputs and
 * spikes. Headless.
 */
public final class SweepPlots {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private SweepPlots() {
    }

    /**
     * One curve of a trade-off plot.
     *
     * @param name      legend entry
     * @param meanSteps x: mean decision step of each point
     * @param accuracy  y: accuracy at first spike of each point
     * @param joined    whether the points are joined by a line (a threshold sweep) or drawn as markers only (grid models)
     * @param color     palette index
     */
    public record Curve(String name, double[] meanSteps, double[] accuracy, boolean joined, int color) {

        /**
         * A curve through the evaluations of a threshold sweep, ordered by mean decision step.
         *
         * @param x maps a mean decision step to the x axis (identity for steps, or to milliseconds)
         */
        public static Curve of(String name, List<Evaluation> sweep, DoubleUnaryOperator x, boolean joined, int color) {
            List<Evaluation> sorted = new ArrayList<>(sweep);
            sorted.sort((a, b) -> Double.compare(a.meanDecisionStep(), b.meanDecisionStep()));
            return new Curve(name, sorted.stream().mapToDouble(e -> x.applyAsDouble(e.meanDecisionStep())).toArray(),
                    sorted.stream().mapToDouble(Evaluation::accuracyFirstSpike).toArray(), joined, color);
        }
    }

    /** Writes {@code chart} as {@code base.png} and {@code base.svg}; returns both paths. */
    static List<Path> saveBoth(Chart<?, ?> chart, Path base) throws IOException {
        Path dir = base.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String b = base.toString();
        BitmapEncoder.saveBitmap(chart, b, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, b, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return List.of(Path.of(b + ".png"), Path.of(b + ".svg"));
    }

    private static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    /**
     * Accuracy at the first spike against mean decision step for several curves, with the Bayes-optimal frontier when given.
     *
     * @param base     output path without extension
     * @param frontier the frontier, or {@code null}
     * @return the files written
     */
    public static List<Path> tradeoff(Path base, String title, int length, BayesFrontier frontier, List<Curve> curves) throws IOException {
        return tradeoff(base, title, "mean decision step", length, frontier, curves);
    }

    /**
     * As {@link #tradeoff(Path, String, int, BayesFrontier, List)} with another x axis (the curves' {@code meanSteps}
     * then hold values in that unit, such as milliseconds of audio).
     *
     * @param xTitle the x axis title
     * @param xMax   the x axis maximum (its minimum is 0)
     */
    public static List<Path> tradeoff(Path base, String title, String xTitle, double xMax, BayesFrontier frontier, List<Curve> curves)
            throws IOException {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle("accuracy at first spike").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setYAxisDecimalPattern("0.000");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(xMax);
        double lowest = 1.0;
        if (frontier != null) {
            XYSeries f = chart.addSeries("Bayes-optimal frontier", frontier.steps(), frontier.accuracies());
            f.setLineColor(Color.DARK_GRAY);
            f.setMarkerColor(Color.DARK_GRAY);
            f.setMarker(SeriesMarkers.NONE);
            f.setLineStyle(new BasicStroke(2.5f));
            for (double a : frontier.accuracies()) {
                lowest = Math.min(lowest, a);
            }
        }
        for (Curve c : curves) {
            if (c.meanSteps().length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(c.name(), c.meanSteps(), c.accuracy());
            s.setXYSeriesRenderStyle(c.joined() ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(c.joined() ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
            s.setMarkerColor(color(c.color()));
            s.setLineColor(color(c.color()));
            if (c.joined()) {
                s.setLineStyle(SeriesLines.SOLID);
            }
            for (double a : c.accuracy()) {
                lowest = Double.isFinite(a) ? Math.min(lowest, a) : lowest;
            }
        }
        chart.getStyler().setYAxisMin(Math.max(0.0, Math.floor((lowest - 0.01) * 50) / 50)).setYAxisMax(1.0);
        return saveBoth(chart, base);
    }

    /**
     * Training dynamics: validation accuracy at first spike (one line per model) and mean decision step per class
     * (one line per model and class; the first model solid, the others dashed) against training sequences. Two
     * charts: {@code base-accuracy} and {@code base-steps}.
     *
     * @param sequences    {@code [model][validation]} training sequences
     * @param accuracy     {@code [model][validation]} accuracy at first spike
     * @param perClassStep {@code [model][validation][class]} mean decision step per true class
     * @return the files written
     */
    public static List<Path> dynamics(Path base, String title, int length, String[] models, String[] classes, double[][] sequences,
                                      double[][] accuracy, double[][][] perClassStep) throws IOException {
        headless();
        XYChart acc = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": validation accuracy during training")
                .xAxisTitle("training sequences").yAxisTitle("accuracy at first spike").build();
        XYChart steps = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title + ": mean decision step per class during training")
                .xAxisTitle("training sequences").yAxisTitle("mean decision step").build();
        for (XYChart c : List.of(acc, steps)) {
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            c.getStyler().setXAxisDecimalPattern("#,###");
        }
        acc.getStyler().setYAxisDecimalPattern("0.000");
        steps.getStyler().setYAxisMin(0.0).setYAxisMax((double) length);
        for (int m = 0; m < models.length; m++) {
            if (sequences[m].length == 0) {
                continue;
            }
            XYSeries a = acc.addSeries(models[m], sequences[m], accuracy[m]);
            a.setLineColor(color(m));
            a.setMarkerColor(color(m));
            a.setMarker(SeriesMarkers.CIRCLE);
            for (int c = 0; c < classes.length; c++) {
                double[] y = new double[sequences[m].length];
                boolean any = false;
                for (int v = 0; v < y.length; v++) {
                    y[v] = c < perClassStep[m][v].length ? perClassStep[m][v][c] : Double.NaN;
                    any |= Double.isFinite(y[v]);
                }
                if (!any) {
                    continue;
                }
                XYSeries s = steps.addSeries(models[m] + ", " + classes[c], sequences[m], y);
                s.setLineColor(color(c));
                s.setMarkerColor(color(c));
                s.setMarker(m == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
                s.setLineStyle(m == 0 ? SeriesLines.SOLID : SeriesLines.DASH_DASH);
            }
        }
        List<Path> files = new ArrayList<>(saveBoth(acc, Path.of(base + "-accuracy")));
        files.addAll(saveBoth(steps, Path.of(base + "-steps")));
        return files;
    }

    /**
     * A raster of test sequences (the paper's picture for sequence-of-five): one trace per sequence, the model's output
     * (probability of class 1) drawn at height {@code row + 0.8 p}; a red dot at each first spike; a green bar under a
     * row from its optimal decision step to its end (the window in which a decision is right and not premature).
     *
     * @param probability {@code [row][step]} output probability, NaN after the row's end
     * @param spikes      first spike per row (1-based), or 0 for none
     * @param optimal     optimal decision step per row (1-based), or 0 for none
     * @param threshold   the spike threshold, drawn as a dotted level in each row
     * @return the files written
     */
    public static List<Path> raster(Path base, String title, double[][] probability, int[] spikes, int[] optimal, double threshold)
            throws IOException {
        headless();
        int rows = probability.length;
        int steps = rows == 0 ? 1 : probability[0].length;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(Math.max(HEIGHT, 80 + rows * 18)).title(title)
                .xAxisTitle("step").yAxisTitle("test sequence (trace: output probability of class 1)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(steps + 0.5);
        chart.getStyler().setYAxisMin(-0.3).setYAxisMax(rows + 0.3);
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        List<Double> sx = new ArrayList<>();
        List<Double> sy = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            int n = 0;
            while (n < steps && Double.isFinite(probability[r][n])) {
                n++;
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            for (int t = 0; t < n; t++) {
                x[t] = t + 1;
                y[t] = r + 0.8 * probability[r][t];
            }
            XYSeries trace = chart.addSeries("row " + r, x, y);
            trace.setLineColor(new Color(60, 60, 60));
            trace.setMarker(SeriesMarkers.NONE);
            trace.setLineStyle(new BasicStroke(1.2f));
            trace.setShowInLegend(false);
            XYSeries level = chart.addSeries("theta " + r, new double[] {1, n}, new double[] {r + 0.8 * threshold, r + 0.8 * threshold});
            level.setLineColor(new Color(200, 200, 200));
            level.setMarker(SeriesMarkers.NONE);
            level.setLineStyle(SeriesLines.DOT_DOT);
            level.setShowInLegend(false);
            if (optimal[r] > 0) {
                XYSeries w = chart.addSeries("window " + r, new double[] {optimal[r] - 0.4, n + 0.4}, new double[] {r - 0.08, r - 0.08});
                w.setLineColor(new Color(44, 160, 44));
                w.setMarker(SeriesMarkers.NONE);
                w.setLineStyle(new BasicStroke(4f));
                w.setShowInLegend(r == firstWith(optimal));
                w.setLabel("optimal decision window");
            }
            if (spikes[r] > 0) {
                sx.add((double) spikes[r]);
                sy.add(r + 0.8 * probability[r][spikes[r] - 1]);
            }
        }
        if (!sx.isEmpty()) {
            XYSeries s = chart.addSeries("first spike", sx, sy);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(Color.RED);
        }
        return saveBoth(chart, base);
    }

    private static int firstWith(int[] optimal) {
        for (int r = 0; r < optimal.length; r++) {
            if (optimal[r] > 0) {
                return r;
            }
        }
        return -1;
    }
}
