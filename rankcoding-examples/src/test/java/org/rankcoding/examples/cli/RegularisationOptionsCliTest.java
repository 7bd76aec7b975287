package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.Augmentation;
import org.rankcoding.data.AugmentedSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.StratifiedSplit;
import org.rankcoding.examples.CliRun;
import org.rankcoding.train.StoppingMetric;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * The regularisation and early-stopping options of the training commands ({@code --weight-decay}, {@code --dropout},
 * {@code --input-dropout}, {@code --patience}, {@code --stopping-metric}) and the small-data options
 * ({@code --validation-fraction}, augmentation): bad values are one line naming the option, the value and the range;
 * good values reach the trainer's configuration; a short run with all of them trains.
 */
class RegularisationOptionsCliTest {

    private static final String[] TOY = {"noise-vs-signal", "--train-sequences", "256", "--test-sequences", "40",
            "--validation-sequences", "40", "--validate-every", "64", "--hidden", "3", "--length", "8", "--no-progress",
            "--no-plots"};

    private static CliRun toy(String... extra) {
        List<String> args = new ArrayList<>(List.of(TOY));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertOneLineRefusal(CliRun r, String start) {
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith(start), r.err());
    }

    @Test
    void badValuesAreOneLineNamingTheOptionAndTheRange() {
        assertOneLineRefusal(toy("--weight-decay", "-1"), "noise-vs-signal: --weight-decay = -1, expected a value in [0, 1]");
        assertOneLineRefusal(toy("--dropout", "1"), "noise-vs-signal: --dropout = 1, expected a value in [0, 1)");
        assertOneLineRefusal(toy("--input-dropout", "NaN"), "noise-vs-signal: --input-dropout = NaN, expected");
        assertOneLineRefusal(toy("--patience", "-2"), "noise-vs-signal: --patience = -2, expected a value in [0, 1000000]");
        CliRun metric = toy("--stopping-metric", "LOSS");
        assertEquals(2, metric.code(), metric.err());
        assertTrue(metric.err().contains("--stopping-metric") && metric.err().contains("ACCURACY"), metric.err());
    }

    @Test
    void patienceWithoutValidationDataIsRefusedInOneLine() {
        List<String> args = new ArrayList<>(List.of(TOY));
        args.set(args.indexOf("--validation-sequences") + 1, "0");
        args.addAll(List.of("--patience", "2"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertTrue(r.code() != 0, r.err());
        assertTrue(r.err().contains("--patience = 2") && r.err().contains("no validation batches"), r.err());
    }

    @Test
    void aShortRunWithEveryOptionTrainsAndReportsThemInItsJson(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("r.json");
        CliRun r = toy("--layers", "2", "--dropout", "0.2", "--input-dropout", "0.1", "--weight-decay", "0.01", "--patience",
                "2", "--stopping-metric", "HARMONIC_MEAN", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        String text = Files.readString(json).replaceAll("\\s", "");
        for (String key : List.of("\"weight_decay\":0.01", "\"dropout\":0.2", "\"input_dropout\":0.1",
                "\"patience\":2", "\"stopping_metric\":\"HARMONIC_MEAN\"", "\"stopped_early\":")) {
            assertTrue(text.contains(key), key + " in " + text.substring(0, Math.min(600, text.length())));
        }
    }

    @Test
    void theOptionsReachTheConfiguration() {
        TrainingOptions o = new TrainingOptions();
        new CommandLine(new Holder(o)).parseArgs("--weight-decay", "0.05", "--dropout", "0.3", "--input-dropout", "0.1",
                "--patience", "4", "--stopping-metric", "ACCURACY_LAST_STEP");
        TrainerConfig c = o.configBuilder().build();
        assertEquals(0.05, c.weightDecay());
        assertEquals(0.3, c.dropout());
        assertEquals(0.1, c.inputDropout());
        assertEquals(4, c.patience());
        assertEquals(StoppingMetric.ACCURACY_LAST_STEP, c.stoppingMetric());
        TrainingOptions defaults = new TrainingOptions();
        new CommandLine(new Holder(defaults)).parseArgs();
        assertEquals(TrainerConfig.builder().build().toBuilder().threshold(0.95).build(), defaults.configBuilder().build(),
                "without the options, the library's defaults");
    }

    @Test
    void smallDataOptionsSplitAndAugmentAndCheckTheirRanges() {
        SmallDataOptions o = new SmallDataOptions();
        new CommandLine(new SmallHolder(o)).parseArgs("--validation-fraction", "0.25", "--jitter", "0.1", "--warp-window", "0.2");
        List<LabeledSequence> data = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            data.add(new LabeledSequence(new double[][]{{i}, {i + 1}}, i % 2));
        }
        StratifiedSplit s = o.split(data, 1).orElseThrow();
        assertEquals(10, s.validation().size());
        BatchSource plain = new InMemorySequences(s.train(), 2);
        assertTrue(o.augment(plain) instanceof AugmentedSource);

        SmallDataOptions none = new SmallDataOptions();
        new CommandLine(new SmallHolder(none)).parseArgs();
        assertTrue(none.split(data, 1).isEmpty());
        assertSame(plain, none.augment(plain));

        SmallDataOptions badJitter = new SmallDataOptions();
        new CommandLine(new SmallHolder(badJitter)).parseArgs("--jitter", "-0.1");
        assertIllegalArgument(badJitter::check, "jitter = -0.1", ">= 0");

        SmallDataOptions slice = new SmallDataOptions();
        new CommandLine(new SmallHolder(slice)).parseArgs("--slice", "0.8");
        assertEquals(Augmentation.NONE.withWindowSlice(0.8), slice.augmentation());

        SmallDataOptions crop = new SmallDataOptions();
        new CommandLine(new SmallHolder(crop)).parseArgs("--crop", "0.5");
        assertEquals(Augmentation.NONE.withCrop(0.5), crop.augmentation());
    }

    @CommandLine.Command(name = "holder")
    static final class Holder {
        @CommandLine.Mixin
        final TrainingOptions options;

        Holder(TrainingOptions options) {
            this.options = options;
        }
    }

    @CommandLine.Command(name = "small")
    static final class SmallHolder {
        @CommandLine.Mixin
        final SmallDataOptions options;

        SmallHolder(SmallDataOptions options) {
            this.options = options;
        }
    }
}
