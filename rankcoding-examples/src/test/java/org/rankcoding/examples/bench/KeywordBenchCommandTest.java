package org.rankcoding.examples.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench-kws subcommand end to end with a tiny network, and its refusals. */
class KeywordBenchCommandTest {

    /** The figures and settings the JSON shares with bench/pytorch_kws.py. */
    private static final List<String> SHARED_KEYS = List.of("benchmark", "implementation", "hidden", "layers", "mels", "classes", "steps",
            "batch", "batches", "warmup", "repetitions", "threads", "learning_rate", "threshold", "seed", "input", "example_steps_per_rep",
            "fresh_largest_probability", "eos_train_us_per_example_step", "eos_train_us_per_example_step_median",
            "eos_train_us_per_example_step_max", "rc_train_us_per_example_step", "rc_train_us_per_example_step_median",
            "rc_train_us_per_example_step_max", "full_infer_us_per_example_step", "full_infer_us_per_example_step_median",
            "full_infer_us_per_example_step_max", "loadavg_start", "loadavg_end", "total_seconds");

    /** Runs {@code bench-kws} with a tiny network and {@code args}, which replace the tiny settings of the options they name. */
    private static CliRun tiny(String... args) {
        String[] base = {"--hidden", "8", "--mels", "6", "--steps", "5", "--batch", "4", "--batches", "2", "--warmup", "1",
                "--repetitions", "1"};
        List<String> all = new ArrayList<>(List.of(KeywordBenchCommand.NAME));
        for (int i = 0; i < base.length; i += 2) {
            if (!List.of(args).contains(base[i])) {
                all.add(base[i]);
                all.add(base[i + 1]);
            }
        }
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(new String[0]));
    }

    private static Map<String, Object> json(Path file) throws IOException {
        return JsonTree.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void measuresEosAndRcTrainingAndInferencePerExampleStep(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("out/java.json");
        CliRun r = tiny("--repetitions", "2", "--json", file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        for (String row : List.of("EOS training, per example-step (best)", "RC training, per example-step (best)",
                "full-sequence inference, per example-step (best)")) {
            assertTrue(r.out().matches("(?s).*" + java.util.regex.Pattern.quote(row) + "\\s+[0-9,.]+ us\\s+median [0-9,.]+; 2 reps.*"),
                    row + ":\n" + r.out());
        }
        assertTrue(r.out().contains("LSTM 1 x 8 on 6 inputs per step + softmax over 20, batch 4, T = 5 steps"), r.out());
        assertTrue(r.out().contains("no row decides early"), r.out());
        Map<String, Object> j = json(file);
        for (String key : SHARED_KEYS) {
            assertTrue(j.containsKey(key), "JSON lacks " + key + ": " + j.keySet());
        }
        for (String figure : List.of("eos_train", "rc_train", "full_infer")) {
            String key = figure + "_us_per_example_step";
            double best = (Double) j.get(key);
            assertTrue(best > 0 && Double.isFinite(best), key + " = " + best);
            assertTrue(best <= (Double) j.get(key + "_median") && (Double) j.get(key + "_median") <= (Double) j.get(key + "_max"), key);
        }
        assertEquals("rankcoding", j.get("implementation"));
        assertEquals("bench-kws", j.get("benchmark"));
        assertEquals(2.0 * 4 * 5, j.get("example_steps_per_rep"), "batches x batch x T");
        double largest = (Double) j.get("fresh_largest_probability");
        assertTrue(largest > 1.0 / 20 && largest < 0.95, "fresh softmax over 20 classes: " + largest);
    }

    @Test
    void twoThreadsSplitTheRowsAndRcStillComputesEveryStep(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("java.json");
        CliRun r = tiny("--threads", "2", "--batch", "5", "--classes", "12", "--json", file.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        Map<String, Object> j = json(file);
        assertEquals(2.0, j.get("threads"));
        assertEquals(12.0, j.get("classes"));
        assertEquals(2.0 * 5 * 5, j.get("example_steps_per_rep"));
    }

    @Test
    void aModelThatDecidesEarlyIsRefusedRatherThanTimed() {
        // with 2 classes and a threshold just above 0.5, fresh rows decide at once: the RC figure would not be full work
        CliRun r = tiny("--classes", "2", "--threshold", "0.5001");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("not below --threshold 0.5001") && r.err().contains("rows would decide early"), r.err());
        assertTrue(r.err().strip().lines().count() == 1, "one line: " + r.err());
    }

    @Test
    void badValuesAreNamedWithTheirRange() {
        CliRun steps = tiny("--steps", "0", "--classes", "1");
        assertEquals(2, steps.code(), steps.out() + steps.err());
        assertTrue(steps.err().contains("--steps = 0, expected a value in [1, 10000]")
                && steps.err().contains("--classes = 1, expected a value in [2, 1000]"), steps.err());
        CliRun mels = tiny("--mels", "513", "--threshold", "1");
        assertEquals(2, mels.code(), mels.out() + mels.err());
        assertTrue(mels.err().contains("--mels = 513, expected a value in [1, 512]"), mels.err());
        assertTrue(mels.err().contains("--threshold = 1"), mels.err());
    }

    @Test
    void helpShowsTheKeywordSpottingShape() {
        CliRun help = CliRun.of(KeywordBenchCommand.NAME, "--help");
        assertEquals(0, help.code(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        for (String d : List.of("the mel bands (default: 40)", "(default: 98, one second at a 10 ms hop)", "(default: 20, the 20 core words",
                "Spike threshold of the RC loss (default: 0.95)")) {
            assertTrue(text.contains(d), "help lacks '" + d + "':\n" + help.out());
        }
    }
}
