package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.datasets.idx.IdxReader;
import org.rankcoding.datasets.mnist.Mnist;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.IdxBytes;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code temporal-mnist-evaluate} end to end: a model trained and saved by {@code temporal-mnist} on small made-up
 * images, read out again on the test and the held-out validation digits, gives exactly the figures the training
 * command reported (at its rule and over its threshold sweep), coded with the model's own number of bins; other rules
 * change the read-out; bad input is refused in one line.
 */
class TemporalMnistEvaluateCliTest {

    private static final String BINS = "6";

    @TempDir
    static Path tiny;

    @TempDir
    static Path out;

    private static Path model;
    private static Map<String, Object> trained;

    @BeforeAll
    static void train() throws IOException {
        System.setProperty("java.awt.headless", "true");
        writeImages(tiny, 40, 8);
        model = out.resolve("mnist.safetensors");
        Path json = out.resolve("train.json");
        CommandLine cl = CliErrors.install(new CommandLine(new TemporalMnistCommand(TemporalMnistEvaluateCliTest::loadAnySize)));
        cl.setExecutionStrategy(new TaskExecution());
        CliRun r = CliRun.of(cl, "--data", tiny.toString(), "--bins", BINS, "--hidden", "6", "--batch", "8", "--epochs", "3",
                "--lr", "1e-2", "--head", "SOFTMAX", "--threshold", "0.6", "--validation-limit", "10", "--threads", "1",
                "--no-progress", "--no-plots", "--eval-thresholds", "0.55,0.7,0.9", "--save-model", model.toString(),
                "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        trained = JsonTree.parseObject(Files.readString(json));
    }

    /** {@code count} images of {@code side} x {@code side}: a bar whose row and brightness follow the class. */
    private static void writeImages(Path dir, int count, int side) throws IOException {
        byte[] px = new byte[count * side * side];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            labels[i] = (byte) label;
            for (int k = 0; k < side; k++) {
                px[i * side * side + (label % side) * side + k] = (byte) (60 + 19 * label + (i * 7 + k) % 13);
            }
        }
        for (String images : new String[] {Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES}) {
            Files.write(dir.resolve(images), IdxBytes.of(new int[] {count, side, side}, px));
        }
        for (String l : new String[] {Mnist.TRAIN_LABELS, Mnist.TEST_LABELS}) {
            Files.write(dir.resolve(l), IdxBytes.of(new int[] {count}, labels));
        }
    }

    private static Mnist loadAnySize(Path dir) throws IOException {
        return new Mnist(IdxReader.readImages(Mnist.locate(dir, Mnist.TRAIN_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TRAIN_LABELS)),
                IdxReader.readImages(Mnist.locate(dir, Mnist.TEST_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TEST_LABELS)));
    }

    private static CliRun evaluate(String... args) {
        CommandLine cl = CliErrors.install(new CommandLine(new TemporalMnistEvaluateCommand(TemporalMnistEvaluateCliTest::loadAnySize)));
        return CliRun.of(cl, args);
    }

    private static Map<String, Object> evaluateToJson(Path json, String... args) throws IOException {
        String[] all = new String[args.length + 6];
        System.arraycopy(new String[] {"--model", model.toString(), "--data", tiny.toString(), "--json", json.toString()}, 0, all, 0, 6);
        System.arraycopy(args, 0, all, 6, args.length);
        CliRun r = evaluate(all);
        assertEquals(0, r.code(), r.err() + r.out());
        return JsonTree.parseObject(Files.readString(json));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> rc() {
        return (Map<String, Object>) trained.get("rc");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theTestDigitsGiveWhatTheTrainingCommandReported() throws IOException {
        Map<String, Object> e = evaluateToJson(out.resolve("test.json"), "--eval-thresholds", "0.55,0.7,0.9", "--threads", "2");
        assertEquals("test", e.get("split"));
        assertEquals(40.0, e.get("digits"));
        assertEquals(Double.parseDouble(BINS), e.get("bins"), "the model's own bins code the digits");
        assertEquals(rc().get("accuracy_first_spike"), e.get("accuracy_at_decision"));
        assertEquals(rc().get("mean_decision_step"), e.get("mean_decision_step"));
        assertEquals(rc().get("accuracy_last_step"), e.get("accuracy_last_step"));
        assertEquals(rc().get("decision_histogram"), e.get("decision_histogram"));
        List<Object> reported = (List<Object>) rc().get("threshold_curve");
        List<Object> curve = (List<Object>) e.get("threshold_curve");
        assertEquals(3, curve.size());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> a = (Map<String, Object>) reported.get(i);
            Map<String, Object> b = (Map<String, Object>) curve.get(i);
            for (String key : new String[] {"threshold", "accuracy_first_spike", "mean_decision_step", "no_spike_fraction"}) {
                assertEquals(a.get(key), b.get(key), key + " at threshold " + a.get("threshold"));
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theValidationDigitsGiveTheLastValidation() throws IOException {
        Map<String, Object> e = evaluateToJson(out.resolve("validation.json"), "--split", "validation", "--validation-limit", "10");
        assertEquals("validation", e.get("split"));
        assertEquals(10.0, e.get("digits"));
        List<Object> history = (List<Object>) rc().get("validation");
        Map<String, Object> last = (Map<String, Object>) history.get(history.size() - 1);
        assertEquals(last.get("accuracy_first_spike"), e.get("accuracy_at_decision"));
        assertEquals(last.get("mean_decision_step"), e.get("mean_decision_step"));
    }

    @Test
    void anotherRuleChangesTheReadOut() throws IOException {
        Map<String, Object> base = evaluateToJson(out.resolve("base.json"));
        assertEquals("threshold=0.6;consecutive=1;minSteps=1", base.get("decision_rule"), "the model file's rule by default");
        Map<String, Object> late = evaluateToJson(out.resolve("late.json"), "--min-steps", BINS);
        assertEquals(Double.parseDouble(BINS), late.get("mean_decision_step"), "no decision before the last step");
        assertEquals(base.get("accuracy_last_step"), late.get("accuracy_at_decision"), "deciding at the last step is its accuracy");
        Map<String, Object> schedule = evaluateToJson(out.resolve("schedule.json"), "--threshold-schedule", "0.99,0.6");
        assertTrue((Double) schedule.get("mean_decision_step") >= (Double) base.get("mean_decision_step"),
                "a higher bar at step 1 cannot make decisions earlier");
        Map<String, Object> moved = evaluateToJson(out.resolve("moved.json"), "--threshold", "0.9");
        assertTrue(((String) moved.get("decision_rule")).startsWith("threshold=0.9;"), moved.get("decision_rule").toString());
        Map<String, Object> mean = evaluateToJson(out.resolve("mean.json"), "--undecided", "MEAN_PROBABILITY");
        assertEquals("threshold=0.6;consecutive=1;minSteps=1;undecided=MEAN_PROBABILITY", mean.get("decision_rule"));
        assertEquals(base.get("mean_decision_step"), mean.get("mean_decision_step"), "the answer does not move decisions");
        assertEquals(base.get("accuracy_last_step"), mean.get("accuracy_last_step"));
    }

    @Test
    void theTableNamesTheSplitAndTheRule() {
        CliRun r = evaluate("--model", model.toString(), "--data", tiny.toString(), "--eval-thresholds", "0.7");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith(model + " on the 40 test digits of " + tiny + " (" + BINS + " steps, pulse spikes), decision rule "
                + "threshold=0.6;consecutive=1;minSteps=1"), r.out());
        assertTrue(r.out().contains("threshold 0.7"), r.out());
    }

    @Test
    void aModelOfAnotherTaskIsRefused() throws IOException {
        Path other = out.resolve("other.safetensors");
        ModelFiles.save(new RankCodingNetwork(new NetworkConfig(64, 3, 1, HeadType.SOFTMAX, 10), 1), 0.9, other);
        CliRun r = evaluate("--model", other.toString(), "--data", tiny.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("temporal-mnist-evaluate: " + other + ": not a temporal-MNIST model (its task is not recorded); write one with "
                + "temporal-mnist --save-model", r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void imagesOfAnotherSizeAreRefused(@TempDir Path larger) throws IOException {
        writeImages(larger, 20, 10);
        CliRun r = evaluate("--model", model.toString(), "--data", larger.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("temporal-mnist-evaluate: " + model + " expects 64 inputs per step, but the images of " + larger + " have 100 "
                + "pixels: the model was trained on other images", r.err().strip());
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsRead() {
        CliRun split = evaluate("--model", "missing.safetensors", "--split", "training");
        assertEquals(2, split.code(), split.err());
        assertTrue(split.err().startsWith("temporal-mnist-evaluate: --split = 'training', expected validation or test"), split.err());
        CliRun both = evaluate("--model", "missing.safetensors", "--threshold", "0.9", "--threshold-schedule", "0.9,0.8");
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().startsWith("temporal-mnist-evaluate: --threshold and --threshold-schedule both set the threshold"),
                both.err());
        CliRun answer = evaluate("--model", "missing.safetensors", "--undecided", "MEAN");
        assertEquals(2, answer.code(), answer.err());
        assertTrue(answer.err().contains("--undecided") && answer.err().contains("MEAN_PROBABILITY"), answer.err());
        CliRun range = evaluate("--model", "missing.safetensors", "--eval-thresholds", "0.4");
        assertEquals(2, range.code(), range.err());
        assertFalse(range.err().isBlank());
        CliRun registered = CliRun.of("temporal-mnist-evaluate", "--model", "missing.safetensors", "--split", "dev");
        assertEquals(2, registered.code(), "the subcommand of the examples' CLI: " + registered.err());
        assertTrue(registered.err().startsWith("temporal-mnist-evaluate: --split = 'dev'"), registered.err());
        CliRun missing = evaluate("--model", out.resolve("missing.safetensors").toString(), "--data", tiny.toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("temporal-mnist-evaluate: " + out.resolve("missing.safetensors")), missing.err());
    }
}
