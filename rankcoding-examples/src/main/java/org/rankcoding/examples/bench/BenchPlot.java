package org.rankcoding.examples.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws {@code throughput-vs-hidden.png} from the {@code throughput-vs-hidden.csv} that {@code bench/ratios.py}
 * writes: sequences per second against the LSTM hidden size, log-scale y, ours (solid lines) against PyTorch
 * (dashed lines) for RC training (trained weights), EOS training and early-exit batch inference, plus PyTorch's
 * full-sequence inference. Headless.
 *
 * <p>Usage: {@code BenchPlot CSV PNG}.
 */
public final class BenchPlot {

    private static final Color BLUE = new Color(31, 119, 180);
    private static final Color ORANGE = new Color(255, 127, 14);
    private static final Color GREEN = new Color(44, 160, 44);
    private static final Color GRAY = new Color(110, 110, 110);

    private BenchPlot() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchPlot throughput-vs-hidden.csv throughput-vs-hidden.png");
            System.exit(2);
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        List<String> head = Arrays.asList(lines.get(0).trim().split(","));
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(Arrays.stream(line.trim().split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        double[] hidden = column(head, rows, "hidden");
        XYChart chart = new XYChartBuilder().width(900).height(640)
                .title("Throughput vs LSTM hidden size (noise vs signal, batch 128, T = 40; 2-core machine)")
                .xAxisTitle("LSTM hidden size").yAxisTitle("sequences per second (log scale)").build();
        Styler st = chart.getStyler();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setMarkerSize(8);
        st.setChartBackgroundColor(Color.WHITE);
        add(chart, "ours: RC training (trained weights)", hidden, column(head, rows, "ours_rc_train_seq_per_s"), BLUE, false);
        add(chart, "PyTorch: RC training, reference style", hidden, column(head, rows, "pytorch_rc_train_seq_per_s"), BLUE, true);
        add(chart, "ours: EOS training", hidden, column(head, rows, "ours_eos_train_seq_per_s"), ORANGE, false);
        add(chart, "PyTorch: EOS training", hidden, column(head, rows, "pytorch_eos_train_seq_per_s"), ORANGE, true);
        add(chart, "ours: early-exit inference", hidden, column(head, rows, "ours_early_exit_infer_seq_per_s"), GREEN, false);
        add(chart, "PyTorch: early-exit inference", hidden, column(head, rows, "pytorch_early_exit_infer_seq_per_s"), GREEN, true);
        add(chart, "PyTorch: full-sequence inference", hidden, column(head, rows, "pytorch_full_infer_seq_per_s"), GRAY, true);
        Path png = Path.of(args[1]);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + png);
    }

    private static void add(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
    }

    private static double[] column(List<String> head, List<double[]> rows, String name) {
        int i = head.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("column " + name + " not in " + head);
        }
        return rows.stream().mapToDouble(r -> r[i]).toArray();
    }
}
