package org.rankcoding.examples.cli;

import org.rankcoding.rc.NonFiniteOutputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How the CLI reports what went wrong, for every command (picocli's handler of bad arguments and of failed runs).
 * <ul>
 *   <li>A usage error (a bad or unknown option or command, or an {@link IllegalArgumentException} from a command's
 *       checks): one line {@code COMMAND: message}, in the user's option names ({@link OptionNames}), with the nearest
 *       commands or options for a misspelt one, then one line of hint, {@code Try 'rankcoding-examples COMMAND --help'
 *       for usage.}; exit code 2.</li>
 *   <li>A failure of the run caused by its input ({@link DataUnavailable}, a failed checkpointed run, an
 *       {@link IOException}, an {@link IllegalStateException} such as a diverged training, running out of memory): one
 *       line {@code COMMAND: message} naming the file or option; exit code 1.</li>
 *   <li>Anything else is a bug: one line {@code COMMAND: internal error: ...}, then the stack trace; exit code 1.</li>
 * </ul>
 * The stack trace of a user error is printed only with {@value #VERBOSE} on the command line, and always logged at
 * debug level.
 */
public final class CliErrors implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {

    /** The option that adds stack traces to error messages. */
    public static final String VERBOSE = "--verbose";
    /** Exit code of a failed run. */
    static final int FAILED = 1;

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");

    /** Sets this as {@code commandLine}'s handler of bad arguments and of failed runs, and returns it. */
    public static CommandLine install(CommandLine commandLine) {
        CliErrors handler = new CliErrors();
        commandLine.setParameterExceptionHandler(handler);
        commandLine.setExecutionExceptionHandler(handler);
        return commandLine;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String message = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                ? unmatched(command.getCommandSpec(), u.getUnmatched().get(0))
                : OptionNames.translate(command.getCommandSpec(), e.getMessage());
        return usageError(command, message, e.getCause(), verbose(args));
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parsed) {
        Throwable cause = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
        boolean verbose = verbose(parsed == null ? new String[0] : parsed.originalArgs().toArray(new String[0]));
        if (cause instanceof IllegalArgumentException) {
            return usageError(command, OptionNames.translate(command.getCommandSpec(), cause.getMessage()), cause, verbose);
        }
        PrintWriter err = command.getErr();
        if (isUserError(cause)) {
            err.println(command.getCommandName() + ": " + oneLine(describe(cause)));
            trace(err, cause, verbose);
        } else {
            err.println(command.getCommandName() + ": internal error: " + oneLine(String.valueOf(cause))
                    + " (a bug; please report it with the trace below)");
            cause.printStackTrace(err);
        }
        err.flush();
        return FAILED;
    }

    /**
     * Reports {@code e}, a failure of {@code command}'s run caused by its input, as {@link #handleExecutionException}
     * does, and returns the exit code 1.
     */
    static int failed(CommandLine command, Exception e) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandName() + ": " + oneLine(describe(e)));
        ParseResult parsed = command.getParseResult();
        trace(err, e, verbose(parsed == null ? new String[0] : parsed.originalArgs().toArray(new String[0])));
        err.flush();
        return FAILED;
    }

    /**
     * A one-line description of {@code e} for people: for a file-system error the file and what is wrong with it
     * ({@code data/x.wav: no such file}), for an I/O error without a file its message, else the message (or the
     * exception's kind if it has none).
     */
    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() != null) {
            return describe(u.getCause());
        }
        if (e instanceof OutOfMemoryError) {
            return String.format(Locale.ROOT, "out of memory (the heap holds at most %,d MB): use a smaller network, batch or "
                    + "data set, or give Java more memory (-Xmx)", Runtime.getRuntime().maxMemory() >> 20);
        }
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String what = f.getReason() != null ? f.getReason() : kind(f);
            if (what.contains(f.getFile())) {
                return what; // the reason names the file already
            }
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /**
     * A one-line description of {@code e}, an I/O error on {@code file}: {@link #describe(Throwable)}, with the file's
     * name in front when the message does not hold it (as for {@code Is a directory}).
     */
    public static String describe(Path file, IOException e) {
        String d = describe(e);
        return file == null || d.contains(file.toString()) ? d : file + ": " + d;
    }

    private static String kind(FileSystemException f) {
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return Files.isDirectory(Path.of(f.getFile())) ? "already exists" : "already exists and is not a directory";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return f.getClass().getSimpleName();
    }

    private static boolean isUserError(Throwable e) {
        return e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalStateException
                || e instanceof DataUnavailable || e instanceof TrainingOptions.CheckpointFailure || e instanceof OutOfMemoryError
                || e instanceof NonFiniteOutputException;
    }

    private static int usageError(CommandLine command, String message, Throwable cause, boolean verbose) {
        PrintWriter err = command.getErr();
        CommandSpec spec = command.getCommandSpec();
        err.println(command.getCommandName() + ": " + oneLine(message));
        err.println("Try '" + spec.qualifiedName() + " --help' for usage.");
        trace(err, cause, verbose);
        err.flush();
        return spec.exitCodeOnInvalidInput();
    }

    /** The message for {@code arg}, which {@code command} did not expect: an unknown option or command, with the nearest. */
    private static String unmatched(CommandSpec command, String arg) {
        if (arg.startsWith("-") && arg.length() > 1) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            List<String> options = new ArrayList<>();
            for (OptionSpec o : command.options()) {
                if (!o.hidden()) {
                    options.addAll(Arrays.asList(o.names()));
                }
            }
            return "unknown option '" + name + "'" + didYouMean(name, options, "");
        }
        if (!command.subcommands().isEmpty()) {
            List<String> commands = command.subcommands().keySet().stream().filter(c -> !c.equals("help")).toList();
            return "unknown command '" + arg + "'" + didYouMean(arg, commands, "; the commands are " + String.join(", ", commands));
        }
        return "unexpected argument '" + arg + "' (" + command.name() + " takes options only)";
    }

    /** {@code "; did you mean A or B?"} for the candidates nearest to {@code typed}, or {@code otherwise} if none is near. */
    private static String didYouMean(String typed, List<String> candidates, String otherwise) {
        int limit = Math.max(2, typed.length() / 3);
        List<String> near = candidates.stream().distinct().filter(c -> distance(typed, c) <= limit || c.startsWith(typed)
                        || (typed.length() >= 4 && c.contains(typed)))
                .sorted(Comparator.comparingInt((String c) -> distance(typed, c)).thenComparing(c -> c)).limit(3).toList();
        return near.isEmpty() ? otherwise : "; did you mean " + String.join(" or ", near) + "?";
    }

    /** The edit distance between two names. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int same = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + same);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Whether the command line asks for stack traces: {@value #VERBOSE} before any {@code --}. */
    private static boolean verbose(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    private static void trace(PrintWriter err, Throwable e, boolean verbose) {
        if (e == null) {
            return;
        }
        LOG.debug("the trace of the error above", e);
        if (verbose) {
            e.printStackTrace(err);
        }
    }

    /** {@code message} on one line: its line breaks become "; ". */
    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
