package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.RankCodingCli;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values that are valid numbers but nonsense for the option (a learning rate of 1e10, a shift that moves every digit
 * off the image, a threshold list with no member) are refused before any work, by the one check of the declared
 * ranges ({@link Range}, {@link OptionBounds}), naming the option, the value and the range.
 */
class OptionBoundsCliTest {

    /** Options of any value: a seed is any long. */
    private static final Set<String> UNBOUNDED = Set.of("--seed");

    private static final String[] TINY_TOY = {"--train-sequences", "256", "--test-sequences", "40", "--validation-sequences", "0",
            "--hidden", "2", "--length", "12", "--no-progress", "--no-plots"};

    private static CliRun refused(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(2, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out(), "refused before any work");
        return r;
    }

    private static void refusedNaming(String expected, String... args) {
        CliRun r = refused(args);
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains(expected), first);
    }

    @Test
    void anAbsurdLearningRateIsRefusedWithTheRange() {
        refusedNaming("--lr = 1e10, expected a value in (0, 1]", "noise-vs-signal", "--lr", "1e10");
        refusedNaming("--lr = 1e308, expected a value in (0, 1]", "temporal-mnist", "--lr", "1e308");
        refusedNaming("--lr = 2, expected a value in (0, 1]", "keyword-spotting", "--lr", "2");
        refusedNaming("--lr = NaN", "bench", "--lr", "NaN");
    }

    @Test
    void aShiftBeyondHalfTheImageIsRefused() {
        refusedNaming("--shift = 1000, expected a value in [0, 14]", "temporal-mnist", "--shift", "1000");
        refusedNaming("--shift = 15", "temporal-mnist", "--shift", "15");
    }

    @Test
    void otherNonsenseValuesAreRefused() {
        refusedNaming("--mean = 1e308, expected a value in (0, 100]", "noise-vs-signal", "--mean", "1e308");
        refusedNaming("--step-warmup = 99999999999, expected a value in [0, 1000000000] (0 for none)", "sequence-of-five",
                "--step-warmup", "99999999999");
        refusedNaming("--change-point = 0, expected a value in [1, 100000]", "noise-vs-signal", "--change-point", "0");
        refusedNaming("--threads = 1000, expected a value in [1, 256]", "noise-vs-signal", "--threads", "1000");
        refusedNaming("--threads = 1000, expected a value in [1, 256]", "bench", "--threads", "1000");
        refusedNaming("--elastic-alpha = 1e6", "temporal-mnist", "--elastic-alpha", "1e6");
        refusedNaming("--threshold = 1.5", "keyword-stream", "--model", "m.safetensors", "--threshold", "1.5", "x.wav");
        refusedNaming("--checkpoint-keep = 0, expected a value in [1, 1000]", "noise-vs-signal", "--checkpoint-keep", "0");
        refusedNaming("--horizon = -1, expected a value in [0, 1000000] (0 for unlimited)", "sequence-of-five", "--horizon", "-1");
        refusedNaming("--validation-sequences = -1, expected a value in [0, 10000000] (0 for no validation)", "noise-vs-signal",
                "--validation-sequences", "-1");
        refusedNaming("--epochs = 0, expected a value in [1, 100000]", "keyword-spotting", "--epochs", "0");
    }

    @Test
    void everyValueOutOfRangeIsNamedInOneLine() {
        refusedNaming("--hidden = 0, expected a value in [1, 65536]; --lr = 1e10, expected a value in (0, 1]", "noise-vs-signal",
                "--hidden", "0", "--lr", "1e10");
    }

    @Test
    void anEmptyOrBadListIsRefused() {
        refusedNaming("--thetas: an empty list, expected one or more values in (0.5, 1)", "sweep", "--thetas", ",", "noise-vs-signal");
        refusedNaming("--betas: an empty list", "sweep", "--betas", ",", "noise-vs-signal");
        refusedNaming("--eval-thresholds = 0.9,2: 2 is not in (0.5, 1)", "keyword-spotting", "--eval-thresholds", "0.9,2");
        refusedNaming("--betas = 0,1e308: 1.0e308 is not in [0, 10]", "sweep", "--betas", "0,1e308", "noise-vs-signal");
    }

    @Test
    void moreThreadsThanProcessorsRunWithAOneLineWarning() {
        int processors = Runtime.getRuntime().availableProcessors();
        List<String> args = new ArrayList<>(List.of("noise-vs-signal", "--threads", Integer.toString(processors + 1)));
        args.addAll(List.of(TINY_TOY));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        List<String> warnings = r.err().lines().filter(l -> l.contains("warning")).toList();
        assertEquals(List.of("noise-vs-signal: warning: --threads = " + (processors + 1) + " is more than the " + processors + " processor"
                + (processors == 1 ? "" : "s") + " available: the run will be slower, not faster (give --threads " + processors
                + " or fewer)"), warnings);
        args.set(2, Integer.toString(processors));
        CliRun fits = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, fits.code(), fits.err());
        assertTrue(fits.err().lines().noneMatch(l -> l.contains("warning")), fits.err());
    }

    @Test
    void theHelpShowsEveryRange() {
        CliRun r = CliRun.of("temporal-mnist", "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String allowed : List.of("Allowed: (0, 1] (Adam moves each weight by up to about RATE per step).",
                "Allowed: [0, 14] (a larger shift moves the digit's centre off the 28 x 28 image).", "Allowed: [1, 256]. More than the processors available runs slower, with a warning.")) {
            assertTrue(help.contains(allowed), allowed + " in\n" + r.out());
        }
    }

    /** Every numeric option of every subcommand declares its range (a seed excepted), so that none is accepted unchecked. */
    @Test
    void everyNumericOptionHasARange() {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (CommandLine sub : new CommandLine(new RankCodingCli()).getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                Class<?> t = o.type().isArray() ? o.type().getComponentType() : o.type();
                boolean numeric = Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class && t != char.class);
                if (!numeric || UNBOUNDED.contains(o.longestName())) {
                    continue;
                }
                checked++;
                if (!(o.userObject() instanceof Field f) || f.getAnnotation(Range.class) == null) {
                    missing.add(sub.getCommandName() + " " + o.longestName());
                }
            }
        }
        assertEquals(List.of(), missing, "numeric options without a @Range");
        assertTrue(checked > 60, "options checked: " + checked);
    }
}
