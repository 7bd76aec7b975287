package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.examples.RankCodingCli;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the CLI end to end with a tiny budget and checks its outputs. */
class RankCodingCliTest {

    private static final String[] TINY = {"--train-sequences", "2000", "--test-sequences", "1000", "--validation-sequences", "500",
            "--validate-every", "1000", "--hidden", "8", "--no-progress"};

    private static final List<String> MODEL_KEYS = List.of("accuracy_first_spike", "accuracy_last_step", "mean_decision_step",
            "median_decision_step", "no_spike_fraction", "earliness", "harmonic_mean", "train_example_steps_forward",
            "train_example_steps_backward", "train_sequences", "train_seconds", "test_sequences", "decision_histogram");

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> model(Map<String, Object> json, String key) {
        return (Map<String, Object>) json.get(key);
    }

    private static void assertCommonKeys(Map<String, Object> json, String task, int length) {
        assertEquals(task, json.get("task"));
        assertEquals(1.0, json.get("seed"));
        assertEquals(0.95, json.get("threshold"));
        assertEquals(0.0, json.get("beta"));
        assertEquals(8.0, json.get("hidden"));
        for (String name : List.of("rc", "eos")) {
            Map<String, Object> m = model(json, name);
            assertNotNull(m, "missing model " + name);
            for (String key : MODEL_KEYS) {
                assertTrue(m.containsKey(key), name + " lacks " + key);
            }
            assertEquals(2000.0, m.get("train_sequences"));
            assertEquals(1000.0, m.get("test_sequences"));
            List<?> histogram = (List<?>) m.get("decision_histogram");
            assertEquals(length, histogram.size());
            double total = histogram.stream().mapToDouble(v -> (Double) v).sum();
            assertEquals(1000.0, total, "histogram counts every test example once");
            double acc = (Double) m.get("accuracy_first_spike");
            assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
            double step = (Double) m.get("mean_decision_step");
            assertTrue(step >= 1 && step <= length, "mean step " + step);
            assertEquals(2, ((List<?>) m.get("validation")).size(), "validations after 1000 and 2000 sequences");
        }
        Map<String, Object> eos = model(json, "eos");
        // the EOS baseline runs every sequence to its end, forward and backward
        assertEquals(2000.0 * length, eos.get("train_example_steps_forward"));
        assertEquals(2000.0 * length, eos.get("train_example_steps_backward"));
        double rcForward = (Double) model(json, "rc").get("train_example_steps_forward");
        assertTrue(rcForward <= 2000.0 * length, "RC computes at most the EOS example-steps");
    }

    @Test
    void noiseVsSignalWritesJsonAndPlots(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("out/result.json");
        Path plots = dir.resolve("plots");
        CliRun r = run(concat(concat(new String[] {"noise-vs-signal"}, TINY), "--json", json.toString(), "--plots", plots.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("accuracy at first spike"), r.out());
        assertTrue(r.out().contains("Bayes frontier accuracy at own mean step"), r.out());
        Map<String, Object> parsed = JsonTree.parseObject(Files.readString(json));
        assertCommonKeys(parsed, "noise-vs-signal", 40);
        for (String name : List.of("rc", "eos")) {
            Map<String, Object> m = model(parsed, name);
            double frontier = (Double) m.get("bayes_frontier_accuracy");
            assertTrue(frontier > 0.5 && frontier <= 0.969, "frontier " + frontier);
            assertEquals(frontier - (Double) m.get("accuracy_first_spike"), (Double) m.get("bayes_frontier_gap"), 1e-12);
        }
        for (String plot : List.of("decision-histogram", "training", "tradeoff")) {
            Path png = plots.resolve("noise-vs-signal-" + plot + ".png");
            assertTrue(Files.size(png) > 1000, png + " is missing or empty");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not a readable PNG");
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png + " is too small");
        }
    }

    @Test
    void sequenceOfFiveWritesTimingKeys(@TempDir Path dir) throws IOException {
        Path json = dir.resolve("s5.json");
        CliRun r = run(concat(concat(new String[] {"sequence-of-five"}, TINY), "--json", json.toString(), "--plots", dir.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("timing-aware loss"), r.out());
        Map<String, Object> parsed = JsonTree.parseObject(Files.readString(json));
        assertCommonKeys(parsed, "sequence-of-five", 25);
        for (String name : List.of("rc", "eos")) {
            Map<String, Object> m = model(parsed, name);
            for (String key : List.of("mean_lag", "premature_spikes", "timing_loss")) {
                assertTrue(m.containsKey(key), name + " lacks " + key);
            }
            double loss = (Double) m.get("timing_loss");
            assertTrue(loss >= 0 && loss <= 1, "timing loss " + loss);
            assertNull(m.get("bayes_frontier_accuracy"));
        }
        assertTrue(Files.exists(dir.resolve("sequence-of-five-decision-histogram.png")));
        assertTrue(Files.exists(dir.resolve("sequence-of-five-training.png")));
        assertTrue(Files.notExists(dir.resolve("sequence-of-five-tradeoff.png")));
    }

    @Test
    void sameSeedSameResults(@TempDir Path dir) throws IOException {
        String[] args = {"--train-sequences", "640", "--test-sequences", "300", "--validation-sequences", "0", "--hidden", "4",
                "--no-progress", "--no-plots", "--json"};
        assertEquals(0, run(concat(args, dir.resolve("a.json").toString())).code());
        assertEquals(0, run(concat(args, dir.resolve("b.json").toString())).code());
        Map<String, Object> a = JsonTree.parseObject(Files.readString(dir.resolve("a.json")));
        Map<String, Object> b = JsonTree.parseObject(Files.readString(dir.resolve("b.json")));
        for (String name : List.of("rc", "eos")) {
            for (String key : List.of("accuracy_first_spike", "mean_decision_step", "train_example_steps_forward", "decision_histogram")) {
                assertEquals(model(a, name).get(key), model(b, name).get(key), name + "." + key);
            }
        }
    }

    @Test
    void defaultSubcommandIsNoiseVsSignal() {
        // options of noise-vs-signal are accepted without naming it, those of sequence-of-five are not
        CliRun r = run("--length", "0", "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--length = 0"), r.err());
        CliRun s = run("--run-length", "3", "--no-progress");
        assertEquals(2, s.code());
        assertTrue(s.err().contains("'--run-length'") && s.err().contains("Try 'rankcoding-examples noise-vs-signal --help'"), s.err());
        CliRun help = run("noise-vs-signal", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--train-sequences") && help.out().contains("default: 200000"), help.out());
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheValue() {
        CliRun r = run("noise-vs-signal", "--sigma-min", "0.3", "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--sigma-max = 0.25") && r.err().contains("expected"), r.err());
        CliRun t = run("sequence-of-five", "--threshold", "0.4", "--no-progress");
        assertEquals(2, t.code());
        assertTrue(t.err().contains("0.4"), t.err());
        CliRun h = run("sequence-of-five", "--run-length", "25", "--no-progress");
        assertEquals(2, h.code());
        assertTrue(h.err().contains("--run-length = 25"), h.err());
    }
}
