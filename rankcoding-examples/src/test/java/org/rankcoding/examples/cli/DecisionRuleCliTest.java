package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.examples.CliRun;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.examples.kws.ToneDataset;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.train.TrainingCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The options that choose the decision rule ({@code --consecutive}, {@code --min-steps}, {@code --threshold-schedule}):
 * bad values are one line naming the option and its range, a training run keeps its rule in its checkpoints and
 * resumes only with it, and {@code keyword-stream} decides by the model file's rule unless told otherwise.
 */
class DecisionRuleCliTest {

    private static final String[] TINY = {"noise-vs-signal", "--train-sequences", "2000", "--test-sequences", "500",
            "--validation-sequences", "200", "--validate-every", "1000", "--hidden", "8", "--threads", "1", "--no-progress",
            "--no-plots"};

    private static List<String> lines(String text) {
        return text.strip().lines().toList();
    }

    private static String[] tiny(String... args) {
        String[] all = Arrays.copyOf(TINY, TINY.length + args.length);
        System.arraycopy(args, 0, all, TINY.length, args.length);
        return all;
    }

    @Test
    void badRuleOptionsAreOneLineNamingTheOptionAndItsRange() {
        CliRun k = CliRun.of("noise-vs-signal", "--consecutive", "0", "--no-progress");
        assertEquals(2, k.code(), k.err());
        assertEquals(List.of("noise-vs-signal: --consecutive = 0, expected a value in [1, 100000] (1: decide at the first step that "
                + "crosses the threshold)", "Try 'rankcoding-examples noise-vs-signal --help' for usage."), lines(k.err()));
        CliRun m = CliRun.of("sequence-of-five", "--min-steps", "100001", "--no-progress");
        assertEquals(2, m.code(), m.err());
        assertTrue(m.err().startsWith("sequence-of-five: --min-steps = 100001, expected a value in [1, 100000]"), m.err());
        CliRun s = CliRun.of("noise-vs-signal", "--threshold-schedule", "0.99,1.2", "--no-progress");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().startsWith("noise-vs-signal: --threshold-schedule: threshold at step 2 = 1.2, expected strictly "
                + "inside (0.5, 1)"), s.err());
        assertEquals(2, lines(s.err()).size(), s.err());
        CliRun l = CliRun.of("noise-vs-signal", "--threshold-schedule", "linear:0.99:0.9", "--no-progress");
        assertTrue(l.err().contains("--threshold-schedule: threshold schedule 'linear:0.99:0.9': expected "
                + "linear:theta0:theta1:steps"), l.err());
        CliRun both = CliRun.of("noise-vs-signal", "--threshold", "0.9", "--threshold-schedule", "0.99,0.9", "--no-progress");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().startsWith("noise-vs-signal: --threshold and --threshold-schedule both set the threshold; "
                + "give one of them"), both.err());
        CliRun stream = CliRun.of("keyword-stream", "--model", "m.safetensors", "--consecutive", "0", "x.wav");
        assertEquals(2, stream.code(), stream.err());
        assertTrue(stream.err().startsWith("keyword-stream: --consecutive = 0, expected a value in [1, 100000]"), stream.err());
    }

    @Test
    void aRunKeepsItsRuleInItsCheckpointsAndResumesOnlyWithIt(@TempDir Path dir) throws IOException {
        String[] rule = {"--consecutive", "2", "--min-steps", "2", "--threshold-schedule", "linear:0.99:0.9:10"};
        String[] first = tiny(concat(rule, "--checkpoint-dir", dir.toString()));
        Path json = dir.resolve("run.json");
        CliRun a = CliRun.of(concat(first, "--json", json.toString()));
        assertEquals(0, a.code(), a.err());
        String saved = "threshold=linear:0.99:0.9:10;consecutive=2;minSteps=2";
        Map<String, Object> results = JsonTree.parseObject(Files.readString(json));
        assertEquals(saved, results.get("decision_rule"), "the results name the rule");
        assertEquals(0.99, results.get("threshold"), "the threshold at step 1");
        assertTrue(a.out().contains("threshold 0.99 (decision rule " + saved + ")"), a.out());
        assertEquals(DecisionRuleSpec.parse(saved), TrainingCheckpoint.latest(dir.resolve("rc")).orElseThrow().config().decisionRule());
        CliRun same = CliRun.of(concat(first, "--resume"));
        assertEquals(0, same.code(), same.err());
        assertTrue(same.out().contains("already finished, not trained again"), same.out());
        CliRun other = CliRun.of(tiny("--consecutive", "3", "--min-steps", "2", "--threshold-schedule", "linear:0.99:0.9:10",
                "--checkpoint-dir", dir.toString(), "--resume"));
        assertEquals(1, other.code(), other.err());
        assertTrue(other.err().contains("decisionRule = " + saved + " in the checkpoint, "
                + "threshold=linear:0.99:0.9:10;consecutive=3;minSteps=2 here"), other.err());
        CliRun plain = CliRun.of(tiny("--checkpoint-dir", dir.toString(), "--resume"));
        assertEquals(1, plain.code(), plain.err());
        assertTrue(plain.err().contains("decisionRule = " + saved + " in the checkpoint, threshold=0.95;consecutive=1;minSteps=1 here"),
                plain.err());
    }

    private static String[] concat(String[] base, String... args) {
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        return all;
    }

    @Test
    void keywordStreamDecidesByTheModelFilesRuleUnlessToldOtherwise(@TempDir Path dir) throws IOException {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(40, 4, 1, HeadType.SOFTMAX, 3), 1);
        double[] std = new double[40];
        Arrays.fill(std, 2.0);
        Path model = dir.resolve("kws.safetensors");
        DecisionRuleSpec rule = new DecisionRuleSpec(ThresholdSchedule.constant(0.9), 2, 3);
        KeywordModel.save(net, rule, ToneDataset.WORDS, LogMelConfig.speechCommands(), new FeatureNormalizer(new double[40], std),
                model);
        assertEquals(rule, KeywordModel.load(model).model().decisionRule());
        Path clip = dir.resolve("clip.wav");
        Files.write(clip, ToneDataset.wav(ToneDataset.tone(3000, 200, 500, new SplittableRandom(1))));
        CliRun saved = CliRun.of("keyword-stream", "--model", model.toString(), clip.toString());
        assertEquals(0, saved.code(), saved.err());
        assertTrue(saved.out().contains("threshold 0.9 (decision rule " + rule + ")"), saved.out());
        CliRun told = CliRun.of("keyword-stream", "--model", model.toString(), "--threshold", "0.8", "--consecutive", "1",
                "--min-steps", "1", clip.toString());
        assertEquals(0, told.code(), told.err());
        assertTrue(told.out().contains("threshold 0.8,"), told.out());
        assertFalse(told.out().contains("decision rule"), told.out());
    }
}
