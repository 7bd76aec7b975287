package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.examples.CliRun;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which driver runs a task, and how its failures become exit codes: the single run and the sweep alike. */
class TaskExecutionTest {

    /** A task that prepares (or fails to, as {@code --fail} says) and counts its single runs. */
    @Command(name = "fake")
    static final class FakeTask implements Task {
        @Mixin
        TrainingOptions options;
        @Mixin
        ReportOptions report;
        @Option(names = "--fail")
        String fail = "nothing";
        int prepared;
        int ran;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public ReportOptions report() {
            return report;
        }

        @Override
        public Experiment prepare(PrintWriter out) throws DataUnavailable {
            prepared++;
            switch (fail) {
                case "data" -> throw new DataUnavailable("no data in nowhere/, fetch it first", null);
                case "option" -> throw new IllegalArgumentException("--fail = option, expected nothing");
                default -> {
                    return new Experiment("fake", 3, null, TrainerConfig.builder().build(), null, List.of(), List.of(), null,
                            new String[0], null, options, 1, 1e-3);
                }
            }
        }

        @Override
        public void runOnce(Experiment experiment, PrintWriter out) {
            ran++;
            out.println("ran " + experiment.name());
        }
    }

    private static CliRun run(Object root, FakeTask task, String... args) {
        CommandLine cl = new CommandLine(root);
        CommandLine host = root instanceof FakeTask ? cl : cl.addSubcommand(task).getSubcommands().get("fake");
        assertEquals(task, host.getCommand());
        cl.setExecutionStrategy(new TaskExecution());
        return CliRun.of(cl, args);
    }

    @Test
    void onItsOwnATaskIsPreparedAndRunOnce() {
        FakeTask task = new FakeTask();
        CliRun r = run(task, task);
        assertEquals(0, r.code(), r.err());
        assertEquals("ran fake", r.out().strip());
        assertEquals(1, task.prepared);
        assertEquals(1, task.ran);
    }

    @Test
    void underTheSweepATaskIsPreparedAndNeverRunOnce() {
        FakeTask task = new FakeTask();
        CliRun r = run(new SweepCommand(), task, "--raster-rows", "-1", "fake");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--raster-rows = -1"), r.err());
        assertEquals(1, task.prepared);
        assertEquals(0, task.ran);
    }

    @Test
    void aBadOptionIsAUsageErrorAndMissingDataAMessageWithBothDrivers() {
        for (boolean sweep : new boolean[] {false, true}) {
            FakeTask option = new FakeTask();
            CliRun bad = sweep ? run(new SweepCommand(), option, "fake", "--fail", "option") : run(option, option, "--fail", "option");
            assertEquals(2, bad.code(), bad.out());
            assertTrue(bad.err().contains("--fail = option, expected nothing") && bad.err().contains("Usage:"), bad.err());
            FakeTask data = new FakeTask();
            CliRun missing = sweep ? run(new SweepCommand(), data, "fake", "--fail", "data") : run(data, data, "--fail", "data");
            assertEquals(1, missing.code(), missing.out());
            assertEquals("fake: no data in nowhere/, fetch it first", missing.err().strip());
            assertEquals(0, option.ran + data.ran);
        }
    }
}
