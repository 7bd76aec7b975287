package org.rankcoding.examples;

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
}
