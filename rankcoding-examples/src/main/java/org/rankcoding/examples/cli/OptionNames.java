package org.rankcoding.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Puts the user's option names into a library message. The library's checks name their parameters
 * ({@code hiddenSize = -5, expected >= 1}); a command's options carry the same values under other names
 * ({@code --hidden}). Every {@code NAME = } of the message whose NAME is one of the command's options, written in camel
 * case ({@code sigmaMax} for {@code --sigma-max}) or as the library parameter the option sets ({@code hiddenSize} for
 * {@code --hidden}), becomes the option's name; the ranges and values of the library's message stay as they are, so
 * they are checked in one place only. A message that then names its option twice in a row ({@code --x: --x = 2}) names
 * it once.
 */
final class OptionNames {

    /** Library parameters whose option has another name: parameter (as the library's messages write it) to option. */
    private static final Map<String, String> LIBRARY_PARAMETERS = Map.of(
            "hiddenSize", "--hidden",
            "learningRate", "--lr",
            "batchSize", "--batch",
            "clipNorm", "--clip",
            "validateEverySequences", "--validate-every",
            "warmupSequencesPerStep", "--step-warmup",
            "melBands", "--mels",
            "threshold theta", "--threshold",
            "alpha", "--elastic-alpha",
            "sigma", "--elastic-sigma");

    private OptionNames() {
    }

    /**
     * {@code message} with the library's parameter names replaced by {@code command}'s options where they are followed
     * by {@code " = "}; names that are not options of the command stay as they are.
     */
    static String translate(CommandSpec command, String message) {
        if (message == null || command == null) {
            return message;
        }
        Map<String, String> names = names(command);
        if (names.isEmpty()) {
            return message;
        }
        String alternatives = names.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote).collect(Collectors.joining("|"));
        Matcher m = Pattern.compile("(?<![\\w.\\-])(" + alternatives + ")(?= = )").matcher(message);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(names.get(m.group(1))));
        }
        m.appendTail(b);
        return b.toString().replaceAll("(--[\\w-]+): \\1 = ", "$1 = "); // "--threshold: --threshold = 2" says it twice
    }

    /** The names the library may use for each long option of {@code command}, to the option's name. */
    private static Map<String, String> names(CommandSpec command) {
        Map<String, String> names = new LinkedHashMap<>();
        for (OptionSpec o : command.options()) {
            String name = o.longestName();
            if (name.startsWith("--")) {
                names.put(camelCase(name.substring(2)), name);
            }
        }
        LIBRARY_PARAMETERS.forEach((parameter, option) -> {
            if (command.findOption(option) != null) {
                names.put(parameter, option);
            }
        });
        return names;
    }

    /** {@code sigma-max} as {@code sigmaMax}. */
    static String camelCase(String dashed) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : dashed.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
                upper = false;
            }
        }
        return b.toString();
    }
}
