package org.rankcoding.examples.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every training subcommand (a picocli mixin): where results go and whether progress bars are drawn. */
public final class ReportOptions {

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--plots", defaultValue = "target/plots", paramLabel = "DIR",
            description = "Directory for the PNG plots, relative to the working directory; file names start with the "
                    + "subcommand's name (default: ${DEFAULT-VALUE}).")
    Path plots;

    @Option(names = "--no-plots", description = "Do not draw plots.")
    boolean noPlots;

    @Option(names = "--no-progress",
            description = "Do not draw progress bars (they are drawn on standard error, and only on an interactive console).")
    boolean noProgress;

    /** Whether to draw progress bars: not disabled, and standard error is an interactive console. */
    boolean progressBars() {
        return !noProgress && System.console() != null;
    }
}
