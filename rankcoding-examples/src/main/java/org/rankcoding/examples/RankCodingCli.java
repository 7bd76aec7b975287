package org.rankcoding.examples;

import org.rankcoding.examples.bench.BenchCommand;
import org.rankcoding.examples.bench.FrontEndBenchCommand;
import org.rankcoding.examples.bench.KeywordBenchCommand;
import org.rankcoding.examples.cli.CliErrors;
import org.rankcoding.examples.cli.EarlyClassifyCommand;
import org.rankcoding.examples.cli.SparkCommand;
import org.rankcoding.examples.cli.KeywordSpottingCommand;
import org.rankcoding.examples.cli.KeywordDetectCommand;
import org.rankcoding.examples.cli.KeywordEvaluateCommand;
import org.rankcoding.examples.cli.KeywordEnsembleCommand;
import org.rankcoding.examples.cli.KeywordStreamCommand;
import org.rankcoding.examples.cli.NoiseVsSignalCommand;
import org.rankcoding.examples.cli.OptionBounds;
import org.rankcoding.examples.cli.SequenceOfFiveCommand;
import org.rankcoding.examples.cli.SweepCommand;
import org.rankcoding.examples.cli.TaskExecution;
import org.rankcoding.examples.cli.TemporalMnistCommand;
import org.rankcoding.examples.cli.TemporalMnistEvaluateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Command-line entry point of the examples: {@code noise-vs-signal} (the default when no subcommand is
 * given), {@code sequence-of-five}, {@code temporal-mnist}, {@code keyword-spotting}, {@code keyword-stream}, {@code early-classify}, {@code sweep} and the benchmarks {@code bench}, {@code bench-frontend} and {@code bench-kws}. Run
 * {@code mvn -q exec:java -pl rankcoding-examples} for the demo, add {@code -Dexec.args="sequence-of-five --help"}
 * for options.
 */
@Command(name = "rankcoding-examples", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Rank-coding demos on the tasks of Jeffares et al., ICLR 2022: the two toy tasks and temporal MNIST. "
                + "Without a subcommand, runs noise-vs-signal.",
        subcommands = {NoiseVsSignalCommand.class, SequenceOfFiveCommand.class, TemporalMnistCommand.class, TemporalMnistEvaluateCommand.class, KeywordSpottingCommand.class, KeywordStreamCommand.class, KeywordDetectCommand.class, KeywordEvaluateCommand.class, KeywordEnsembleCommand.class, EarlyClassifyCommand.class, SparkCommand.class, SweepCommand.class, BenchCommand.class, FrontEndBenchCommand.class, KeywordBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class RankCodingCli implements Runnable {

    /** The subcommand run when the arguments name none. */
    public static final String DEFAULT_SUBCOMMAND = "noise-vs-signal";

    private static final Set<String> TOP_LEVEL = Set.of("-h", "--help", "-V", "--version", "help", "noise-vs-signal",
            "sequence-of-five", TemporalMnistCommand.TASK, TemporalMnistEvaluateCommand.NAME, KeywordSpottingCommand.TASK, KeywordStreamCommand.NAME, KeywordDetectCommand.NAME, KeywordEvaluateCommand.NAME, EarlyClassifyCommand.TASK, SparkCommand.NAME, "sweep", "bench", FrontEndBenchCommand.NAME, KeywordBenchCommand.NAME);

    /** Read from the command line by {@link CliErrors}, which prints stack traces when it is given. */
    @Option(names = CliErrors.VERBOSE, scope = ScopeType.INHERIT,
            description = "On an error, also print the Java stack trace (for a bug report).")
    boolean verbose;

    @Override
    public void run() {
        // never reached: execute() always selects a subcommand or a help option
    }

    /** Runs the CLI and exits with its exit code if that is not 0. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Charset cs = Charset.defaultCharset();
        int code = execute(args, new PrintWriter(System.out, true, cs), new PrintWriter(System.err, true, cs));
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the CLI with the given output streams and returns the exit code (0 success, 2 bad arguments,
     * 1 failure), without exiting. Errors are reported as {@link CliErrors} says: one line, and a line of hint for a
     * usage error.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = CliErrors.install(new CommandLine(new RankCodingCli()));
        OptionBounds.documentRanges(cl);
        cl.registerConverter(Path.class, RankCodingCli::path);
        cl.setExecutionStrategy(new TaskExecution());
        cl.setOut(out);
        cl.setErr(err);
        int code = cl.execute(withDefaultSubcommand(args));
        out.flush();
        err.flush();
        return code;
    }

    /**
     * A path option's value: refused when empty, which would otherwise mean the working directory.
     *
     * @throws CommandLine.TypeConversionException for an empty or malformed path
     */
    static Path path(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("an empty path; name a file or directory");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a path: " + e.getReason());
        }
    }

    /**
     * Prepends {@link #DEFAULT_SUBCOMMAND} when the arguments start with an option (not a top-level one) or are empty;
     * a first argument that is not an option is left to name a subcommand (a misspelt one is then reported as an
     * unknown command, with the nearest). A leading {@value CliErrors#VERBOSE} is skipped over.
     */
    static String[] withDefaultSubcommand(String[] args) {
        int first = args.length > 0 && args[0].equals(CliErrors.VERBOSE) ? 1 : 0;
        if (args.length > first && (TOP_LEVEL.contains(args[first]) || !args[first].startsWith("-"))) {
            return args;
        }
        String[] out = new String[args.length + 1];
        out[0] = DEFAULT_SUBCOMMAND;
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }
}
