package org.rankcoding.examples.cli;

import org.rankcoding.examples.report.OutputPlan;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A training task of the examples as the drivers run it. The task's own subcommand runs it once ({@link SingleRun}):
 * {@link #prepare} then {@link #runOnce}; {@code sweep ... TASK} ({@link SweepCommand}) prepares it the same way and
 * trains its {@link Experiment} over a grid of entropy rewards and thresholds. {@link TaskExecution} picks the driver.
 */
interface Task {

    /** The task's name: its subcommand, and the prefix of its titles and file names. */
    String name();

    /** Where the task's results go. */
    ReportOptions report();

    /**
     * Checks the options, loads or generates the data and returns what training needs.
     *
     * @param out where the task may describe the data it loaded
     * @throws IllegalArgumentException for a bad option, naming it (a usage error)
     * @throws DataUnavailable          when the data cannot be loaded
     */
    Experiment prepare(PrintWriter out) throws DataUnavailable;

    /**
     * Registers the outputs the task's own run writes besides its report ({@code --json}, {@code --plots}, which the
     * driver registers): a model file, checkpoints. None unless the task says otherwise.
     */
    default void registerOutputs(OutputPlan plan) {
    }

    /**
     * Refuses the options a sweep cannot honour (none unless the task says otherwise).
     *
     * @throws IllegalArgumentException naming the option
     */
    default void checkSweepable() {
    }

    /**
     * Trains the task's model or models on {@code experiment}, tests them and reports: tables on {@code out}, and the
     * JSON, plots and model files its options ask for.
     *
     * @throws TrainingOptions.CheckpointFailure when a checkpointed run cannot go on
     */
    void runOnce(Experiment experiment, PrintWriter out) throws IOException, TrainingOptions.CheckpointFailure;
}
