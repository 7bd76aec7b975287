package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code sweep} subcommand end to end on tiny toy runs: tables, JSON, CSV and pictures; and its errors. */
class SweepCommandTest {

    private static final String[] TINY = {"--train-sequences", "2000", "--test-sequences", "1000", "--validation-sequences", "300",
            "--validate-every", "1000", "--hidden", "8", "--threads", "1", "--no-progress"};

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private static String[] sweep(String[] sweepArgs, String task, String... taskArgs) {
        String[] all = new String[1 + sweepArgs.length + 1 + TINY.length + taskArgs.length];
        int i = 0;
        all[i++] = "sweep";
        for (String a : sweepArgs) {
            all[i++] = a;
        }
        all[i++] = task;
        for (String a : TINY) {
            all[i++] = a;
        }
        for (String a : taskArgs) {
            all[i++] = a;
        }
        return all;
    }

    @Slow
    @Test
    @SuppressWarnings("unchecked")
    void noiseVsSignalGridWritesTablesJsonCsvAndPictures(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("nvs.json");
        Path plots = dir.resolve("plots");
        CliRun r = cli(sweep(new String[] {"--betas", "0,0.2", "--thetas", "0.8,0.9", "--eval-thresholds", "0.6,0.8,0.9"}, "noise-vs-signal",
                "--json", json.toString(), "--plots", plots.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("raising beta at theta 0.8 (2 values)"), r.out());
        assertTrue(r.out().contains("raising beta at theta 0.9 (2 values)"), r.out());
        assertTrue(r.out().contains("EOS-trained model with early exit"), r.out());

        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals("noise-vs-signal", top.get("task"));
        List<Object> grid = (List<Object>) top.get("rc_grid");
        assertEquals(4, grid.size());
        double[][] expectedGrid = {{0, 0.8}, {0, 0.9}, {0.2, 0.8}, {0.2, 0.9}};
        for (int i = 0; i < 4; i++) {
            Map<String, Object> m = (Map<String, Object>) grid.get(i);
            assertEquals(expectedGrid[i][0], m.get("beta"));
            assertEquals(expectedGrid[i][1], m.get("threshold"));
            assertEquals("RANK_CODING", m.get("loss_mode"));
            assertEquals(3, ((List<Object>) m.get("threshold_sweep")).size());
            assertTrue(m.containsKey("verdict") && m.containsKey("eos_accuracy_at_same_mean_step"));
            double acc = (Double) m.get("accuracy_first_spike");
            assertTrue(acc >= 0 && acc <= 1);
            // the model's own threshold is among the evaluation thresholds: the sweep point there equals the grid point
            for (Object o : (List<Object>) m.get("threshold_sweep")) {
                Map<String, Object> p = (Map<String, Object>) o;
                if (p.get("threshold").equals(m.get("threshold"))) {
                    assertEquals(acc, p.get("accuracy_first_spike"));
                    assertEquals(m.get("mean_decision_step"), p.get("mean_decision_step"));
                }
            }
        }
        Map<String, Object> eos = (Map<String, Object>) top.get("eos");
        assertEquals("END_OF_SEQUENCE", eos.get("loss_mode"));
        assertEquals(3, ((List<Object>) eos.get("threshold_sweep")).size());
        assertEquals(2, ((List<Object>) top.get("beta_monotonicity")).size());

        List<String> csv = Files.readAllLines(dir.resolve("nvs.csv"));
        assertTrue(csv.get(0).startsWith("kind,model,loss_mode,beta,train_threshold,eval_threshold,accuracy_first_spike"));
        assertEquals(1 + 4 + 4 * 3 + 3, csv.size(), "header, grid points, RC sweeps, EOS sweep");
        assertEquals(4, csv.stream().filter(l -> l.startsWith("rc_grid,")).count());
        assertEquals(3, csv.stream().filter(l -> l.startsWith("eos_threshold_sweep,")).count());

        for (String f : List.of("noise-vs-signal-sweep-tradeoff", "noise-vs-signal-sweep-dynamics-accuracy",
                "noise-vs-signal-sweep-dynamics-steps", "noise-vs-signal-sweep-decision-histogram")) {
            assertTrue(Files.size(plots.resolve(f + ".png")) > 1000, f + ".png");
            assertTrue(Files.readString(plots.resolve(f + ".svg")).contains("<svg"), f + ".svg");
        }
        assertTrue(Files.notExists(plots.resolve("noise-vs-signal-sweep-raster-rc.png")), "no optimal steps, no raster");
    }

    @Slow
    @Test
    void sequenceOfFiveDrawsTheRaster(@TempDir Path dir) throws IOException {
        Path plots = dir.resolve("plots");
        CliRun r = cli(sweep(new String[] {"--betas", "0", "--eval-thresholds", "0.6,0.9", "--raster-rows", "20", "--csv",
                dir.resolve("s5.csv").toString()}, "sequence-of-five", "--plots", plots.toString()));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.size(plots.resolve("sequence-of-five-sweep-raster-rc.png")) > 1000);
        assertTrue(Files.readString(plots.resolve("sequence-of-five-sweep-raster-eos.svg")).contains("<svg"));
        assertEquals(1 + 1 + 2 + 2, Files.readAllLines(dir.resolve("s5.csv")).size());
    }

    @Test
    void badSweepsAreRefusedWithTheReason() {
        CliRun none = cli("sweep");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("name a task"), none.err());
        CliRun twice = cli(sweep(new String[] {"--betas", "0,0"}, "noise-vs-signal", "--no-plots"));
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("given twice"), twice.err());
        CliRun raster = cli(sweep(new String[] {"--raster-rows", "-1"}, "noise-vs-signal", "--no-plots"));
        assertEquals(2, raster.code());
        assertTrue(raster.err().contains("--raster-rows = -1"), raster.err());
        CliRun checkpoints = cli(sweep(new String[0], "noise-vs-signal", "--no-plots", "--checkpoint-dir", "x"));
        assertEquals(2, checkpoints.code());
        assertTrue(checkpoints.err().contains("checkpoints"), checkpoints.err());
    }

    private static Evaluation point(double threshold, double step, double acc) {
        return new Evaluation(100, threshold, acc, acc, step, step, new long[2], new long[2], new double[0], 0, 0, 0, 0, 0, null);
    }

    @Test
    void interpolationAlongACurve() {
        List<Evaluation> curve = List.of(point(0.9, 10, 0.9), point(0.6, 2, 0.7), point(0.8, 6, 0.8));
        assertEquals(0.75, SweepRunner.interpolate(curve, 4), 1e-12);
        assertEquals(0.85, SweepRunner.interpolate(curve, 8), 1e-12);
        assertEquals(0.7, SweepRunner.interpolate(curve, 2), 1e-12);
        assertEquals(0.9, SweepRunner.interpolate(curve, 10), 1e-12);
        assertTrue(Double.isNaN(SweepRunner.interpolate(curve, 1.5)), "before the curve");
        assertTrue(Double.isNaN(SweepRunner.interpolate(curve, 11)), "after the curve");
    }
}
