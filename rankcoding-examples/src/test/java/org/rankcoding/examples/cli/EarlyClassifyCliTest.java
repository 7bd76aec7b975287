package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.UcrData;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.ThresholdSchedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code early-classify}: a short run on the real ItalyPowerDemand data set over two seeds (per-seed lines, the mean and
 * standard deviation, the JSON keys, the plot), its defaults, and its refusals (missing files, bad options), each one
 * line naming the option or file.
 */
class EarlyClassifyCliTest {

    private static CliRun run(Path data, String... extra) {
        List<String> args = new ArrayList<>(List.of("early-classify", "--data", data.toString(), "--epochs", "2", "--hidden", "4",
                "--no-progress", "--no-plots"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertOneLineRefusal(CliRun r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), "one line and a hint: " + r.err());
        assertTrue(lines.get(0).startsWith("early-classify: "), r.err());
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), "'" + f + "' expected in: " + r.err());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void twoSeedsOnItalyPowerDemandReportEachSeedTheirMeanAndSdAndJson(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("r.json");
        Path plots = tmp.resolve("plots");
        List<String> args = new ArrayList<>(List.of("early-classify", "--data", UcrData.dataSet("ItalyPowerDemand").toString(),
                "--epochs", "3", "--hidden", "6", "--seeds", "2", "--seed", "5", "--no-progress", "--json", json.toString(),
                "--plots", plots.toString()));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        for (String line : List.of("seed 5 RC", "seed 5 EOS", "seed 6 RC", "seed 6 EOS", "2 seeds (mean +- sd)", "harmonic mean HM")) {
            assertTrue(r.out().contains(line), line + " expected in:\n" + r.out());
        }
        assertTrue(Files.isRegularFile(plots.resolve("early-classify-ItalyPowerDemand-curves.png")), "plot");
        assertTrue(Files.isRegularFile(plots.resolve("early-classify-ItalyPowerDemand-curves.svg")), "plot as SVG");

        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals("early-classify", top.get("task"));
        assertEquals(2, ((Number) top.get("seeds")).intValue());
        assertEquals(0.25, number(top.get("validation_fraction")), "this command's default fraction");
        assertEquals("ItalyPowerDemand", map(top.get("generator")).get("dataset"));
        assertEquals("train", map(top.get("generator")).get("normalisation"));
        List<Object> runs = (List<Object>) top.get("runs");
        assertEquals(2, runs.size());
        double[] hm = new double[2];
        for (int i = 0; i < 2; i++) {
            Map<String, Object> seed = map(runs.get(i));
            assertEquals(5 + i, ((Number) seed.get("seed")).intValue());
            assertEquals(67, ((Number) seed.get("validation_series")).intValue(), "5 folds (the default): chosen on every series");
            int part = ((Number) seed.get("train_part_series")).intValue();
            assertTrue(part == 53 || part == 54, "a network trains on 4 of 5 folds of 67 series: " + part);
            for (String model : List.of("rc", "eos")) {
                Map<String, Object> m = map(seed.get(model));
                for (String key : List.of("accuracy_first_spike", "earliness", "harmonic_mean", "mean_decision_step",
                        "operating_point", "operating_point_validation", "operating_point_goal_met", "test_curve",
                        "test_example_steps_early_exit", "test_example_steps_full", "train_example_steps_forward",
                        "train_example_steps_backward", "validation")) {
                    assertTrue(m.containsKey(key), model + " lacks " + key + ": " + m.keySet());
                }
                double a = number(m.get("accuracy_first_spike"));
                double e = number(m.get("earliness"));
                assertEquals(a + 1 - e == 0 ? 0 : 2 * a * (1 - e) / (a + 1 - e), number(m.get("harmonic_mean")), 1e-12, "HM");
                assertEquals(15, ((List<Object>) m.get("test_curve")).size(), "one test point per default threshold");
                assertEquals(1029 * 24, number(m.get("test_example_steps_full")), "every test series read to its end");
                assertTrue(number(m.get("test_example_steps_early_exit")) <= 1029 * 24);
            }
            hm[i] = number(map(seed.get("rc")).get("harmonic_mean"));
        }
        Map<String, Object> summary = map(map(map(top.get("summary")).get("rc")).get("harmonic_mean"));
        assertEquals((hm[0] + hm[1]) / 2, number(summary.get("mean")), 1e-12);
        assertEquals(Math.abs(hm[0] - hm[1]) / Math.sqrt(2), number(summary.get("sd")), 1e-12, "sample standard deviation");
    }

    @Test
    void aSyntheticDataSetRunsWithTheWithinGoalAndEveryNormalisation(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 8, 6, 12);
        for (String norm : List.of("train", "causal", "none")) {
            CliRun r = run(data, "--goal", "within:2", "--normalisation", norm, "--eval-consecutive", "1,2");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("normalisation " + norm), r.out());
            assertTrue(r.out().contains("within 2"), r.out());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEnsembleTrainsItsMembersAndReportsTheirWorkAndValidations(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 8, 6, 12);
        Map<String, Map<String, Object>> eos = new java.util.HashMap<>();
        for (String k : List.of("1", "3")) {
            Path json = tmp.resolve("e" + k + ".json");
            CliRun r = run(data, "--folds", "0", "--ensemble", k, "--json", json.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals(k.equals("3"), r.out().contains("each an ensemble of 3 networks"), r.out());
            Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
            assertEquals(Integer.parseInt(k), ((Number) top.get("ensemble")).intValue());
            Map<String, Object> seed = map(((List<Object>) top.get("runs")).get(0));
            for (String model : List.of("rc", "eos")) {
                Map<String, Object> m = map(seed.get(model));
                if (k.equals("3")) {
                    List<Object> members = (List<Object>) m.get("member_validation");
                    assertEquals(3, members.size(), "one validation history per member");
                    assertFalse(((List<Object>) members.get(2)).isEmpty(), "each member validated");
                    assertTrue(((List<Object>) m.get("validation")).isEmpty(), "no single history for an ensemble");
                } else {
                    assertFalse(m.containsKey("member_validation"));
                }
            }
            eos.put(k, map(seed.get("eos")));
        }
        // EOS computes every step of every series, whatever its weights: three members do three times the work of one
        for (String key : List.of("train_example_steps_forward", "train_example_steps_backward", "train_sequences")) {
            assertEquals(3 * number(eos.get("1").get(key)), number(eos.get("3").get(key)), key);
        }
        assertOneLineRefusal(run(data, "--ensemble", "0"), "--ensemble = 0", "[1, 64]");
        assertOneLineRefusal(run(data, "--ensemble", "2"), "--folds 5", "--folds 0", "--ensemble 2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void foldsTrainOneNetworkPerFoldAndChooseOnEveryTrainingSeries(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 8, 6, 12);
        Path json = tmp.resolve("folds.json");
        CliRun r = run(data, "--folds", "4", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("each the average of 4 networks, one per fold"), r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals(4, ((Number) top.get("folds")).intValue());
        Map<String, Object> seed = map(((List<Object>) top.get("runs")).get(0));
        assertEquals(16, ((Number) seed.get("validation_series")).intValue(), "the point is chosen on every training series");
        assertEquals(12, ((Number) seed.get("train_part_series")).intValue(), "each network trains on 3 of 4 folds");
        for (String model : List.of("rc", "eos")) {
            Map<String, Object> m = map(seed.get(model));
            assertEquals(4, ((List<Object>) m.get("member_validation")).size(), "one validation history per fold");
            Map<String, Object> point = map(m.get("operating_point_validation"));
            assertTrue(number(point.get("accuracy_first_spike")) * 16 % 1 < 1e-9, "an accuracy over the 16 training series");
        }
        Map<String, Object> eos = map(seed.get("eos"));
        assertEquals(3 * 4 * 12 * 2, number(eos.get("train_sequences")),
                "3 candidate augmentations (the default), 4 networks, 12 series each, 2 epochs");
        // networks trained at once, one thread each: exactly the results of one thread
        Path one = tmp.resolve("folds-1.json");
        Path three = tmp.resolve("folds-3.json");
        assertEquals(0, run(data, "--folds", "4", "--threads", "1", "--json", one.toString()).code());
        assertEquals(0, run(data, "--folds", "4", "--threads", "3", "--json", three.toString()).code());
        Map<String, Object> a = map(((List<Object>) JsonTree.parseObject(Files.readString(one)).get("runs")).get(0));
        Map<String, Object> b = map(((List<Object>) JsonTree.parseObject(Files.readString(three)).get("runs")).get(0));
        for (String model : List.of("rc", "eos")) {
            for (String key : List.of("accuracy_first_spike", "earliness", "harmonic_mean", "train_example_steps_forward",
                    "operating_point")) {
                assertEquals(map(a.get(model)).get(key), map(b.get(model)).get(key), model + " " + key + ", 1 vs 3 threads");
            }
        }
        assertOneLineRefusal(run(data, "--folds", "1"), "--folds = 1", "K >= 2");
        assertOneLineRefusal(run(data, "--folds", "17"), "--folds = 17", "16 series");
        assertOneLineRefusal(run(data, "--folds", "3", "--ensemble", "2"), "--folds 3", "--ensemble 2");
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachCandidateAugmentationIsTrainedAndTheBestOnValidationKept(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 8, 6, 12);
        Path json = tmp.resolve("aug.json");
        CliRun r = run(data, "--folds", "4", "--augmentations", "none; jitter=0.05,scaling=0.1", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("augmentation "), "each seed's line names the kept augmentation: " + r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals(List.of("none", "jitter=0.05 scaling=0.1"), top.get("augmentations"));
        Map<String, Object> seed = map(((List<Object>) top.get("runs")).get(0));
        for (String model : List.of("rc", "eos")) {
            Map<String, Object> m = map(seed.get(model));
            List<Object> tried = (List<Object>) m.get("augmentation_candidates");
            assertEquals(2, tried.size());
            double best = Double.NEGATIVE_INFINITY;
            Map<String, Object> kept = null;
            for (Object o : tried) {
                Map<String, Object> c = map(o);
                double hm = number(map(c.get("validation")).get("harmonic_mean"));
                if (hm > best) { // the first of equals is kept
                    best = hm;
                    kept = c;
                }
            }
            assertEquals(kept.get("augmentation"), m.get("augmentation"), model + ": the candidate of the highest validation HM");
            assertEquals(kept.get("validation"), m.get("operating_point_validation"), model + ": its operating point");
            assertEquals(2 * 4 * 12 * 2, number(m.get("train_sequences")), model + ": the work of both candidates");
        }
        Path defaults = tmp.resolve("defaults.json");
        assertEquals(0, run(data, "--folds", "2", "--json", defaults.toString()).code());
        assertEquals(List.of("none", "jitter=0.05 scaling=0.1", "slice=0.9"),
                JsonTree.parseObject(Files.readString(defaults)).get("augmentations"), "the default candidates");
        Path one = tmp.resolve("one.json");
        assertEquals(0, run(data, "--folds", "2", "--jitter", "0.1", "--json", one.toString()).code());
        assertEquals(List.of("jitter=0.1"), JsonTree.parseObject(Files.readString(one)).get("augmentations"),
                "an augmentation option gives the one candidate");
        Path crop = tmp.resolve("crop.json");
        assertEquals(0, run(data, "--folds", "2", "--crop", "0.5", "--json", crop.toString()).code());
        assertEquals(List.of("crop=0.5"), JsonTree.parseObject(Files.readString(crop)).get("augmentations"),
                "a crop of the series' start trains through the whole pipeline");
        assertOneLineRefusal(run(data, "--augmentations", "none;;slice=0.9"), "--augmentations", "an empty candidate");
        assertOneLineRefusal(run(data, "--augmentations", "jitter=0.1", "--jitter", "0.1"), "--augmentations", "--jitter",
                "both say how to augment");
        assertOneLineRefusal(run(data, "--augmentations", "jitter=x"), "--augmentations", "jitter = 'x'", "not a number");
        assertOneLineRefusal(run(data, "--augmentations", "speed=2"), "--augmentations", "unknown setting 'speed'");
        assertOneLineRefusal(run(data, "--augmentations", "slice=2"), "--augmentations", "slice = 2.0", "(0, 1]");
        assertOneLineRefusal(run(data, "--augmentations", "none;none"), "--augmentations", "'none' is given twice");
        assertOneLineRefusal(run(data, "--augmentations", "jitter=0.1 jitter=0.2"), "--augmentations", "given twice");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shapedThresholdsJoinTheOperatingPointGrid(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 8, 6, 12);
        Path json = tmp.resolve("shapes.json");
        CliRun r = run(data, "--folds", "2", "--augmentations", "none", "--eval-schedules", "1,0.5", "--eval-thresholds",
                "0.6,0.8,0.95", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals(List.of(1.0, 0.5), top.get("eval_schedules"));
        Map<String, Object> seed = map(((List<Object>) top.get("runs")).get(0));
        for (String model : List.of("rc", "eos")) {
            Map<String, Object> m = map(seed.get(model));
            DecisionRuleSpec rule = DecisionRuleSpec.parse((String) m.get("operating_point"));
            ThresholdSchedule t = rule.threshold();
            double start = t.at(1);
            double end = t.at(12); // the synthetic series have 12 input steps
            double ratio = Math.log(end / (1 - end)) / Math.log(start / (1 - start));
            assertTrue(t.isConstant() || Math.abs(ratio - 0.5) < 1e-9, model + ": constant or log-odds halved by the end: " + t);
            assertTrue(List.of(0.6, 0.8, 0.95).contains(start), model + " starts at a swept threshold: " + t);
            assertEquals(3, ((List<Object>) m.get("test_curve")).size(), "the test curve of the chosen shape");
        }
        assertOneLineRefusal(run(data, "--eval-schedules", "0"), "--eval-schedules", "(0, 1]");
        assertOneLineRefusal(run(data, "--eval-schedules", "1,0.5,1"), "--eval-schedules", "twice");
    }

    @Test
    void missingFilesAreOneLineNamingWhatWasLookedFor(@TempDir Path tmp) throws IOException {
        CliRun missing = run(tmp.resolve("nowhere"));
        assertEquals(1, missing.code(), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("early-classify: cannot load the data set in " + tmp.resolve("nowhere")), missing.err());

        Path onlyTrain = UcrData.writeSynthetic(tmp, "Half", 4, 4, 6);
        Files.delete(onlyTrain.resolve("Half_TEST.ts"));
        CliRun half = run(onlyTrain);
        assertEquals(1, half.code(), half.err());
        assertEquals(1, half.err().strip().lines().count(), half.err());
        assertTrue(half.err().contains("Half_TEST.ts"), half.err());

        Path broken = UcrData.writeSynthetic(tmp, "Broken", 4, 4, 6);
        Files.writeString(broken.resolve("Broken_TRAIN.ts"), "@problemName Broken\n@classLabel true a b\n@data\n1,2,x:a\n");
        CliRun bad = run(broken);
        assertEquals(1, bad.code(), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("Broken_TRAIN.ts"), bad.err());
    }

    @Test
    void badOptionsAreOneLineRefusalsBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path data = UcrData.writeSynthetic(tmp, "Ramps", 4, 4, 6);
        Path json = tmp.resolve("r.json");
        assertOneLineRefusal(run(data, "--goal", "fast", "--json", json.toString()), "--goal = fast", "hm", "within:POINTS");
        assertOneLineRefusal(run(data, "--goal", "within:200"), "--goal = within:200", "[0, 100]");
        assertOneLineRefusal(run(data, "--validation-fraction", "0"), "--validation-fraction = 0", "(0, 1)");
        assertOneLineRefusal(run(data, "--normalisation", "zscore"), "--normalisation", "zscore", "train", "causal");
        assertOneLineRefusal(run(data, "--eval-consecutive", "1,1"), "--eval-consecutive", "twice");
        assertOneLineRefusal(run(data, "--eval-thresholds", "0.9,0.5"), "--eval-thresholds = 0.9,0.5", "(0.5, 1)");
        assertOneLineRefusal(run(data, "--seeds", "0"), "--seeds = 0", "[1, 1000]");
        assertOneLineRefusal(run(data, "--steps-per-input", "-1"), "--steps-per-input = -1");
        assertOneLineRefusal(run(data, "--checkpoint-dir", tmp.resolve("ck").toString()), "--checkpoint-dir");
        assertFalse(Files.exists(json), "no output of a refused run");
        assertFalse(Files.exists(tmp.resolve("ck")), "no checkpoint directory of a refused run");
    }

    @Test
    void helpShowsThisCommandsOwnDefaults() {
        CliRun r = CliRun.of("early-classify", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("(default: 0.25)"), r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("LSTM hidden size (default: 64)"), r.out());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("(default: 1; 0 is the paper's loss)"), r.out());
    }
}
