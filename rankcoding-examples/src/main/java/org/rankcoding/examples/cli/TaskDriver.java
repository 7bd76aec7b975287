package org.rankcoding.examples.cli;

import org.rankcoding.examples.report.OutputPlan;
import picocli.CommandLine;

import java.io.IOException;

/** Runs a {@link Task}: once ({@link SingleRun}) or over a grid ({@link SweepCommand}). */
interface TaskDriver {

    /**
     * Runs {@code task}, whose options {@code command} parsed.
     *
     * @return the exit code: 0 on success, 1 when the data cannot be loaded or a checkpointed run cannot go on
     * @throws CommandLine.ParameterException for a bad option (exit code 2: one line and a hint to the help, see {@link CliErrors})
     */
    int run(Task task, CommandLine command) throws IOException;

    /**
     * Prepares {@code task}: its {@link Task#prepare} with a bad option reported as a usage error of {@code command}.
     *
     * @throws DataUnavailable when the data cannot be loaded
     */
    static Experiment prepare(Task task, CommandLine command) throws DataUnavailable {
        try {
            return task.prepare(command.getOut());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage(), e);
        }
    }

    /**
     * The pre-flight of a run's outputs, before any data is loaded: checks every output {@code plan} holds (see
     * {@link OutputPlan}) and creates the missing directories.
     *
     * @throws CommandLine.ParameterException for an output refused (a usage error of {@code command})
     */
    static void checkOutputs(OutputPlan plan, CommandLine command) {
        try {
            plan.check();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage(), e);
        }
    }

    /** Prints {@code TASK: message} on {@code command}'s error stream ({@link CliErrors}) and returns the exit code 1. */
    static int fail(Task task, CommandLine command, Exception e) {
        return CliErrors.failed(command, e);
    }
}
