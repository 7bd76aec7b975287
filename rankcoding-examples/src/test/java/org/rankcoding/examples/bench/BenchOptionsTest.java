package org.rankcoding.examples.bench;

import org.junit.jupiter.api.Test;
import org.rankcoding.examples.CliRun;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options the benchmarks share: each command's own defaults in its help, the same checks in all. */
class BenchOptionsTest {

    private static void assertHelpShows(String command, List<String> defaults) {
        CliRun help = CliRun.of(command, "--help");
        assertEquals(0, help.code(), help.err());
        String text = help.out().replaceAll("\\s+", " ");
        for (String option : List.of("--hidden", "--batch", "--threads", "--lr", "--seed", "--repetitions", "--json")) {
            assertTrue(text.contains(option), command + " help lacks " + option + ":\n" + help.out());
        }
        for (String d : defaults) {
            assertTrue(text.contains(d), command + " help lacks '" + d + "':\n" + help.out());
        }
    }

    @Test
    void eachBenchmarkHasItsOwnDefaults() {
        assertHelpShows("bench", List.of("LSTM hidden size (default: 125)", "(default: 128)", "(default: 2)", "Adam learning rate (default: 3e-4)",
                "(default: 5)"));
        assertHelpShows(FrontEndBenchCommand.NAME, List.of("LSTM hidden size (default: 256)", "(default: 256)", "(default: 1)",
                "Adam learning rate (default: 1e-3)", "(default: 3)"));
        assertHelpShows(KeywordBenchCommand.NAME, List.of("LSTM hidden size (default: 256)", "(default: 64)", "(default: 2)",
                "Adam learning rate (default: 1e-3)", "(default: 3)"));
    }

    @Test
    void badSharedOptionsAreUsageErrorsNamingEveryValue() {
        CliRun r = CliRun.of("bench", "--hidden", "0", "--threads", "0", "--repetitions", "0", "--lr", "-1");
        assertEquals(2, r.code(), r.out());
        for (String message : List.of("--hidden = 0, expected a value in [1, 65536]", "--threads = 0, expected a value in [1, 256]",
                "--repetitions = 0, expected a value in [1, 100000]", "--lr = -1, expected a value in (0, 1]")) {
            assertTrue(r.err().contains(message), r.err());
        }
        CliRun own = CliRun.of("bench", "--bench-batches", "0", "--kernel-seconds", "0");
        assertEquals(2, own.code(), own.out());
        assertTrue(own.err().contains("--bench-batches = 0, expected a value in [1, 10000000]")
                        && own.err().contains("--kernel-seconds = 0, expected a value in (0, 600] (seconds per repetition)"),
                own.err());
        // an endless measurement is refused, not started
        CliRun endless = CliRun.of("bench", "--kernel-seconds", "Infinity");
        assertEquals(2, endless.code(), endless.out());
        assertTrue(endless.err().contains("--kernel-seconds = Infinity, expected a value in (0, 600] (seconds per repetition)"), endless.err());
    }
}
