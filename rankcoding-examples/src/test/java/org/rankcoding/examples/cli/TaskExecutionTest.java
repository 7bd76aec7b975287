package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.examples.CliRun;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        public void runOnce(Experiment experiment, PrintWriter out) throws IOException {
            ran++;
            switch (fail) {
                case "io" -> throw new NoSuchFileException("nowhere/x.wav");
                case "state" -> throw new IllegalStateException("training diverged at batch 2: lower the learning rate");
                case "memory" -> throw new OutOfMemoryError("Java heap space");
                case "bug" -> throw new NullPointerException("boom");
                default -> out.println("ran " + experiment.name());
            }
        }
    }

    private static CliRun run(Object root, FakeTask task, String... args) {
        CommandLine cl = CliErrors.install(new CommandLine(root));
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
        CliRun r = run(new SweepCommand(), task, "fake", "--checkpoint-dir", "nowhere");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("sweeps do not write or resume checkpoints"), r.err());
        assertEquals(1, task.prepared);
        assertEquals(0, task.ran);
        FakeTask outOfRange = new FakeTask();
        CliRun rows = run(new SweepCommand(), outOfRange, "--raster-rows", "-1", "fake");
        assertEquals(2, rows.code(), rows.out());
        assertTrue(rows.err().contains("--raster-rows = -1"), rows.err());
        assertEquals(0, outOfRange.prepared, "a value out of its range is refused before the task is prepared");
        assertEquals(0, outOfRange.ran);
    }

    @Test
    void aBadOptionIsAUsageErrorAndMissingDataAMessageWithBothDrivers() {
        for (boolean sweep : new boolean[] {false, true}) {
            FakeTask option = new FakeTask();
            CliRun bad = sweep ? run(new SweepCommand(), option, "fake", "--fail", "option") : run(option, option, "--fail", "option");
            assertEquals(2, bad.code(), bad.out());
            assertEquals(List.of("fake: --fail = option, expected nothing",
                    "Try '" + (sweep ? "sweep fake" : "fake") + " --help' for usage."), bad.err().strip().lines().toList());
            FakeTask data = new FakeTask();
            CliRun missing = sweep ? run(new SweepCommand(), data, "fake", "--fail", "data") : run(data, data, "--fail", "data");
            assertEquals(1, missing.code(), missing.out());
            assertEquals("fake: no data in nowhere/, fetch it first", missing.err().strip());
            assertEquals(0, option.ran + data.ran);
        }
    }

    @Test
    void userErrorsInTheRunAreOneLineWithoutATraceAndBugsKeepTheirs() {
        for (String fail : new String[] {"io", "state", "memory"}) {
            FakeTask task = new FakeTask();
            CliRun r = run(task, task, "--fail", fail);
            assertEquals(1, r.code(), r.err());
            List<String> lines = r.err().strip().lines().toList();
            assertEquals(1, lines.size(), r.err());
            assertTrue(lines.get(0).startsWith("fake: ") && !lines.get(0).contains("Exception"), r.err());
        }
        FakeTask io = new FakeTask();
        assertEquals("fake: nowhere/x.wav: no such file or directory", run(io, io, "--fail", "io").err().strip());
        FakeTask memory = new FakeTask();
        assertTrue(run(memory, memory, "--fail", "memory").err().contains("out of memory"));

        FakeTask bug = new FakeTask();
        CliRun r = run(bug, bug, "--fail", "bug");
        assertEquals(1, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertTrue(lines.get(0).startsWith("fake: internal error: java.lang.NullPointerException: boom"), r.err());
        assertTrue(lines.size() > 2 && lines.get(2).startsWith("\tat "), "a bug keeps its stack trace: " + r.err());
    }

    @Test
    void verboseAddsTheStackTraceToAUserError() {
        FakeTask plain = new FakeTask();
        assertFalse(run(plain, plain, "--fail", "state").err().contains("\tat "));
        CommandLine cl = CliErrors.install(new CommandLine(new FakeTask()));
        cl.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder(CliErrors.VERBOSE).build());
        cl.setExecutionStrategy(new TaskExecution());
        CliRun r = CliRun.of(cl, "--fail", "state", CliErrors.VERBOSE);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("fake: training diverged at batch 2") && r.err().contains("\tat "), r.err());
    }
}
