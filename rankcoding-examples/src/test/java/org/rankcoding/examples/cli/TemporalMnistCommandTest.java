package org.rankcoding.examples.cli;

import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.IdxBytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.datasets.idx.IdxReader;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.datasets.mnist.Mnist;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.kernel.Kernels;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * The temporal-mnist subcommand end to end on a tiny made-up data set in MNIST's file format (80 training and 32 test
 * digits of 8 x 8 pixels; the runs hold out the last 16 training digits for validation and train on 64), loaded without
 * MNIST's size checks; and its error for missing files through the real {@link Mnist#load}.
 */
class TemporalMnistCommandTest {

    private static final int SIDE = 8;
    private static final int TRAIN = 80;
    private static final int TEST = 32;
    private static final int BINS = 20;

    /** The keys every task's JSON has at the top level (see {@link ResultJson#header}). */
    private static final List<String> TOP_KEYS = List.of("task", "seed", "threshold", "decision_rule", "beta", "hidden", "layers", "batch",
            "learning_rate", "lr_schedule", "horizon", "clip", "threads", "sequence_length", "generator", "kernels",
            "train_example_steps_forward_ratio", "train_example_steps_backward_ratio");
    /** The keys every task's model object has (see {@link ResultJson#model}), and those temporal-mnist adds. */
    private static final List<String> MODEL_KEYS = List.of("loss_mode", "beta", "accuracy_first_spike", "accuracy_last_step",
            "mean_decision_step", "median_decision_step", "no_spike_fraction", "earliness", "harmonic_mean",
            "train_example_steps_forward", "train_example_steps_backward", "train_sequences", "train_batches", "train_seconds",
            "test_sequences", "test_example_steps_early_exit", "test_seconds_early_exit", "decision_histogram", "validation",
            "fraction_decided_step_1", "correct_by_decision_step", "accuracy_by_decision_step", "fraction_by_decision_step",
            "train_example_steps_eos_equivalent", "train_wall_seconds", "mean_epoch_seconds", "epoch_seconds", "parameters", "epochs");

    @TempDir
    static Path dataDir;

    @BeforeAll
    static void writeTinyData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        SplittableRandom rng = new SplittableRandom(3);
        write(Mnist.TRAIN_IMAGES, images(TRAIN, rng));
        write(Mnist.TRAIN_LABELS, labels(TRAIN));
        write(Mnist.TEST_IMAGES, images(TEST, rng));
        write(Mnist.TEST_LABELS, labels(TEST));
    }

    private static void write(String name, byte[] content) throws IOException {
        Files.write(dataDir.resolve(name), content);
    }

    /** Digit i of class i % 10: a bright bar in a class-specific row or column, a dimmer pixel cloud, black background. */
    private static byte[] images(int count, SplittableRandom rng) throws IOException {
        byte[] px = new byte[count * SIDE * SIDE];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            for (int k = 0; k < SIDE; k++) {
                int r = label < 5 ? label + 1 : k;
                int c = label < 5 ? k : label - 4;
                px[i * SIDE * SIDE + r * SIDE + c] = (byte) (200 + rng.nextInt(56));
            }
            for (int k = 0; k < 6; k++) {
                px[i * SIDE * SIDE + rng.nextInt(SIDE * SIDE)] = (byte) (40 + rng.nextInt(150));
            }
        }
        return IdxBytes.of(new int[] {count, SIDE, SIDE}, px);
    }

    private static byte[] labels(int count) throws IOException {
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) (i % 10);
        }
        return IdxBytes.of(new int[] {count}, l);
    }

    /** Reads the four files like {@link Mnist#load}, without requiring MNIST's 60,000 + 10,000 digits of 28 x 28. */
    private static Mnist loadAnySize(Path dir) throws IOException {
        return new Mnist(IdxReader.readImages(Mnist.locate(dir, Mnist.TRAIN_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TRAIN_LABELS)),
                IdxReader.readImages(Mnist.locate(dir, Mnist.TEST_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TEST_LABELS)));
    }

    /** Runs the command on the tiny data set with a tiny network. */
    private static CliRun tiny(String... args) {
        String[] base = {"--data", dataDir.toString(), "--hidden", "8", "--batch", "16", "--validation-limit", "16", "--threads", "1",
                "--no-progress"};
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        CommandLine cl = new CommandLine(new TemporalMnistCommand(TemporalMnistCommandTest::loadAnySize));
        cl.setExecutionStrategy(new TaskExecution());
        cl.setOverwrittenOptionsAllowed(true); // a test may override an option of the base set
        return CliRun.of(cl, all);
    }

    /** Runs the CLI as {@code main} does (real {@link Mnist#load}). */
    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> json, String key) {
        Object v = json.get(key);
        assertTrue(v instanceof Map, key + " is not an object: " + v);
        return (Map<String, Object>) v;
    }

    private static double sum(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> v == null ? 0 : (Double) v).sum();
    }

    @Test
    void trainsReportsAndWritesJsonAndPictures(@TempDir Path out) throws IOException {
        Path json = out.resolve("result/tm.json");
        Path plots = out.resolve("plots");
        CliRun r = tiny("--epochs", "2", "--json", json.toString(), "--plots", plots.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        for (String row : List.of("accuracy at first spike", "mean decision step (of 20)", "fraction decided at step 1",
                "training example-steps forward", "training example-steps backward", "EOS-equivalent example-steps (digits x 20)",
                "mean epoch time (s)", "training time, total wall (s)", "model parameters", "decisions by step on the test set")) {
            assertTrue(r.out().contains(row), "the report lacks '" + row + "':\n" + r.out());
        }

        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        for (String key : TOP_KEYS) {
            assertTrue(top.containsKey(key), "JSON lacks " + key);
        }
        assertEquals("temporal-mnist", top.get("task"));
        assertEquals(20.0, top.get("sequence_length"));
        assertEquals(16.0, top.get("batch"));
        assertEquals(1e-3, top.get("learning_rate"));
        assertEquals("PER_CLASS_SIGMOID", top.get("head"));
        Map<String, Object> data = object(top, "generator");
        assertEquals(64.0, data.get("train_digits"));
        assertEquals(32.0, data.get("test_digits"));
        assertEquals(16.0, data.get("validation_digits"));
        assertEquals("training digits held out (the last 16 of the training set)", data.get("validation_source"));
        assertTrue(r.out().contains("training on 64 images x 2 epochs") && r.out().contains("validating after each epoch on 16 "
                + "training images held out, testing on 32"), r.out());

        Map<String, Object> m = object(top, "rc");
        for (String key : MODEL_KEYS) {
            assertTrue(m.containsKey(key), "model lacks " + key);
        }
        assertEquals("RANK_CODING", m.get("loss_mode"));
        assertEquals(128.0, m.get("train_sequences"), "64 digits x 2 epochs");
        assertEquals(32.0, m.get("test_sequences"));
        assertEquals(128.0 * BINS, m.get("train_example_steps_eos_equivalent"));
        double forward = (Double) m.get("train_example_steps_forward");
        assertTrue(forward >= 128 && forward <= 128.0 * BINS, "forward example-steps " + forward);
        assertEquals(forward / (128.0 * BINS), (Double) top.get("train_example_steps_forward_ratio"), 1e-12);
        assertEquals(BINS, ((List<?>) m.get("decision_histogram")).size());
        assertEquals(32.0, sum(m.get("decision_histogram")), "every test digit decided once");
        double correct = sum(m.get("correct_by_decision_step"));
        assertEquals((Double) m.get("accuracy_first_spike") * 32, correct, 1e-9, "correct decisions add up to the accuracy");
        assertEquals(BINS, ((List<?>) m.get("accuracy_by_decision_step")).size());
        assertEquals(1.0, sum(m.get("fraction_by_decision_step")), 1e-12);
        double step1 = (Double) m.get("fraction_decided_step_1");
        assertEquals(((Double) ((List<?>) m.get("decision_histogram")).get(0)) / 32, step1, 1e-12);
        assertEquals(2, ((List<?>) m.get("validation")).size(), "one validation per epoch");
        assertEquals(2, ((List<?>) m.get("epochs")).size());
        assertEquals(2, ((List<?>) m.get("epoch_seconds")).size());
        // 1 layer, input 64, hidden 8: LSTM 4*8*(64 + 8) + 2*4*8, readout 8*10 + 10
        assertEquals(4.0 * 8 * (64 + 8) + 2 * 4 * 8 + 8 * 10 + 10, m.get("parameters"));

        for (String name : List.of("encoding", "decision-histogram", "accuracy-by-step", "training")) {
            Path png = plots.resolve("temporal-mnist-" + name + ".png");
            assertTrue(Files.isRegularFile(png) && Files.size(png) > 1000, png + " is missing or empty");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not a readable PNG");
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, png + " is too small");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sweepOverTheTinyDigits(@TempDir Path out) throws IOException {
        String[] args = {"--betas", "0,0.1", "--eval-thresholds", "0.6,0.95", TemporalMnistCommand.TASK, "--data", dataDir.toString(),
                "--hidden", "8", "--batch", "16", "--validation-limit", "16", "--threads", "1", "--no-progress", "--epochs", "1",
                "--json", out.resolve("sweep.json").toString(), "--plots", out.resolve("plots").toString()};
        CommandLine cl = new CommandLine(new SweepCommand(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == TemporalMnistCommand.class ? cls.cast(new TemporalMnistCommand(TemporalMnistCommandTest::loadAnySize))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setExecutionStrategy(new TaskExecution());
        CliRun r = CliRun.of(cl, args);
        assertEquals(0, r.code(), r.err() + "\n" + r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(out.resolve("sweep.json")));
        assertEquals("temporal-mnist", top.get("task"));
        List<Object> grid = (List<Object>) top.get("rc_grid");
        assertEquals(2, grid.size());
        Map<String, Object> eos = object(top, "eos");
        assertEquals(2, ((List<Object>) eos.get("threshold_sweep")).size());
        List<Object> validation = (List<Object>) eos.get("validation");
        Map<String, Object> last = (Map<String, Object>) validation.get(validation.size() - 1);
        assertEquals(10, ((List<Object>) last.get("mean_decision_step_per_class")).size(), "per-digit decision steps");
        assertEquals(1 + 2 + 2 * 2 + 2, Files.readAllLines(out.resolve("sweep.csv")).size());
        assertTrue(Files.size(out.resolve("plots/temporal-mnist-sweep-dynamics-steps.png")) > 1000);
    }

    @Test
    void limitsAndTheEndOfSequenceBaseline(@TempDir Path out) throws IOException {
        Path json = out.resolve("eos.json");
        CliRun r = tiny("--eos", "--epochs", "1", "--train-limit", "32", "--test-limit", "20", "--validation-limit", "0", "--no-plots",
                "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        Map<String, Object> m = object(top, "eos");
        assertEquals(32.0, m.get("train_sequences"));
        assertEquals(20.0, m.get("test_sequences"));
        assertEquals(32.0 * BINS, m.get("train_example_steps_forward"), "the EOS loss runs every digit to its end");
        assertEquals(32.0 * BINS, m.get("train_example_steps_backward"));
        assertEquals(1.0, top.get("train_example_steps_forward_ratio"));
        assertEquals(0, ((List<?>) m.get("validation")).size());
        assertEquals(1, ((List<?>) m.get("epochs")).size(), "epochs are recorded without validation too");
        assertTrue(Files.notExists(out.resolve("temporal-mnist-encoding.png")));
    }

    @Test
    void anInterruptedRunResumedFromACheckpointReportsTheSame(@TempDir Path out) throws IOException {
        String kernels = System.getProperty(Kernels.PROPERTY);
        System.setProperty(Kernels.PROPERTY, "blocked"); // the comparison is bit for bit; see CheckpointCliTest
        try {
            // 3 epochs of 4 batches, a checkpoint every 3 batches: the one at batch 6 is in the middle of epoch 2
            String[] run = {"--epochs", "3", "--checkpoint-every", "3", "--checkpoint-keep", "10", "--no-plots"};
            Path full = out.resolve("full");
            CliRun a = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", full.toString(), "--json", out.resolve("a.json").toString()));
            assertEquals(0, a.code(), a.err() + a.out());

            Path interrupted = out.resolve("interrupted");
            CheckpointCliTest.copyUpTo(full, interrupted, "rc", 6);
            CliRun b = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", interrupted.toString(), "--resume", "--json",
                    out.resolve("b.json").toString()));
            assertEquals(0, b.code(), b.err() + b.out());
            assertTrue(b.out().contains("rc: resuming from"), b.out());
            // the epochs' training loss and validations included: the report's state is in the checkpoint
            assertEquals(CheckpointCliTest.results(out.resolve("a.json")), CheckpointCliTest.results(out.resolve("b.json")));

            CliRun otherLimit = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", full.toString(), "--resume", "--train-limit", "48"));
            assertEquals(1, otherLimit.code());
            assertTrue(otherLimit.err().contains("trainSequences = 192 in the checkpoint, 144 here"), otherLimit.err());
            // the same 64 digits trained on, but no held-out validation: another run, refused
            CliRun otherValidation = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", full.toString(), "--resume", "--validation-limit",
                    "0", "--train-limit", "64"));
            assertEquals(1, otherValidation.code());
            assertTrue(otherValidation.err().contains("validation_digits = 16 in the checkpoint, 0 here; validation_source = training digits "
                    + "held out (the last 16 of the training set) in the checkpoint, none here"), otherValidation.err());
            CliRun dense = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", full.toString(), "--resume", "--dense-input"));
            assertEquals(1, dense.code());
            assertTrue(dense.err().contains("input = sparse in the checkpoint, dense here"), dense.err());
            // another network's shape: refused before any training, every difference listed
            CliRun shape = tiny(CheckpointCliTest.concat(run, "--checkpoint-dir", interrupted.toString(), "--resume", "--hidden", "12",
                    "--layers", "2", "--head", "SOFTMAX", "--conv-channels", "2"));
            assertEquals(1, shape.code(), shape.err());
            assertTrue(shape.err().contains("hiddenSize = 8 in the checkpoint, 12 here; layers = 1 in the checkpoint, 2 here; "
                    + "head = PER_CLASS_SIGMOID in the checkpoint, SOFTMAX here; frontEnd = none in the checkpoint, conv:channels=2,"), shape.err());
            assertFalse(shape.out().contains("resuming from"), shape.out());
        } finally {
            if (kernels == null) {
                System.clearProperty(Kernels.PROPERTY);
            } else {
                System.setProperty(Kernels.PROPERTY, kernels);
            }
        }
    }

    /** The command parsed from the tiny run's arguments and {@code args}, not yet run. */
    private static TemporalMnistCommand parsed(String... args) {
        String[] base = {"--data", dataDir.toString(), "--hidden", "8", "--batch", "16", "--validation-limit", "16", "--threads", "1",
                "--no-progress", "--no-plots"};
        TemporalMnistCommand command = new TemporalMnistCommand(TemporalMnistCommandTest::loadAnySize);
        CommandLine cl = new CommandLine(command);
        cl.setOverwrittenOptionsAllowed(true);
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        cl.parseArgs(all);
        return command;
    }

    /** Each row of {@code batches} as text that identifies the digit: its label and the pixels that fire at each step. */
    private static List<String> digits(List<SequenceBatch> batches) {
        List<String> out = new ArrayList<>();
        for (SequenceBatch b : batches) {
            assertTrue(b.isSparse(), "the tiny runs feed sparse events");
            for (int r = 0; r < b.batchSize(); r++) {
                StringBuilder sb = new StringBuilder("label ").append(b.label(r));
                for (int t = 0; t < b.length(r); t++) {
                    int c = b.sparseCell(t, r);
                    sb.append(" | ").append(Arrays.toString(Arrays.copyOfRange(b.sparseIndices(), b.sparseStart()[c], b.sparseStart()[c + 1])));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** One epoch of the training source: every digit trained on, once. */
    private static List<String> oneEpoch(BatchSource source, int size) {
        source.reset();
        List<SequenceBatch> batches = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(5);
        for (int rows = 0; rows < size; rows += batches.get(batches.size() - 1).batchSize()) {
            batches.add(source.nextBatch(size - rows, rng));
        }
        return digits(batches);
    }

    @Test
    void validationDigitsAreHeldOutOfTheTrainingSetNeverTheTestDigits() throws Exception {
        Experiment e = parsed("--epochs", "1").prepare(new PrintWriter(new StringWriter()));
        List<String> validation = digits(e.validation());
        List<String> test = digits(e.test());
        List<String> trained = oneEpoch(e.sources().get(), TRAIN - 16);
        assertEquals(16, validation.size());
        assertEquals(TEST, test.size());
        assertEquals(TRAIN - 16, trained.size());
        Set<String> overlap = new HashSet<>(validation);
        overlap.retainAll(test);
        assertEquals(0, overlap.size(), overlap.size() + " of the 16 validation digits are test digits");
        overlap = new HashSet<>(validation);
        overlap.retainAll(trained);
        assertEquals(0, overlap.size(), overlap.size() + " of the 16 validation digits are trained on");
        Set<String> all = new HashSet<>(validation);
        all.addAll(test);
        all.addAll(trained);
        assertEquals(TRAIN + TEST, all.size(), "the made-up digits are all different, so the overlaps above would show");
        // which: the last 16 of the training file, the same for any --train-limit and --seed
        MnistDigits file = MnistDigits.load(TemporalMnistCommandTest::loadAnySize, dataDir, null, 0, null,
                new MnistDigits.Coding(BINS, BatchForm.SPARSE, "pulse", 0, 0, 4)).train();
        assertEquals(digits(List.of(file.batch(TRAIN - 16, TRAIN))), validation);
        assertEquals(new HashSet<>(digits(List.of(file.batch(0, 20)))), new HashSet<>(oneEpoch(parsed("--train-limit", "20", "--seed",
                "7").prepare(new PrintWriter(new StringWriter())).sources().get(), 20)), "--train-limit counts the first digits trained on");
        assertEquals(validation, digits(parsed("--train-limit", "20", "--seed", "7").prepare(new PrintWriter(new StringWriter())).validation()));

        Experiment none = parsed("--validation-limit", "0").prepare(new PrintWriter(new StringWriter()));
        assertEquals(List.of(), none.validation());
        assertEquals(TRAIN, oneEpoch(none.sources().get(), TRAIN).size(), "no validation: every training digit is trained on");
    }

    @Test
    void limitsThatLeaveNothingToTrainOnAreRefused() {
        assertIllegalArgument(() -> parsed("--validation-limit", "80").prepare(new PrintWriter(new StringWriter())),
                "--validation-limit = 80 would hold out all 80 training digits for validation and leave none to train on; "
                        + "give at most 79 (0 for no validation)");
        CliRun all = tiny("--validation-limit", "100");
        assertEquals(2, all.code(), all.err());
        assertTrue(all.err().contains("--validation-limit = 100 would hold out all 80 training digits"), all.err());
        assertEquals("", all.out(), "refused before training");
        CliRun tooMany = tiny("--validation-limit", "70", "--train-limit", "20");
        assertEquals(2, tooMany.code(), tooMany.err());
        assertTrue(tooMany.err().contains("--train-limit = 20, but the training set has only 80 digits, and --validation-limit = 70 "
                + "holds out the last 70 for validation, so at most 10 are left to train on"), tooMany.err());
        CliRun fits = tiny("--validation-limit", "70", "--train-limit", "10", "--epochs", "1", "--no-plots");
        assertEquals(0, fits.code(), fits.err());
        assertTrue(fits.out().contains("training on 10 images x 1 epoch") && fits.out().contains("validating after each epoch on 70 "
                + "training images held out"), fits.out());
    }

    @Test
    void missingDataSaysWhatToRun(@TempDir Path empty) throws IOException {
        Path nowhere = empty.resolve("mnist");
        CliRun r = cli("temporal-mnist", "--data", nowhere.toString(), "--no-progress");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("scripts/fetch-mnist " + nowhere), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
        assertTrue(!r.err().contains("Exception"), "a message, not a stack trace: " + r.err());

        Files.createDirectories(nowhere);
        Files.copy(dataDir.resolve(Mnist.TEST_LABELS), nowhere.resolve(Mnist.TEST_LABELS));
        CliRun partial = cli("temporal-mnist", "--data", nowhere.toString(), "--no-progress");
        assertEquals(1, partial.code());
        assertTrue(partial.err().contains("train-images-idx3-ubyte") && partial.err().contains("scripts/fetch-mnist " + nowhere),
                partial.err());
        assertTrue(!partial.err().contains("t10k-labels"), "that file is there: " + partial.err());
    }

    @Test
    void helpListsTheOptionsAndBadOptionsAreUsageErrors() {
        CliRun help = cli("temporal-mnist", "--help");
        assertEquals(0, help.code());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : List.of("--data", "--bins", "--epochs", "--train-limit", "--test-limit", "--validation-limit", "--head",
                "--batch", "--lr", "--lr-schedule", "--hidden", "--layers", "--threshold", "--beta", "--threads", "--seed", "--json",
                "--plots", "--no-progress", "--checkpoint-dir", "--checkpoint-every", "--checkpoint-keep", "--resume", "scripts/fetch-mnist")) {
            assertTrue(text.contains(option), "help lacks " + option + ":\n" + help.out());
        }
        for (String defaults : List.of("default: data/mnist", "default: 20", "default: 30", "default: 256", "default: 1e-3",
                "default: 125", "default: 0.95", "default: PER_CLASS_SIGMOID", "default: target/plots")) {
            assertTrue(text.contains(defaults), "help lacks '" + defaults + "':\n" + help.out());
        }
        CliRun binary = cli("temporal-mnist", "--head", "BINARY_SIGMOID");
        assertEquals(2, binary.code());
        assertTrue(binary.err().contains("PER_CLASS_SIGMOID or SOFTMAX"), binary.err());
        CliRun epochs = cli("temporal-mnist", "--epochs", "0");
        assertEquals(2, epochs.code());
        assertTrue(epochs.err().contains("--epochs = 0"), epochs.err());
        CliRun limit = tiny("--train-limit", "100");
        assertEquals(2, limit.code());
        assertTrue(limit.err().contains("--train-limit = 100, but the training set has only 80 digits, and --validation-limit = 16 "
                + "holds out the last 16 for validation, so at most 64 are left to train on; lower --train-limit or --validation-limit"),
                limit.err());
        CliRun noValidation = tiny("--train-limit", "100", "--validation-limit", "0");
        assertEquals(2, noValidation.code());
        assertTrue(noValidation.err().contains("--train-limit = 100, but the training set has only 80 digits"), noValidation.err());
    }

    @Test
    void aGoalChoosesTheReadOutThresholdOnTheValidationDigitsAndReportsTheTestThere(@TempDir Path out) throws Exception {
        Path json = out.resolve("goal.json");
        Path model = out.resolve("goal.safetensors");
        String[] thresholds = {"--eval-thresholds", "0.55,0.6,0.7,0.8,0.9,0.95,0.99"};
        CliRun r = tiny("--epochs", "2", "--no-plots", "--json", json.toString(), "--save-model", model.toString(),
                "--goal", "earliness:0.5", thresholds[0], thresholds[1]);
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("operating point chosen on the 16 held-out validation items for the goal \"most accurate "
                + "within mean earliness 0.500\""), r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        Map<String, Object> rc = object(top, "rc");
        Map<String, Object> point = object(rc, "operating_point");
        // the same choice, made here from the saved model on the held-out digits the command validated on
        Experiment e = parsed("--epochs", "2").prepare(new PrintWriter(new StringWriter()));
        double[] candidates = {0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99};
        org.rankcoding.io.LoadedModel loaded = org.rankcoding.io.ModelFiles.load(model);
        List<org.rankcoding.eval.Evaluation> validation = org.rankcoding.eval.ThresholdSweep.sweep(loaded.network(),
                e.validation(), loaded.decisionRule(), candidates, 1.0);
        int best = -1;
        for (int i = 0; i < candidates.length; i++) {
            org.rankcoding.eval.Evaluation v = validation.get(i);
            if (v.earliness() <= 0.5 && (best < 0 || v.accuracyFirstSpike() > validation.get(best).accuracyFirstSpike()
                    || v.accuracyFirstSpike() == validation.get(best).accuracyFirstSpike()
                    && v.earliness() < validation.get(best).earliness())) {
                best = i;
            }
        }
        int expected = best >= 0 ? best : 0;
        assertEquals(candidates[expected], point.get("threshold"), "the choice is the validation digits' own");
        assertEquals(best >= 0, point.get("goal_met_on_validation"));
        assertEquals(validation.get(expected).accuracyFirstSpike(), object(point, "validation").get("accuracy_first_spike"));
        @SuppressWarnings("unchecked")
        List<Object> curve = (List<Object>) rc.get("threshold_curve");
        assertEquals(curve.get(expected), point.get("test"), "the test result is the test curve's point at that threshold");

        CliRun noCandidates = tiny("--goal", "hm");
        assertEquals(2, noCandidates.code());
        assertTrue(noCandidates.err().contains("--goal chooses among the thresholds of --eval-thresholds"), noCandidates.err());
        CliRun noValidation = tiny("--goal", "hm", "--validation-limit", "0", thresholds[0], thresholds[1]);
        assertEquals(2, noValidation.code());
        assertTrue(noValidation.err().contains("--validation-limit is 0"), noValidation.err());
        CliRun bad = tiny("--goal", "earliness:2", thresholds[0], thresholds[1]);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--goal = earliness:2, expected hm, within:POINTS"), bad.err());
    }

    @Test
    void aConvolutionalFrontEndIsTrainedReportedAndRecorded(@TempDir Path out) throws IOException {
        Path json = out.resolve("conv.json");
        Path model = out.resolve("conv.safetensors");
        CliRun r = tiny("--conv-channels", "2", "--conv-channels2", "3", "--conv-kernel", "3", "--conv-pool", "2", "--epochs", "1",
                "--test-limit", "20", "--validation-limit", "0", "--no-plots", "--json", json.toString(), "--step-warmup", "16",
                "--eval-thresholds", "0.6,0.9", "--save-model", model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("convolutional front end: 2 filters of 3 x 3, max-pool 2 x 2, ReLU; then 3 filters of 2 x 3 x 3"), r.out());
        assertTrue(r.out().contains("length curriculum: training digits cut after 1 + s / 16 steps"), r.out());
        assertTrue(r.out().contains("the same model at other thresholds"), r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertTrue(String.valueOf(top.get("front_end")).startsWith("conv:channels=2,kernel=3,pool=2,"), String.valueOf(top.get("front_end")));
        assertTrue(String.valueOf(top.get("front_end")).endsWith(",channels2=3"), String.valueOf(top.get("front_end")));
        @SuppressWarnings("unchecked")
        List<Object> curve = (List<Object>) object(top, "rc").get("threshold_curve");
        assertEquals(2, curve.size());
        assertEquals(0.9, ((Map<?, ?>) curve.get(1)).get("threshold"));
        assertEquals(org.rankcoding.nn.ConvFrontEndConfig.parse(String.valueOf(top.get("front_end"))),
                org.rankcoding.io.ModelFiles.load(model).config().frontEnd(), "the saved model has the trained front end");

        CliRun even = tiny("--conv-channels", "2", "--conv-kernel", "4");
        assertEquals(2, even.code());
        assertTrue(even.err().contains("--conv-channels/--conv-channels2/--conv-kernel/--conv-pool") && even.err().contains("kernel = 4"), even.err());
        CliRun negative = tiny("--conv-channels", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--conv-channels = -1, expected a value in [0, 1024] (0 for no front end)"), negative.err());
        CliRun plain = tiny("--epochs", "1", "--test-limit", "20", "--validation-limit", "0", "--no-plots", "--json",
                out.resolve("plain.json").toString());
        assertEquals(0, plain.code(), plain.err());
        assertEquals("none", JsonTree.parseObject(Files.readString(out.resolve("plain.json"))).get("front_end"));
        assertEquals("pulse", JsonTree.parseObject(Files.readString(out.resolve("plain.json"))).get("spike_coding"));
        assertTrue(plain.out().contains("sparse event, pulse-coded input"), plain.out());
    }

    @Test
    void heldCodingAndAnIntegratingFrontEndAreTrainedAndRecorded(@TempDir Path out) throws IOException {
        Path json = out.resolve("held.json");
        CliRun r = tiny("--spike-coding", "held", "--conv-channels", "2", "--conv-kernel", "3", "--epochs", "1", "--test-limit", "20",
                "--validation-limit", "0", "--no-plots", "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("sparse event, held-coded input"), r.out());
        assertEquals("held", JsonTree.parseObject(Files.readString(json)).get("spike_coding"));
        CliRun integrating = tiny("--conv-integrate", "--conv-channels", "2", "--conv-kernel", "3", "--epochs", "1", "--test-limit", "20",
                "--validation-limit", "0", "--no-plots", "--json", out.resolve("integrating.json").toString());
        assertEquals(0, integrating.code(), integrating.err() + integrating.out());
        assertTrue(integrating.out().contains("integrating (each step convolves the events so far) convolutional front end: 2 filters"),
                integrating.out());
        assertTrue(String.valueOf(JsonTree.parseObject(Files.readString(out.resolve("integrating.json"))).get("front_end"))
                .endsWith(",integrate=true"));
        CliRun noFront = tiny("--conv-integrate");
        assertEquals(2, noFront.code());
        assertTrue(noFront.err().contains("--conv-integrate needs a front end"), noFront.err());
        CliRun bad = tiny("--spike-coding", "hold"); // no CLI error handler here: the library's words
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("spikeCoding = hold, expected pulse or held (in any case)"), bad.err());
    }
    @Test
    void aModelThatCannotBeWrittenWhereAskedGoesToAFallbackFile(@TempDir Path out) throws IOException {
        Path model = out.resolve("models/m.safetensors");
        Path json = out.resolve("r.json");
        // the pre-flight passes; then, while the data load, the model's path becomes a directory
        CommandLine cl = new CommandLine(new TemporalMnistCommand(dir -> {
            Files.createDirectories(model);
            return loadAnySize(dir);
        }));
        cl.setExecutionStrategy(new TaskExecution());
        CliRun r = CliRun.of(cl, "--data", dataDir.toString(), "--hidden", "8", "--batch", "16", "--validation-limit", "16",
                "--threads", "1", "--no-progress", "--epochs", "1", "--save-model", model.toString(), "--json", json.toString(),
                "--no-plots");
        assertEquals(1, r.code(), "a model not written where asked fails the run: " + r.err() + r.out());
        assertTrue(r.err().startsWith("temporal-mnist: could not write --save-model " + model), r.err());
        String marker = "the trained model was written to ";
        int at = r.err().indexOf(marker);
        assertTrue(at > 0, r.err());
        Path fallback = Path.of(r.err().substring(at + marker.length(), r.err().indexOf(" instead", at)));
        try {
            assertTrue(r.out().contains("wrote " + fallback), r.out());
            assertEquals(8, org.rankcoding.io.ModelFiles.load(fallback).config().hiddenSize(), "the trained model is not lost");
            assertTrue(Files.isRegularFile(json), "the other outputs are still written");
        } finally {
            Files.deleteIfExists(fallback);
        }
    }
}
