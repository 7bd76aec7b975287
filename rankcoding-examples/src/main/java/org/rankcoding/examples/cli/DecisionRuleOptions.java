package org.rankcoding.examples.cli;

import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.rc.UndecidedAnswer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options that choose the decision rule beyond the threshold (a picocli mixin): {@code --consecutive K} agreeing
 * steps, {@code --min-steps M}, {@code --threshold-schedule S} and {@code --undecided A}. An option not given keeps the part of the rule it
 * would change (threshold crossing for training, the model file's rule for streaming).
 */
public final class DecisionRuleOptions {

    @Range(min = 1, max = ThresholdSchedule.MAX_STEPS, note = "1: decide at the first step that crosses the threshold")
    @Option(names = "--consecutive", paramLabel = "K",
            description = "Decide at the K-th consecutive step whose output crosses the threshold with the same predicted class "
                    + "(1 to 100000; default: 1, the first crossing; streaming: the model file's).")
    Integer consecutive;

    @Range(min = 1, max = ThresholdSchedule.MAX_STEPS, note = "1: a decision may happen at the first step")
    @Option(names = "--min-steps", paramLabel = "M",
            description = "No decision before step M (1 to 100000; agreeing steps before M count toward --consecutive; "
                    + "default: 1; streaming: the model file's).")
    Integer minSteps;

    @Option(names = "--threshold-schedule", paramLabel = "S",
            description = "The threshold per step instead of --threshold: per-step values 0.99,0.97,0.95 (the last holds after) "
                    + "or linear:0.99:0.9:20 (theta0 to theta1 over 20 steps). Sweeps move it to start at each swept "
                    + "threshold, keeping its shape in log-odds.")
    String thresholdSchedule;

    @Option(names = "--undecided", paramLabel = "A",
            description = "What a sequence that ends without deciding answers: LAST_STEP (the prediction at its last step) or "
                    + "MEAN_PROBABILITY (the class of its mean probability over its steps); the training loss stays at the last "
                    + "step either way (default: LAST_STEP; streaming and read-outs: the model file's).")
    UndecidedAnswer undecided;

    /** Whether {@code --threshold-schedule} was given. */
    boolean hasSchedule() {
        return thresholdSchedule != null;
    }

    /**
     * Checks the options on their own, before any model is read (the rule a command applies them to comes later).
     *
     * @throws ParameterException naming the option, for a schedule that does not parse
     */
    void check(CommandLine commandLine) {
        try {
            applyTo(DecisionRuleSpec.thresholdCrossing(0.95));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage(), e);
        }
    }

    /**
     * Checks the options together with a command's own {@code --threshold} ({@code null} when not given), for the
     * commands that read a saved model out: the threshold must be a valid spike threshold, and it and
     * {@code --threshold-schedule} must not both be given.
     *
     * @throws ParameterException naming the option
     */
    void checkWithThreshold(CommandLine commandLine, Double threshold) {
        if (threshold != null) {
            try {
                FirstSpikeDetector.requireThreshold(threshold);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandLine, "--threshold: " + e.getMessage(), e);
            }
            if (hasSchedule()) {
                throw new ParameterException(commandLine, "--threshold and --threshold-schedule both set the threshold; "
                        + "give one of them");
            }
        }
        check(commandLine);
    }

    /**
     * A saved model's rule {@code saved} moved to {@code threshold} (when not {@code null}), then with the parts these
     * options give replaced; the options were checked with {@link #checkWithThreshold}.
     */
    DecisionRuleSpec applyTo(DecisionRuleSpec saved, Double threshold) {
        return applyTo(threshold != null ? saved.withThreshold(threshold) : saved);
    }

    /**
     * {@code base} with the parts these options give replaced.
     *
     * The numbers are in their declared ranges ({@link OptionBounds}).
     *
     * @throws IllegalArgumentException for a schedule that does not parse, naming the option
     */
    DecisionRuleSpec applyTo(DecisionRuleSpec base) {
        ThresholdSchedule schedule = base.threshold();
        if (thresholdSchedule != null) {
            try {
                schedule = ThresholdSchedule.parse(thresholdSchedule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--threshold-schedule: " + e.getMessage(), e);
            }
        }
        return new DecisionRuleSpec(schedule, consecutive != null ? consecutive : base.consecutive(),
                minSteps != null ? minSteps : base.minSteps(), base.abstaining(),
                undecided != null ? undecided : base.undecided());
    }
}
