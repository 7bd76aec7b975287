package org.rankcoding.examples.cli;

import org.rankcoding.data.Augmentation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The text form of a list of {@link Augmentation}s, as {@code early-classify --augmentations} takes it: candidates
 * separated by {@code ;}, each {@code none} or settings {@code key=value} separated by spaces or commas, the keys those
 * of {@link Augmentation#toString()}: {@code jitter=SIGMA}, {@code scaling=SIGMA}, {@code warp=WINDOW} or
 * {@code warp=WINDOWxFACTOR} (factor 2 when omitted), {@code slice=FRACTION} and {@code crop=FRACTION}; a key not given is off. For example
 * {@code none;jitter=0.05 scaling=0.1;slice=0.9}.
 */
final class AugmentationSpecs {

    private AugmentationSpecs() {
    }

    /**
     * The candidates of {@code text}, in order.
     *
     * @param option the option's name, for messages
     * @throws IllegalArgumentException naming the option, the candidate and what is expected, for an empty list or
     *                                  candidate, an unknown or repeated key, a value that is not a number or out of its
     *                                  range, or the same candidate twice
     */
    static List<Augmentation> parse(String option, String text) {
        List<Augmentation> out = new ArrayList<>();
        for (String part : text.split(";", -1)) {
            Augmentation a = one(option, part.trim());
            if (out.contains(a)) {
                throw new IllegalArgumentException(option + ": '" + part.trim() + "' is given twice; list each candidate once");
            }
            out.add(a);
        }
        return out;
    }

    /**
     * The text of one candidate, as {@link #parse} reads it: {@code none}, or the settings that are on, e.g.
     * {@code jitter=0.05 scaling=0.1} or {@code warp=0.1x2.0 slice=0.9}.
     */
    static String text(Augmentation a) {
        if (a.isNone()) {
            return "none";
        }
        List<String> on = new ArrayList<>();
        if (a.jitter() > 0) {
            on.add("jitter=" + a.jitter());
        }
        if (a.scaling() > 0) {
            on.add("scaling=" + a.scaling());
        }
        if (a.warpWindow() > 0) {
            on.add("warp=" + a.warpWindow() + "x" + a.warpFactor());
        }
        if (a.slice() < 1) {
            on.add("slice=" + a.slice());
        }
        if (a.crop() > 0) {
            on.add("crop=" + a.crop());
        }
        return String.join(" ", on);
    }

    private static Augmentation one(String option, String spec) {
        if (spec.isEmpty()) {
            throw new IllegalArgumentException(option + ": an empty candidate; write 'none' for no augmentation, or settings "
                    + "such as 'jitter=0.05 scaling=0.1', candidates separated by ';'");
        }
        if (spec.equals("none")) {
            return Augmentation.NONE;
        }
        Augmentation a = Augmentation.NONE;
        Set<String> seen = new HashSet<>();
        for (String setting : spec.split("[\\s,]+")) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            if (eq < 0 || !seen.add(key)) {
                throw new IllegalArgumentException(option + ": '" + setting + "' in '" + spec + "' is "
                        + (eq < 0 ? "not a setting key=value" : "given twice") + "; expected jitter=SIGMA, scaling=SIGMA, "
                        + "warp=WINDOW[xFACTOR], slice=FRACTION or crop=FRACTION, each at most once");
            }
            String value = setting.substring(eq + 1);
            try {
                a = switch (key) {
                    case "jitter" -> a.withJitter(number(option, spec, key, value));
                    case "scaling" -> a.withScaling(number(option, spec, key, value));
                    case "slice" -> a.withWindowSlice(number(option, spec, key, value));
                    case "crop" -> a.withCrop(number(option, spec, key, value));
                    case "warp" -> {
                        int x = value.indexOf('x');
                        double window = number(option, spec, key, x < 0 ? value : value.substring(0, x));
                        double factor = x < 0 ? 2 : number(option, spec, key, value.substring(x + 1));
                        yield a.withWindowWarp(window, factor);
                    }
                    default -> throw new IllegalArgumentException(option + ": unknown setting '" + key + "' in '" + spec
                            + "'; expected jitter, scaling, warp, slice or crop");
                };
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(option) ? e
                        : new IllegalArgumentException(option + ": in '" + spec + "', " + e.getMessage(), e);
            }
        }
        return a;
    }

    private static double number(String option, String spec, String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + key + " = '" + value + "' in '" + spec + "' is not a number", e);
        }
    }
}
