package org.rankcoding.examples.cli;

import org.rankcoding.examples.report.OutputPlan;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingGrid;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code sweep}: the speed/accuracy trade-off of a task. Its subcommands are the tasks, with all their own options
 * (data, model, budget), and it is their driver ({@link TaskDriver}): it prepares the task named and runs the grid on
 * its {@link Experiment}. The sweep's options come before the task's name:
 * <pre>
 * sweep --betas 0,0.05,0.1,0.2 --thetas 0.9 noise-vs-signal --train-sequences 300000
 * </pre>
 * trains one RC model per (beta, theta) with the task's seed and budget, one EOS model with the same budget, evaluates
 * every model over the evaluation thresholds (one pass each) and writes the tables, JSON, CSV and pictures.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trade-off sweeps: RC models over a beta x theta grid vs an EOS model with early exit over thresholds.",
                "Options of the sweep come before the task: sweep --betas 0,0.1 --thetas 0.9 noise-vs-signal [task options]."},
        subcommands = {NoiseVsSignalCommand.class, SequenceOfFiveCommand.class, TemporalMnistCommand.class, KeywordSpottingCommand.class})
public final class SweepCommand implements Runnable, TaskDriver {

    @Spec
    CommandSpec spec;

    @Range(min = 0, max = 10)
    @Option(names = "--betas", split = ",", defaultValue = "0,0.05,0.1,0.2", paramLabel = "B,...",
            description = "Entropy rewards of the RC grid (default: ${DEFAULT-VALUE}).")
    double[] betas;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--thetas", split = ",", paramLabel = "T,...",
            description = "Thresholds of the RC grid (default: the task's --threshold). The task's decision rule "
                    + "(--consecutive, --min-steps, --threshold-schedule) is kept, its schedule moved to start at each.")
    double[] thetas;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",",
            defaultValue = "0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.925,0.95,0.975,0.99,0.995,0.999",
            paramLabel = "T,...", description = "Thresholds every trained model is evaluated at, for the early-exit curves, "
            + "with the task's decision rule moved to start at each (default: ${DEFAULT-VALUE}).")
    double[] evalThresholds;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Also write every point (grid models and threshold sweeps) as CSV (default: next to --json, or "
                    + "target/sweep-TASK.csv).")
    Path csv;

    @Range(min = 0, max = 100000, note = "0 for no raster")
    @Option(names = "--raster-rows", defaultValue = "50", paramLabel = "N",
            description = "Test sequences drawn in the raster picture, for tasks with optimal decision steps (default: ${DEFAULT-VALUE}).")
    int rasterRows;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a task after the sweep options: noise-vs-signal, sequence-of-five, temporal-mnist or keyword-spotting");
    }

    /**
     * Prepares {@code task}, checks the sweep's options against it and runs the sweep: the RC grid and the EOS model,
     * each evaluated over {@code --eval-thresholds}, then the tables, JSON, CSV and pictures.
     */
    @Override
    public int run(Task task, CommandLine command) throws IOException {
        ReportOptions report = task.report();
        OutputPlan plan = report.plan();
        report.register(plan, task.name() + "-sweep-");
        if (csv != null) {
            plan.file("--csv", csv);
        } else if (report.json != null) {
            plan.file("--csv (default: next to --json)", csvFile(report, task.name()));
        } else {
            plan.defaultFile("--csv", csvFile(report, task.name()));
        }
        TaskDriver.checkOutputs(plan, command);
        Experiment experiment;
        try {
            experiment = TaskDriver.prepare(task, command);
        } catch (DataUnavailable e) {
            return TaskDriver.fail(task, command, e);
        }
        try {
            task.checkSweepable();
            check(experiment.base(), experiment.options());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command, e.getMessage(), e);
        }
        return SweepRunner.run(this, experiment.withTestInMemory(), task.report(), command.getOut());
    }

    /** Where the CSV goes: {@code --csv}, else next to {@code --json} ({@code NAME.csv}), else {@code target/sweep-TASK.csv}. */
    Path csvFile(ReportOptions report, String task) {
        if (csv != null) {
            return csv;
        }
        if (report.json == null) {
            return Path.of("target", "sweep-" + task + ".csv");
        }
        String name = report.json.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        Path parent = report.json.getParent();
        return parent == null ? Path.of(base + ".csv") : parent.resolve(base + ".csv");
    }

    /** The grid's thresholds: {@code --thetas}, or {@code fallback} (the task's threshold). */
    double[] thetas(double fallback) {
        return thetas == null || thetas.length == 0 ? new double[] {fallback} : thetas.clone();
    }

    /**
     * Validates the sweep's options against the task's training settings {@code base}: the grid and the thresholds
     * as the library would, the raster size; and refuses the task's checkpoint options (sweeps write none).
     */
    private void check(TrainerConfig base, TrainingOptions options) {
        if (options.checkpointDir != null || options.resume) {
            throw new IllegalArgumentException("sweeps do not write or resume checkpoints; drop --checkpoint-dir / --resume");
        }
        TrainingGrid.validate(base, betas, thetas(base.threshold()));
        EvalThresholds.check(evalThresholds);
    }
}
