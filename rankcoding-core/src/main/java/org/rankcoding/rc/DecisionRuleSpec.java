package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which decision rule a model uses, independent of any network: the threshold (a {@link ThresholdSchedule}: constant or
 * per step), {@code k} consecutive agreeing steps ({@link ConsecutiveAgreement}) and {@code m}, the first step a
 * decision may happen at ({@link MinimumSteps}). A row decides at the first step {@code t >= m} at which the last
 * {@code k} steps crossed their thresholds with the same class (agreeing steps before {@code m} count). {@code k = 1},
 * {@code m = 1} and a constant threshold are threshold crossing ({@link FirstSpikeDetector}). Classes listed as
 * abstaining ({@link AbstainingClasses}) never decide: a row whose agreeing prediction is one of them goes on. A row
 * that reaches its end without deciding is answered as {@code undecided} says ({@link UndecidedAnswer}: its last step's
 * prediction, the default, or the class of its mean probability over its steps).
 *
 * <p>Training, batch inference, streaming, evaluation and sweeps build their rule from one spec with
 * {@link #rule(OutputHead)}; model files and checkpoints store it in its text form ({@link #toString()}, read by
 * {@link #parse(String)}): {@code threshold=0.95;consecutive=1;minSteps=1}, followed by {@code ;abstain=0,1} when
 * classes abstain and by {@code ;undecided=MEAN_PROBABILITY} when undecided rows are not answered at their last step.
 *
 * @param threshold   the threshold at each step
 * @param consecutive {@code k} in [1, {@link ConsecutiveAgreement#MAX_CONSECUTIVE}]
 * @param minSteps    {@code m} in [1, {@link MinimumSteps#MAX_MIN_STEPS}]
 * @param abstaining  the classes that never decide, ascending and distinct (the constructor sorts them and drops
 *                    repeats), each in [0, {@link #MAX_CLASS}]; empty for none
 * @param undecided   what a row that ends undecided answers
 */
public record DecisionRuleSpec(ThresholdSchedule threshold, int consecutive, int minSteps, List<Integer> abstaining,
                               UndecidedAnswer undecided) {

    /** The largest class index an abstaining class may have. */
    public static final int MAX_CLASS = 65_535;

    private static final String THRESHOLD = "threshold=";
    private static final String CONSECUTIVE = "consecutive=";
    private static final String MIN_STEPS = "minSteps=";
    private static final String ABSTAIN = "abstain=";
    private static final String UNDECIDED = "undecided=";

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a null schedule or answer, k or m out of range, or an abstaining class out
     *                                  of [0, {@link #MAX_CLASS}]
     */
    public DecisionRuleSpec {
        if (threshold == null) {
            throw new IllegalArgumentException("threshold schedule is null; use ThresholdSchedule.constant(0.95) for a "
                    + "constant threshold");
        }
        ConsecutiveAgreement.requireConsecutive(consecutive);
        MinimumSteps.requireMinSteps(minSteps);
        abstaining = normalise(abstaining);
        if (undecided == null) {
            throw new IllegalArgumentException("undecided answer is null; use UndecidedAnswer.LAST_STEP for the last step's "
                    + "prediction");
        }
    }

    /**
     * A rule whose undecided rows are answered at their last step.
     *
     * @throws IllegalArgumentException for a null schedule, k or m out of range, or an abstaining class out of range
     */
    public DecisionRuleSpec(ThresholdSchedule threshold, int consecutive, int minSteps, List<Integer> abstaining) {
        this(threshold, consecutive, minSteps, abstaining, UndecidedAnswer.LAST_STEP);
    }

    /**
     * A rule in which every class may decide, undecided rows answered at their last step.
     *
     * @throws IllegalArgumentException for a null schedule, or k or m out of range
     */
    public DecisionRuleSpec(ThresholdSchedule threshold, int consecutive, int minSteps) {
        this(threshold, consecutive, minSteps, List.of());
    }

    private static List<Integer> normalise(Collection<Integer> classes) {
        if (classes == null) {
            throw new IllegalArgumentException("abstaining classes are null; give List.of() for none");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (Integer c : classes) {
            if (c == null || c < 0 || c > MAX_CLASS) {
                throw new IllegalArgumentException("abstaining class " + c + ", expected a class index from 0 to " + MAX_CLASS);
            }
            sorted.add(c);
        }
        return List.copyOf(sorted);
    }

    /**
     * Threshold crossing at the constant {@code theta}.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public static DecisionRuleSpec thresholdCrossing(double theta) {
        return new DecisionRuleSpec(ThresholdSchedule.constant(theta), 1, 1);
    }

    /**
     * The rule for {@code head}: a {@link FirstSpikeDetector} for threshold crossing. Immutable, shareable.
     *
     * @throws IllegalArgumentException when an abstaining class is not one of the head's classes, or every class
     *                                  abstains
     */
    public DecisionRule rule(OutputHead head) {
        Objects.requireNonNull(head, "head");
        DecisionRule base = consecutive == 1 && threshold.isConstant()
                ? new FirstSpikeDetector(head, threshold.start())
                : new ConsecutiveAgreement(head, threshold, consecutive);
        DecisionRule kept = abstaining.isEmpty() ? base : new AbstainingClasses(base, head, abstaining);
        DecisionRule gated = minSteps == 1 ? kept : new MinimumSteps(kept, minSteps);
        return undecided.around(gated, head);
    }

    /**
     * Whether this is plain threshold crossing (constant threshold, {@code k = 1}, {@code m = 1}, no abstaining
     * class, undecided rows answered at their last step).
     */
    public boolean isThresholdCrossing() {
        return consecutive == 1 && minSteps == 1 && threshold.isConstant() && abstaining.isEmpty()
                && undecided == UndecidedAnswer.LAST_STEP;
    }

    /**
     * This rule with {@code k} consecutive agreeing steps, the rest kept (how a calibration tries several {@code k}).
     *
     * @throws IllegalArgumentException if k is out of range
     */
    public DecisionRuleSpec withConsecutive(int k) {
        return k == consecutive ? this : new DecisionRuleSpec(threshold, k, minSteps, abstaining, undecided);
    }

    /**
     * This rule with {@code classes} as its abstaining classes (replacing any it had), threshold, {@code k} and
     * {@code m} kept.
     *
     * @throws IllegalArgumentException for a class out of [0, {@link #MAX_CLASS}]
     */
    public DecisionRuleSpec withAbstaining(Collection<Integer> classes) {
        Objects.requireNonNull(classes, "classes is null; give List.of() for none");
        return new DecisionRuleSpec(threshold, consecutive, minSteps, new ArrayList<>(classes), undecided);
    }

    /** This rule with undecided rows answered as {@code answer} says, the rest kept. */
    public DecisionRuleSpec withUndecided(UndecidedAnswer answer) {
        Objects.requireNonNull(answer, "answer is null; use UndecidedAnswer.LAST_STEP for the last step's prediction");
        return answer == undecided ? this : new DecisionRuleSpec(threshold, consecutive, minSteps, abstaining, answer);
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
        return moved == threshold ? this : new DecisionRuleSpec(moved, consecutive, minSteps, abstaining, undecided);
    }

    /**
     * Reads the text form {@code threshold=S;consecutive=K;minSteps=M}, optionally followed by {@code ;abstain=C,...}
     * and then by {@code ;undecided=A} (fields in this order; {@code S} as {@link ThresholdSchedule#parse(String)} reads
     * it, {@code C} class indices, {@code A} an {@link UndecidedAnswer} name).
     *
     * @throws IllegalArgumentException naming what is not valid
     */
    public static DecisionRuleSpec parse(String text) {
        Objects.requireNonNull(text, "text is null");
        if (text.length() > ThresholdSchedule.MAX_TEXT) {
            throw new IllegalArgumentException("decision rule is too long; expected "
                    + "threshold=0.95;consecutive=1;minSteps=1");
        }
        String[] parts = text.split(";", -1);
        int next = 3;
        boolean fixed = parts.length >= 3 && parts[0].startsWith(THRESHOLD) && parts[1].startsWith(CONSECUTIVE)
                && parts[2].startsWith(MIN_STEPS);
        String abstainText = fixed && next < parts.length && parts[next].startsWith(ABSTAIN)
                ? parts[next++].substring(ABSTAIN.length()) : null;
        String undecidedText = fixed && next < parts.length && parts[next].startsWith(UNDECIDED)
                ? parts[next++].substring(UNDECIDED.length()) : null;
        if (!fixed || next != parts.length) {
            String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
            throw new IllegalArgumentException("decision rule '" + shown + "', expected threshold=S;consecutive=K;minSteps=M "
                    + "with an optional ;abstain=C,... and then an optional ;undecided=A, for example "
                    + "threshold=0.95;consecutive=1;minSteps=1;abstain=0,1;undecided=MEAN_PROBABILITY");
        }
        ThresholdSchedule s = ThresholdSchedule.parse(parts[0].substring(THRESHOLD.length()));
        List<Integer> abstain = abstainText != null ? classes(abstainText) : List.of();
        UndecidedAnswer answer = undecidedText != null ? UndecidedAnswer.parse(undecidedText) : UndecidedAnswer.LAST_STEP;
        return new DecisionRuleSpec(s, count(parts[1].substring(CONSECUTIVE.length()), "consecutive"),
                count(parts[2].substring(MIN_STEPS.length()), "minSteps"), abstain, answer);
    }

    private static List<Integer> classes(String text) {
        if (!text.matches("[0-9]{1,5}(,[0-9]{1,5}){0,255}")) {
            throw new IllegalArgumentException("decision rule: abstain = '" + (text.length() > 20 ? text.substring(0, 20)
                    + "..." : text) + "', expected class indices separated by commas, such as 0,1");
        }
        List<Integer> out = new ArrayList<>();
        for (String c : text.split(",")) {
            out.add(Integer.parseInt(c));
        }
        return out;
    }

    private static int count(String text, String name) {
        if (!text.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("decision rule: " + name + " = '" + (text.length() > 20 ? text.substring(0, 20)
                    + "..." : text) + "', expected a whole number from 1 to " + ThresholdSchedule.MAX_STEPS);
        }
        return Integer.parseInt(text);
    }

    /**
     * The text form {@code threshold=S;consecutive=K;minSteps=M}, then {@code ;abstain=C,...} when classes abstain and
     * {@code ;undecided=A} when undecided rows are not answered at their last step.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(THRESHOLD).append(threshold).append(';').append(CONSECUTIVE).append(consecutive)
                .append(';').append(MIN_STEPS).append(minSteps);
        if (!abstaining.isEmpty()) {
            b.append(';').append(ABSTAIN);
            for (int i = 0; i < abstaining.size(); i++) {
                b.append(i == 0 ? "" : ",").append(abstaining.get(i));
            }
        }
        if (undecided != UndecidedAnswer.LAST_STEP) {
            b.append(';').append(UNDECIDED).append(undecided.name());
        }
        return b.toString();
    }
}
