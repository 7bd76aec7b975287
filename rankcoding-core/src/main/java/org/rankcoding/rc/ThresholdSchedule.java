package org.rankcoding.rc;

import java.util.Objects;

import java.util.Arrays;
import java.util.Locale;

/**
 * The spike threshold as a function of the step: a constant {@code theta}, a list of per-step values (the last one
 * holds after the list ends) or a linear change from {@code theta0} at step 1 to {@code theta1} at step {@code T}
 * ({@code theta1} after). Every value is strictly inside (0.5, 1). Immutable; {@link #at(int)} allocates nothing.
 *
 * <p>Text form (what {@link #toString()} writes and {@link #parse(String)} reads, as model files, checkpoints and the
 * command line do): {@code 0.95} (constant), {@code 0.99,0.97,0.95} (per step), {@code linear:0.99:0.9:20}
 * ({@code theta0:theta1:T}).
 *
 * <p>A threshold sweep moves a schedule with {@link #startingAt(double)}: its value at step 1 becomes the swept
 * threshold and every other defining value keeps its ratio of log-odds {@code ln(v / (1 - v))} to the start's, so
 * every value stays inside (0.5, 1) and a decreasing schedule stays decreasing.
 */
public final class ThresholdSchedule {

    /** The most values of a per-step list and the longest linear change, in steps. */
    public static final int MAX_STEPS = 100_000;
    /** The longest text {@link #parse(String)} reads. */
    public static final int MAX_TEXT = 4_000_000;

    private static final String LINEAR = "linear:";

    /** Per-step values (constant: one value; linear: {@code theta0, theta1}). */
    private final double[] values;
    /** The steps of a linear change ({@code >= 2}), or 0 for a list. */
    private final int linearSteps;

    private ThresholdSchedule(double[] values, int linearSteps) {
        this.values = values;
        this.linearSteps = linearSteps;
    }

    /**
     * The constant threshold {@code theta}.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public static ThresholdSchedule constant(double theta) {
        return new ThresholdSchedule(new double[]{FirstSpikeDetector.requireThreshold(theta)}, 0);
    }

    /**
     * The threshold {@code values[t - 1]} at step {@code t}, the last value after the list ends.
     *
     * @throws IllegalArgumentException for no value, more than {@link #MAX_STEPS}, or a value outside (0.5, 1)
     */
    public static ThresholdSchedule perStep(double... values) {
        if (values == null || values.length == 0 || values.length > MAX_STEPS) {
            throw new IllegalArgumentException("a per-step threshold schedule has " + (values == null ? 0 : values.length)
                    + " values, expected 1 to " + MAX_STEPS + " values, each strictly inside (0.5, 1)");
        }
        double[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            requireValue(copy[i], "step " + (i + 1));
        }
        return new ThresholdSchedule(copy, 0);
    }

    /**
     * {@code theta0} at step 1 changing linearly to {@code theta1} at step {@code steps}, then {@code theta1}.
     *
     * @throws IllegalArgumentException if a threshold is outside (0.5, 1) or steps is outside [2, {@link #MAX_STEPS}]
     */
    public static ThresholdSchedule linear(double theta0, double theta1, int steps) {
        requireValue(theta0, "theta0");
        requireValue(theta1, "theta1");
        if (steps < 2 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("a linear threshold schedule over " + steps + " steps, expected 2 to "
                    + MAX_STEPS + " steps (theta0 at step 1, theta1 at the last)");
        }
        return new ThresholdSchedule(new double[]{theta0, theta1}, steps);
    }

    private static double requireValue(double v, String what) {
        if (!(v > 0.5 && v < 1.0)) {
            throw new IllegalArgumentException("threshold at " + what + " = " + v + ", expected strictly inside (0.5, 1)");
        }
        return v;
    }

    /**
     * Reads the text form (see the class comment).
     *
     * @throws IllegalArgumentException naming the part that is not a valid schedule
     */
    public static ThresholdSchedule parse(String text) {
        Objects.requireNonNull(text, "text is null");
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            throw new IllegalArgumentException("threshold schedule '" + shown(text) + "' is empty or too long; expected "
                    + "0.95, 0.99,0.97,0.95 (per step) or linear:0.99:0.9:20 (theta0:theta1:steps)");
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith(LINEAR)) {
            String[] parts = t.substring(LINEAR.length()).split(":", -1);
            if (parts.length != 3) {
                throw new IllegalArgumentException("threshold schedule '" + shown(text) + "': expected linear:theta0:theta1:steps, "
                        + "for example linear:0.99:0.9:20");
            }
            return linear(number(parts[0], text), number(parts[1], text), (int) Math.min(Integer.MAX_VALUE,
                    Math.max(Integer.MIN_VALUE, integer(parts[2], text))));
        }
        String[] parts = t.split(",", -1);
        if (parts.length > MAX_STEPS) {
            throw new IllegalArgumentException("threshold schedule '" + shown(text) + "' has " + parts.length
                    + " values, expected at most " + MAX_STEPS);
        }
        double[] v = new double[parts.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = number(parts[i], text);
        }
        return v.length == 1 ? constant(v[0]) : perStep(v);
    }

    private static double number(String part, String text) {
        try {
            return Double.parseDouble(part.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold schedule '" + shown(text) + "': '" + shown(part.trim())
                    + "' is not a number; expected values strictly inside (0.5, 1)");
        }
    }

    private static long integer(String part, String text) {
        try {
            return Long.parseLong(part.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold schedule '" + shown(text) + "': steps '" + shown(part.trim())
                    + "' is not a whole number; expected 2 to " + MAX_STEPS);
        }
    }

    private static String shown(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** The threshold at 1-based step {@code step} (steps below 1 read as step 1). Allocates nothing. */
    public double at(int step) {
        if (linearSteps > 0) {
            if (step >= linearSteps) {
                return values[1];
            }
            if (step <= 1) {
                return values[0];
            }
            return values[0] + (values[1] - values[0]) * (step - 1) / (linearSteps - 1);
        }
        return values[Math.max(0, Math.min(step, values.length) - 1)];
    }

    /** The threshold at step 1. */
    public double start() {
        return values[0];
    }

    /** Whether the threshold is the same at every step. */
    public boolean isConstant() {
        if (linearSteps > 0) {
            return values[0] == values[1];
        }
        for (double v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * This schedule moved to start at {@code theta} (how a threshold sweep moves it): the value at step 1 becomes
     * {@code theta}, and each other defining value {@code v} becomes {@code v'} with
     * {@code logit(v') = logit(v) * logit(theta) / logit(start())}, {@code logit(x) = ln(x / (1 - x))}; a value equal to
     * the start becomes {@code theta} exactly, so a constant schedule becomes the constant {@code theta}.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public ThresholdSchedule startingAt(double theta) {
        FirstSpikeDetector.requireThreshold(theta);
        if (theta == values[0]) {
            return this;
        }
        double ratio = logit(theta) / logit(values[0]);
        double[] moved = new double[values.length];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = values[i] == values[0] ? theta : clampInside(1.0 / (1.0 + Math.exp(-logit(values[i]) * ratio)));
        }
        return new ThresholdSchedule(moved, linearSteps);
    }

    private static double logit(double x) {
        return Math.log(x / (1.0 - x));
    }

    /** Keeps a moved value strictly inside (0.5, 1) where rounding would reach a bound. */
    private static double clampInside(double v) {
        return Math.min(Math.nextDown(1.0), Math.max(Math.nextUp(0.5), v));
    }

    /** The text form (see the class comment); numbers as {@link Double#toString(double)}, which reads back exactly. */
    @Override
    public String toString() {
        if (linearSteps > 0) {
            return LINEAR + values[0] + ":" + values[1] + ":" + linearSteps;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.toString();
    }

    /** Equal when the forms and values are equal (a list and a linear change are different schedules). */
    @Override
    public boolean equals(Object o) {
        return o instanceof ThresholdSchedule s && s.linearSteps == linearSteps && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(values) + linearSteps;
    }
}
