package org.rankcoding.examples.cli;

import org.rankcoding.examples.report.FallbackWriter;
import org.rankcoding.examples.report.OutputPlan;
import picocli.CommandLine;

import java.io.IOException;

/**
 * The driver of a task's own subcommand: check its outputs ({@link OutputPlan}), prepare the task, then run it once.
 */
final class SingleRun implements TaskDriver {

    @Override
    public int run(Task task, CommandLine command) throws IOException {
        OutputPlan plan = task.report().plan();
        task.report().register(plan, task.name() + "-");
        task.registerOutputs(plan);
        TaskDriver.checkOutputs(plan, command);
        try {
            Experiment experiment = TaskDriver.prepare(task, command);
            task.runOnce(experiment, command.getOut());
        } catch (DataUnavailable | TrainingOptions.CheckpointFailure | FallbackWriter.WrittenElsewhere e) {
            return TaskDriver.fail(task, command, e);
        }
        command.getOut().flush();
        return 0;
    }
}
