package org.rankcoding.rc;

/**
 * No decision before step {@code m}: a {@link DecisionRule} that decides at the first step {@code t >= m} at which the
 * rule it wraps holds. The wrapped rule is asked at every step from 1 on (its state, such as a count of agreeing
 * steps, includes the steps before {@code m}) and again after it fired, so it must answer, at each step, whether its
 * condition holds there (the library's rules do: {@link FirstSpikeDetector}, {@link ConsecutiveAgreement}). Immutable
 * and thread-safe.
 */
public final class MinimumSteps extends GatedRule {

    /** The largest {@code m}. */
    public static final int MAX_MIN_STEPS = ThresholdSchedule.MAX_STEPS;

    private final int minSteps;

    /**
     * @param rule     the rule that decides from step {@code minSteps} on
     * @param minSteps {@code m}, the first step a decision may happen at, in [1, {@link #MAX_MIN_STEPS}]
     * @throws IllegalArgumentException if m is out of range
     */
    public MinimumSteps(DecisionRule rule, int minSteps) {
        super(rule);
        this.minSteps = requireMinSteps(minSteps);
    }

    /**
     * Checks {@code m}.
     *
     * @return m
     * @throws IllegalArgumentException if m is outside [1, {@link #MAX_MIN_STEPS}]
     */
    public static int requireMinSteps(int m) {
        if (m < 1 || m > MAX_MIN_STEPS) {
            throw new IllegalArgumentException("minimum steps m = " + m + ", expected 1 to " + MAX_MIN_STEPS
                    + " (1: a decision may happen at the first step)");
        }
        return m;
    }

    /** {@code m}. */
    public int minSteps() {
        return minSteps;
    }

    /** From step {@code m} on. */
    @Override
    boolean allows(int step, double[] p, int off) {
        return step >= minSteps;
    }
}
