package org.rankcoding.examples.cli;

import org.rankcoding.examples.report.OutputPlan;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * Options shared by every training subcommand (a picocli mixin): where results go, whether existing results may be
 * replaced, and whether progress bars are drawn.
 */
public final class ReportOptions {

    /** Where the plots go when {@code --plots} is not given. */
    static final Path DEFAULT_PLOTS = Path.of("target", "plots");

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "Directory for the PNG plots, relative to the working directory; file names start with the "
                    + "subcommand's name (default: target/plots).")
    Path plots;

    @Option(names = "--no-plots", description = "Do not draw plots.")
    boolean noPlots;

    @Option(names = "--overwrite",
            description = "Replace existing output files (--json, --save-model, --csv, and the plots in --plots DIR); without it "
                    + "a run whose outputs exist is refused before it starts. Outputs at their default place under target/ are "
                    + "always replaced.")
    boolean overwrite;

    @Option(names = "--no-progress",
            description = "Do not draw progress bars (they are drawn on standard error, and only on an interactive console).")
    boolean noProgress;

    /** Whether to draw progress bars: not disabled, and standard error is an interactive console. */
    boolean progressBars() {
        return !noProgress && System.console() != null;
    }

    /** The directory of the plots: {@code --plots}, or {@link #DEFAULT_PLOTS}. */
    Path plotsDir() {
        return plots != null ? plots : DEFAULT_PLOTS;
    }

    /** An empty output plan honouring {@code --overwrite}. */
    OutputPlan plan() {
        return OutputPlan.overwriting(overwrite);
    }

    /**
     * Registers {@code --json} and, unless {@code --no-plots}, the plot directory, whose files are named
     * {@code plotPrefix...}.
     */
    void register(OutputPlan plan, String plotPrefix) {
        plan.file("--json", json);
        if (noPlots) {
            return;
        }
        if (plots != null) {
            plan.directory("--plots", plots, plotPrefix);
        } else {
            plan.defaultDirectory("--plots", DEFAULT_PLOTS);
        }
    }
}
