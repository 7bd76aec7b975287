package org.rankcoding.examples;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One run of the examples' CLI in the test JVM, as {@code main} runs it (without exiting).
 *
 * @param code the exit code
 * @param out  what it printed on standard output
 * @param err  what it printed on standard error
 */
public record CliRun(int code, String out, String err) {

    /** Runs {@link RankCodingCli#execute} with {@code args}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = RankCodingCli.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    /**
     * Runs a command line built by the test (a command with test doubles, or settings of its own) with {@code args},
     * capturing what it prints: the command line's output and error writers are replaced.
     */
    public static CliRun of(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        commandLine.setOut(outWriter);
        commandLine.setErr(errWriter);
        int code = commandLine.execute(args);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(code, out.toString(), err.toString());
    }
}
