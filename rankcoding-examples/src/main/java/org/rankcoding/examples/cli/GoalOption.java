package org.rankcoding.examples.cli;

import org.rankcoding.eval.OperatingGoal;

import java.util.Locale;

/**
 * The text of a {@code --goal} option as an {@link OperatingGoal}: {@code hm} (the highest harmonic mean of accuracy and
 * 1 - earliness), {@code within:POINTS} (the earliest decisions within POINTS percentage points of the full-length
 * accuracy) or {@code earliness:FRACTION} (the most accurate decisions whose mean earliness is at most FRACTION).
 */
final class GoalOption {

    /** What the option's description says about its values. */
    static final String VALUES = "hm (highest harmonic mean of accuracy and 1 - earliness), within:POINTS (the earliest "
            + "decisions whose accuracy is within POINTS percentage points of the model's full-length accuracy) or "
            + "earliness:FRACTION (the most accurate decisions made on average within FRACTION of the sequence, e.g. 0.4 = "
            + "by step 8 of 20)";

    private GoalOption() {
    }

    /**
     * The goal {@code text} names.
     *
     * @param option the option's name, for the message
     * @throws IllegalArgumentException naming the option and the accepted forms for anything else
     */
    static OperatingGoal parse(String option, String text) {
        String g = text.trim().toLowerCase(Locale.ROOT);
        if (g.equals("hm")) {
            return OperatingGoal.bestHarmonicMean();
        }
        if (g.startsWith("within:")) {
            double p = number(g.substring("within:".length()));
            if (p >= 0 && p <= 100) {
                return OperatingGoal.withinAccuracy(p / 100);
            }
        }
        if (g.startsWith("earliness:")) {
            double e = number(g.substring("earliness:".length()));
            if (e > 0 && e <= 1) {
                return OperatingGoal.withinEarliness(e);
            }
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        throw new IllegalArgumentException(option + " = " + shown + ", expected hm, within:POINTS with POINTS in [0, 100] "
                + "(e.g. within:1, the earliest decisions within one percentage point of full-length accuracy) or "
                + "earliness:FRACTION with FRACTION in (0, 1] (e.g. earliness:0.4, the most accurate decisions made on "
                + "average within the first 40% of the steps)");
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
