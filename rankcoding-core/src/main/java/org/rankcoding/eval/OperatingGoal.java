package org.rankcoding.eval;

/**
 * What an early-exit user asks of an operating point (a decision rule and its threshold), stated once and met by
 * {@link ThresholdCalibrator} on validation data:
 * <ul>
 *   <li>{@link WithinAccuracy}: the earliest decisions whose accuracy is within a tolerance of the model's own
 *       full-length accuracy (its accuracy when it reads every series to its end);</li>
 *   <li>{@link BestHarmonicMean}: the highest harmonic mean of accuracy and {@code 1 - earliness}, the
 *       early-classification literature's single figure;</li>
 *   <li>{@link WithinEarliness}: the most accurate decisions that come, on average, within a budget of the sequence
 *       (a latency budget: "decide after at most 40% of the input on average, as accurately as possible").</li>
 * </ul>
 */
public sealed interface OperatingGoal permits OperatingGoal.WithinAccuracy, OperatingGoal.BestHarmonicMean,
        OperatingGoal.WithinEarliness {

    /**
     * The earliest decisions (lowest mean earliness) whose accuracy at the decision is at least the full-length
     * accuracy minus {@code tolerance}.
     *
     * @param tolerance accuracy that may be given up, as a fraction in [0, 1] (0.01 = one percentage point)
     */
    record WithinAccuracy(double tolerance) implements OperatingGoal {

        /** @throws IllegalArgumentException for a tolerance outside [0, 1] or not a number */
        public WithinAccuracy {
            if (!(tolerance >= 0 && tolerance <= 1)) {
                throw new IllegalArgumentException("accuracy tolerance = " + tolerance + ", expected a fraction in [0, 1] "
                        + "(0.01 = one percentage point below the full-length accuracy)");
            }
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "earliest within %.1f points of full-length accuracy", 100 * tolerance);
        }
    }

    /** The highest harmonic mean {@code 2 a (1 - e) / (a + 1 - e)} of accuracy {@code a} and earliness {@code e}. */
    record BestHarmonicMean() implements OperatingGoal {

        @Override
        public String describe() {
            return "highest harmonic mean of accuracy and 1 - earliness";
        }
    }

    /**
     * The most accurate decisions whose mean earliness (mean over examples of decision step / length) is at most
     * {@code maxEarliness}.
     *
     * @param maxEarliness the budget, a fraction of the sequence in (0, 1] (0.4 = on average by step 8 of 20)
     */
    record WithinEarliness(double maxEarliness) implements OperatingGoal {

        /** @throws IllegalArgumentException for a budget outside (0, 1] or not a number */
        public WithinEarliness {
            if (!(maxEarliness > 0 && maxEarliness <= 1)) {
                throw new IllegalArgumentException("earliness budget = " + maxEarliness + ", expected a fraction of the "
                        + "sequence in (0, 1] (0.4 = decide on average within the first 40% of the steps)");
            }
        }

        @Override
        public String describe() {
            return String.format(java.util.Locale.ROOT, "most accurate within mean earliness %.3f", maxEarliness);
        }
    }

    /** The earliest operating point within {@code tolerance} (a fraction) of the full-length accuracy. */
    static OperatingGoal withinAccuracy(double tolerance) {
        return new WithinAccuracy(tolerance);
    }

    /** The most accurate operating point whose mean earliness is at most {@code maxEarliness}. */
    static OperatingGoal withinEarliness(double maxEarliness) {
        return new WithinEarliness(maxEarliness);
    }

    /** The operating point with the highest harmonic mean. */
    static OperatingGoal bestHarmonicMean() {
        return new BestHarmonicMean();
    }

    /** One line saying what the goal asks, for reports. */
    String describe();
}
