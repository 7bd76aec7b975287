package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Objects;

/**
 * Which decision rule a model uses, independent of any network: the threshold (a {@link ThresholdSchedule}: constant or
 * per step), {@code k} consecutive agreeing steps ({@link ConsecutiveAgreement}) and {@code m}, the first step a
 * decision may happen at ({@link MinimumSteps}). A row decides at the first step {@code t >= m} at which the last
 * {@code k} steps crossed their thresholds with the same class (agreeing steps before {@code m} count). {@code k = 1},
 * {@code m = 1} and a constant threshold are threshold crossing ({@link FirstSpikeDetector}).
 *
 * <p>Training, batch inference, streaming, evaluation and sweeps build their rule from one spec with
 * {@link #rule(OutputHead)}; model files and checkpoints store it in its text form ({@link #toString()}, read by
 * {@link #parse(String)}): {@code threshold=0.95;consecutive=1;minSteps=1}.
 *
 * @param threshold   the threshold at each step
 * @param consecutive {@code k} in [1, {@link ConsecutiveAgreement#MAX_CONSECUTIVE}]
 * @param minSteps    {@code m} in [1, {@link MinimumSteps#MAX_MIN_STEPS}]
 */
public record DecisionRuleSpec(ThresholdSchedule threshold, int consecutive, int minSteps) {

    private static final String THRESHOLD = "threshold=";
    private static final String CONSECUTIVE = "consecutive=";
    private static final String MIN_STEPS = "minSteps=";

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a null schedule, or k or m out of range
     */
    public DecisionRuleSpec {
        if (threshold == null) {
            throw new IllegalArgumentException("threshold schedule is null; use ThresholdSchedule.constant(0.95) for a "
                    + "constant threshold");
        }
        ConsecutiveAgreement.requireConsecutive(consecutive);
        MinimumSteps.requireMinSteps(minSteps);
    }

    /**
     * Threshold crossing at the constant {@code theta}.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public static DecisionRuleSpec thresholdCrossing(double theta) {
        return new DecisionRuleSpec(ThresholdSchedule.constant(theta), 1, 1);
    }

    /** The rule for {@code head}: a {@link FirstSpikeDetector} for threshold crossing. Immutable, shareable. */
    public DecisionRule rule(OutputHead head) {
        Objects.requireNonNull(head, "head");
        DecisionRule base = consecutive == 1 && threshold.isConstant()
                ? new FirstSpikeDetector(head, threshold.start())
                : new ConsecutiveAgreement(head, threshold, consecutive);
        return minSteps == 1 ? base : new MinimumSteps(base, minSteps);
    }

    /** Whether this is plain threshold crossing (constant threshold, {@code k = 1}, {@code m = 1}). */
    public boolean isThresholdCrossing() {
        return consecutive == 1 && minSteps == 1 && threshold.isConstant();
    }

    /** The threshold at step 1 (the threshold of threshold crossing); what evaluations are labelled with. */
    public double startThreshold() {
        return threshold.start();
    }

    /**
     * This rule with its threshold moved to start at {@code theta}, {@code k} and {@code m} kept (how a threshold sweep
     * and a training grid move it; see {@link ThresholdSchedule#startingAt(double)}).
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public DecisionRuleSpec withThreshold(double theta) {
        ThresholdSchedule moved = threshold.startingAt(theta);
        return moved == threshold ? this : new DecisionRuleSpec(moved, consecutive, minSteps);
    }

    /**
     * Reads the text form {@code threshold=S;consecutive=K;minSteps=M} (fields in this order; {@code S} as
     * {@link ThresholdSchedule#parse(String)} reads it).
     *
     * @throws IllegalArgumentException naming what is not valid
     */
    public static DecisionRuleSpec parse(String text) {
        Objects.requireNonNull(text, "text is null");
        if (text == null || text.length() > ThresholdSchedule.MAX_TEXT) {
            throw new IllegalArgumentException("decision rule is missing or too long; expected "
                    + "threshold=0.95;consecutive=1;minSteps=1");
        }
        String[] parts = text.split(";", -1);
        if (parts.length != 3 || !parts[0].startsWith(THRESHOLD) || !parts[1].startsWith(CONSECUTIVE)
                || !parts[2].startsWith(MIN_STEPS)) {
            String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
            throw new IllegalArgumentException("decision rule '" + shown + "', expected threshold=S;consecutive=K;minSteps=M, "
                    + "for example threshold=0.95;consecutive=1;minSteps=1");
        }
        ThresholdSchedule s = ThresholdSchedule.parse(parts[0].substring(THRESHOLD.length()));
        return new DecisionRuleSpec(s, count(parts[1].substring(CONSECUTIVE.length()), "consecutive"),
                count(parts[2].substring(MIN_STEPS.length()), "minSteps"));
    }

    private static int count(String text, String name) {
        if (!text.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("decision rule: " + name + " = '" + (text.length() > 20 ? text.substring(0, 20)
                    + "..." : text) + "', expected a whole number from 1 to " + ThresholdSchedule.MAX_STEPS);
        }
        return Integer.parseInt(text);
    }

    /** The text form {@code threshold=S;consecutive=K;minSteps=M}. */
    @Override
    public String toString() {
        return THRESHOLD + threshold + ";" + CONSECUTIVE + consecutive + ";" + MIN_STEPS + minSteps;
    }
}
