package org.rankcoding.examples.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.HeatMapStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.rankcoding.examples.toy.BayesFrontier;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Charts of a demo run (PNG, and SVG next to each single chart), drawn with XChart without a display ({@code java.awt.headless} is set to
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

    /**
     * Accuracy of the decisions made at each step (left axis, one point per step at which any example was
     * decided) and the fraction of examples decided at each step (right axis, dashed), for each model.
     *
     * @param decided {@code decided[i][t]} = examples of model {@code i} decided at step {@code t} (index 0 unused, as in
     *                {@link org.rankcoding.eval.Evaluation#decisionHistogram()})
     * @param correct {@code correct[i][t]} = those of them decided correctly
     *                ({@link org.rankcoding.eval.Evaluation#correctHistogram()})
     */
    public static void accuracyByDecisionStep(Path file, String title, int length, String[] names, long[][] decided, long[][] correct)
            throws IOException {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("decision step (first spike, or the last step without one)").yAxisTitle("accuracy of the decisions at this step")
                .build();
        chart.setYAxisGroupTitle(1, "fraction of test examples decided at this step");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisMin(0.5).setXAxisMax(length + 0.5);
        chart.getStyler().setXAxisDecimalPattern("0");
        double lowest = 1.0;
        for (int i = 0; i < names.length; i++) {
            for (int t = 1; t < decided[i].length && t <= length; t++) {
                lowest = decided[i][t] > 0 ? Math.min(lowest, (double) correct[i][t] / decided[i][t]) : lowest;
            }
        }
        // the accuracy axis starts at a round value below the lowest accuracy, so that high accuracies stay apart
        chart.getStyler().setYAxisMin(0, Math.max(0.0, Math.floor((lowest - 0.02) * 10) / 10)).setYAxisMax(0, 1.0);
        chart.getStyler().setYAxisMin(1, 0.0).setYAxisMax(1, 1.0);
        chart.getStyler().putYAxisGroupDecimalPatternMap(0, "0.00");
        chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.00");
        for (int i = 0; i < names.length; i++) {
            long total = Arrays.stream(decided[i]).sum();
            List<Double> steps = new ArrayList<>();
            List<Double> accuracy = new ArrayList<>();
            double[] allSteps = new double[length];
            double[] fraction = new double[length];
            for (int t = 1; t <= length; t++) {
                long n = t < decided[i].length ? decided[i][t] : 0;
                allSteps[t - 1] = t;
                fraction[t - 1] = total == 0 ? 0 : (double) n / total;
                if (n > 0) {
                    steps.add((double) t);
                    accuracy.add((double) correct[i][t] / n);
                }
            }
            String suffix = names.length == 1 ? "" : " (" + names[i] + ")";
            if (!steps.isEmpty()) {
                XYSeries a = chart.addSeries("accuracy" + suffix, steps, accuracy);
                a.setLineColor(color(i));
                a.setMarkerColor(color(i));
                a.setMarker(SeriesMarkers.CIRCLE);
            }
            XYSeries f = chart.addSeries("fraction decided" + suffix, allSteps, fraction);
            f.setYAxisGroup(1);
            f.setLineColor(color(i + names.length));
            f.setMarkerColor(color(i + names.length));
            f.setLineStyle(SeriesLines.DASH_DASH);
            f.setMarker(SeriesMarkers.SQUARE);
        }
        save(chart, file);
    }

    /**
     * The latency code of one image: one panel per step, showing the pixels that fire at that step (black),
     * those that fired at earlier steps (grey) and those still to fire (white); the panel of {@code decisionStep}
     * is highlighted. Panels are XChart heat maps, five to a row, under a two-line caption.
     *
     * @param spikeStep    the step (1-based) at which each pixel fires, row-major, {@code rows * cols} values in {@code [1, steps]}
     * @param decisionStep the step to highlight (a model's decision), or 0 for none
     * @param caption      the caption's first line (what the image is, what the model decided)
     */
    public static void latencyCode(Path file, String caption, int rows, int cols, int steps, int[] spikeStep, int decisionStep)
            throws IOException {
        headless();
        if (spikeStep.length != rows * cols) {
            throw new IllegalArgumentException("spikeStep has " + spikeStep.length + " values, expected rows x cols = " + rows * cols);
        }
        int perRow = Math.min(5, steps);
        int panelRows = (steps + perRow - 1) / perRow;
        int panelWidth = 180;
        int panelHeight = 200;
        int header = 56;
        int[] xs = new int[cols];
        int[] ys = new int[rows];
        for (int c = 0; c < cols; c++) {
            xs[c] = c;
        }
        for (int r = 0; r < rows; r++) {
            ys[r] = r;
        }
        BufferedImage out = new BufferedImage(perRow * panelWidth, header + panelRows * panelHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            g.drawString(caption, 10, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            g.drawString("black: pixels firing at this step (brightest first); grey: fired earlier; white: still to fire"
                    + (decisionStep > 0 ? "; highlighted: the decision step" : ""), 10, 44);
            for (int s = 1; s <= steps; s++) {
                // heat[x][y] with x = column, y = row counted from the bottom, so that the image is upright
                int[][] heat = new int[cols][rows];
                int firing = 0;
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        int at = spikeStep[r * cols + c];
                        int v = at == s ? 2 : at < s ? 1 : 0;
                        firing += at == s ? 1 : 0;
                        heat[c][rows - 1 - r] = v;
                    }
                }
                HeatMapChart panel = new HeatMapChartBuilder().width(panelWidth).height(panelHeight)
                        .title(String.format(Locale.ROOT, "step %d: %d px%s", s, firing, s == decisionStep ? " (decision)" : "")).build();
                panel.addSeries("step " + s, xs, ys, heat);
                HeatMapStyler st = panel.getStyler();
                st.setLegendVisible(false);
                st.setAxisTicksVisible(false);
                st.setPlotGridLinesVisible(false);
                st.setRangeColors(new Color[] {Color.WHITE, new Color(190, 190, 190), Color.BLACK});
                st.setMin(0).setMax(2);
                st.setChartTitleFont(st.getChartTitleFont().deriveFont(12f));
                st.setChartBackgroundColor(s == decisionStep ? new Color(255, 200, 120) : Color.WHITE);
                st.setChartTitleBoxVisible(false);
                int x = ((s - 1) % perRow) * panelWidth;
                int y = header + ((s - 1) / perRow) * panelHeight;
                g.drawImage(BitmapEncoder.getBufferedImage(panel), x, y, null);
            }
        } finally {
            g.dispose();
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(out, "png", file.toFile())) {
            throw new IOException("no PNG writer available to write " + file);
        }
    }

    /**
     * Accuracy against earliness (the fraction of each series seen at the decision), one curve per model (a threshold
     * sweep), with the operating points chosen for each model drawn as dots of the model's colour.
     *
     * @param earliness {@code earliness[i]} = the curve's earliness values of model {@code i}
     * @param accuracy  {@code accuracy[i]} = the curve's accuracies of model {@code i}, parallel to {@code earliness[i]}
     * @param chosenE   {@code chosenE[i]} = the earliness of each operating point chosen for model {@code i}
     * @param chosenA   {@code chosenA[i]} = their accuracies
     */
    public static void earlinessCurves(Path file, String title, String[] names, double[][] earliness, double[][] accuracy,
                                       double[][] chosenE, double[][] chosenA) throws IOException {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("earliness (fraction of the series seen at the decision)").yAxisTitle("accuracy at the decision").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        double lowest = 1.0;
        for (int i = 0; i < names.length; i++) {
            XYSeries s = chart.addSeries(names[i], earliness[i], accuracy[i]);
            s.setLineColor(color(i));
            s.setMarkerColor(color(i));
            s.setMarker(SeriesMarkers.NONE);
            XYSeries p = chart.addSeries(names[i] + ", chosen on validation", chosenE[i], chosenA[i]);
            p.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            p.setMarker(SeriesMarkers.CIRCLE);
            p.setMarkerColor(color(i));
            for (double a : accuracy[i]) {
                lowest = Math.min(lowest, a);
            }
            for (double a : chosenA[i]) {
                lowest = Math.min(lowest, a);
            }
        }
        chart.getStyler().setYAxisMin(Math.max(0.0, Math.floor((lowest - 0.01) * 20) / 20)).setYAxisMax(1.0);
        save(chart, file);
    }

    /** Writes {@code file} (a {@code .png} path) and the same chart as SVG next to it ({@code .svg}). */
    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) throws IOException {
        String name = file.toString();
        SweepPlots.saveBoth(chart, Path.of(name.endsWith(".png") ? name.substring(0, name.length() - 4) : name));
    }
}
