package org.rankcoding.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one check of every numeric option's value against its declared {@link Range}, run by {@link TaskExecution} for
 * every command of a command line before the command does any work (before data is loaded, outputs are created or
 * training starts). A value outside its range, NaN, or an empty list is a usage error naming the option, the value and
 * the range, {@code --lr = 1e10, expected a value in (0, 1]}; every such value of the command line is named, in one
 * line. An option marked {@link PerProcessor} whose value exceeds
 * the available processors gets a one-line warning on standard error instead.
 */
public final class OptionBounds {

    private OptionBounds() {
    }

    /**
     * Checks the options of {@code command} as parsed (given or defaulted) against their ranges, and warns about a
     * {@link PerProcessor} option above the available processors on the command's error stream.
     *
     * @throws ParameterException of {@code command} naming every value outside its range, in one line
     */
    public static void check(CommandLine command) {
        List<String> problems = new ArrayList<>();
        List<Runnable> warnings = new ArrayList<>();
        for (OptionSpec o : command.getCommandSpec().options()) {
            Field field = o.userObject() instanceof Field f ? f : null;
            Range range = field == null ? null : field.getAnnotation(Range.class);
            Object value = o.getValue();
            if (range == null || value == null) {
                continue;
            }
            String problem = problem(o, range, value);
            if (problem != null) {
                problems.add(problem);
            } else if (field.isAnnotationPresent(PerProcessor.class) && value instanceof Number n) {
                warnings.add(() -> warnAboveProcessors(command, o.longestName(), n.longValue()));
            }
        }
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            throw new ParameterException(command, message, new IllegalArgumentException(message));
        }
        warnings.forEach(Runnable::run); // only for a run that goes ahead
    }

    /**
     * Makes the help of {@code commandLine} and of all its subcommands show every option's allowed values: the
     * description of an option with a {@link Range} ends with {@code Allowed: [1, 64].}, unless it states the interval
     * already.
     */
    public static void documentRanges(CommandLine commandLine) {
        commandLine.setHelpFactory((spec, colors) -> new CommandLine.Help(spec, colors) {
            @Override
            public CommandLine.Help.IOptionRenderer createDefaultOptionRenderer() {
                CommandLine.Help.IOptionRenderer plain = super.createDefaultOptionRenderer();
                return (option, label, scheme) -> plain.render(documented(option), label, scheme);
            }
        });
    }

    /** {@code o} with its allowed values at the end of its description, or {@code o} itself when it has no range. */
    private static OptionSpec documented(OptionSpec o) {
        Range range = o.userObject() instanceof Field f ? f.getAnnotation(Range.class) : null;
        String[] description = o.description();
        if (range == null || description.length == 0 || String.join(" ", description).contains(interval(range))) {
            return o;
        }
        String[] extended = description.clone();
        extended[extended.length - 1] += " Allowed: " + interval(range) + note(range) + "."
                + (o.userObject() instanceof Field f && f.isAnnotationPresent(PerProcessor.class)
                ? " More than the processors available runs slower, with a warning." : "");
        return OptionSpec.builder(o).description(extended).build();
    }

    /** The message for {@code value} of option {@code o} if it is outside {@code range}, else null. */
    static String problem(OptionSpec o, Range range, Object value) {
        String name = o.longestName();
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            if (n == 0) {
                return name + ": an empty list, expected one or more values in " + interval(range) + note(range);
            }
            for (int i = 0; i < n; i++) {
                double v = ((Number) Array.get(value, i)).doubleValue();
                if (!inside(range, v)) {
                    return name + " = " + given(o) + ": " + format(v) + " is not in " + interval(range) + note(range);
                }
            }
            return null;
        }
        if (value instanceof Number number && !inside(range, number.doubleValue())) {
            return name + " = " + given(o) + ", expected a value in " + interval(range) + note(range);
        }
        return null;
    }

    /** The allowed values of {@code range} as an interval, {@code [1, 64]} or {@code (0, 1]}. */
    public static String interval(Range range) {
        return (range.above() ? "(" : "[") + format(range.min()) + ", " + format(range.max()) + (range.below() ? ")" : "]");
    }

    private static boolean inside(Range r, double v) {
        boolean low = r.above() ? v > r.min() : v >= r.min();
        boolean high = r.below() ? v < r.max() : v <= r.max();
        return low && high; // false for NaN
    }

    private static String note(Range r) {
        return r.note().isEmpty() ? "" : " (" + r.note() + ")";
    }

    /** The value as the user wrote it (the last occurrence), or as picocli holds it when defaulted. */
    private static String given(OptionSpec o) {
        List<String> typed = o.originalStringValues();
        if (!typed.isEmpty()) {
            return typed.get(typed.size() - 1);
        }
        Object v = o.getValue();
        return v instanceof Number n ? format(n.doubleValue()) : String.valueOf(v);
    }

    /** {@code 1000} for an integral value, else Java's shortest decimal ({@code 0.5}, {@code 1.0E-300}). */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    private static void warnAboveProcessors(CommandLine command, String name, long threads) {
        int processors = Runtime.getRuntime().availableProcessors();
        if (threads > processors) {
            command.getErr().printf(Locale.ROOT, "%s: warning: %s = %d is more than the %d processor%s available: the run will be "
                    + "slower, not faster (give %s %d or fewer)%n", command.getCommandName(), name, threads, processors,
                    processors == 1 ? "" : "s", name, processors);
            command.getErr().flush();
        }
    }
}
