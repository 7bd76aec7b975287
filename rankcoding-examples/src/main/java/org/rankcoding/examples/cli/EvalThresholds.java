package org.rankcoding.examples.cli;

import org.rankcoding.eval.ThresholdSweep;

/**
 * The check every command runs on its {@code --eval-thresholds} list before any work: {@link ThresholdSweep#validate}'s,
 * with the option named in the message, so that a duplicate reads
 * {@code --eval-thresholds: threshold 0.8 is given twice in [0.8, 0.8]} whichever command was given it.
 */
final class EvalThresholds {

    static final String OPTION = "--eval-thresholds";

    private EvalThresholds() {
    }

    /**
     * Checks {@code thresholds}, the value of {@code --eval-thresholds}; nothing to check when the option was not given
     * ({@code null}) and the command has no default.
     *
     * @throws IllegalArgumentException naming the option, for an empty list, a threshold outside (0.5, 1) or a
     *                                  duplicate (the command line reports it as a usage error)
     */
    static void check(double[] thresholds) {
        if (thresholds == null) {
            return;
        }
        try {
            ThresholdSweep.validate(thresholds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(OPTION + ": " + e.getMessage(), e);
        }
    }
}
