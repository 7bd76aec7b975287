package org.rankcoding.examples.cli;

import picocli.CommandLine;

import java.io.IOException;

/** The driver of a task's own subcommand: prepare the task, then run it once. */
final class SingleRun implements TaskDriver {

    @Override
    public int run(Task task, CommandLine command) throws IOException {
        try {
            Experiment experiment = TaskDriver.prepare(task, command);
            task.runOnce(experiment, command.getOut());
        } catch (DataUnavailable | TrainingOptions.CheckpointFailure e) {
            return TaskDriver.fail(task, command, e);
        }
        command.getOut().flush();
        return 0;
    }
}
