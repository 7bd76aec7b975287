package org.rankcoding.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.util.List;

/**
 * How the CLI runs what it parsed: help and version requests as picocli does; then every named command's options
 * checked against their declared ranges ({@link OptionBounds}); a {@link Task} by its driver, the command
 * it was named under if that is one ({@code sweep}), else {@link SingleRun}; any other command as picocli does (the last
 * one named).
 */
public final class TaskExecution implements IExecutionStrategy {

    @Override
    public int execute(ParseResult parsed) throws ExecutionException, ParameterException {
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        List<CommandLine> named = parsed.asCommandLineList();
        CommandLine last = named.get(named.size() - 1);
        for (CommandLine command : named) {
            OptionBounds.check(command); // every option's range, before any work
        }
        try {
            return run(parsed, last);
        } catch (OutOfMemoryError e) {
            throw new ExecutionException(last, "out of memory", e); // reported in one line by CliErrors
        }
    }

    private static int run(ParseResult parsed, CommandLine last) {
        if (!(last.getCommand() instanceof Task task)) {
            return new CommandLine.RunLast().execute(parsed);
        }
        CommandLine parent = last.getParent();
        TaskDriver driver = parent != null && parent.getCommand() instanceof TaskDriver d ? d : new SingleRun();
        try {
            return driver.run(task, last);
        } catch (ParameterException | ExecutionException e) {
            throw e;
        } catch (Exception e) {
            throw new ExecutionException(last, task.name() + " failed: " + e, e);
        }
    }
}
