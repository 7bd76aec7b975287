package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Arrays;
import java.util.Objects;

/**
 * The "k consecutive agreeing steps" {@link DecisionRule} (aeon's {@code consecutive_predictions}): a row decides at
 * the {@code k}-th consecutive step whose probabilities cross that step's threshold ({@link ThresholdSchedule#at}) with
 * the same predicted class. A step that does not cross, or crosses with another class, starts the count again (from 0
 * or 1). With {@code k = 1} and a constant schedule it decides exactly as {@link FirstSpikeDetector}. Immutable and
 * thread-safe; its trackers keep a count and a class per row.
 *
 * <p>Asked again after it fired (as {@link MinimumSteps} does), a tracker answers whether the last {@code k} steps
 * still agree: the count goes on.
 */
public final class ConsecutiveAgreement implements DecisionRule {

    /** The largest {@code k}. */
    public static final int MAX_CONSECUTIVE = ThresholdSchedule.MAX_STEPS;

    private final OutputHead head;
    private final ThresholdSchedule threshold;
    private final int consecutive;

    /**
     * @param threshold   the threshold at each step
     * @param consecutive {@code k}, the agreeing steps needed, in [1, {@link #MAX_CONSECUTIVE}]
     * @throws IllegalArgumentException if k is out of range
     */
    public ConsecutiveAgreement(OutputHead head, ThresholdSchedule threshold, int consecutive) {
        this.head = Objects.requireNonNull(head, "head");
        this.threshold = Objects.requireNonNull(threshold, "threshold");
        this.consecutive = requireConsecutive(consecutive);
    }

    /**
     * Checks {@code k}.
     *
     * @return k
     * @throws IllegalArgumentException if k is outside [1, {@link #MAX_CONSECUTIVE}]
     */
    public static int requireConsecutive(int k) {
        if (k < 1 || k > MAX_CONSECUTIVE) {
            throw new IllegalArgumentException("consecutive steps k = " + k + ", expected 1 to " + MAX_CONSECUTIVE
                    + " (1: decide at the first step that crosses the threshold)");
        }
        return k;
    }

    /** The threshold schedule. */
    public ThresholdSchedule threshold() {
        return threshold;
    }

    /** {@code k}. */
    public int consecutive() {
        return consecutive;
    }

    /** A tracker with a count and a class per row. */
    @Override
    public Tracker newTracker() {
        return new Counts();
    }

    /**
     * The rule applied to one row's probabilities, step after step ({@code probs[t - 1]} at step {@code t}): its
     * decision step, or {@link SpikeTimes#NO_SPIKE}.
     */
    public int firstFiring(double[][] probs) {
        Objects.requireNonNull(probs, "probs is null");
        Tracker t = newTracker();
        t.begin(1);
        for (int s = 0; s < probs.length; s++) {
            if (t.decides(0, s + 1, probs[s], 0)) {
                return s + 1;
            }
        }
        return SpikeTimes.NO_SPIKE;
    }

    /** Per row: how many consecutive steps crossed with class {@code cls}. */
    private final class Counts implements Tracker {
        private int[] run = new int[0];
        private int[] cls = new int[0];

        @Override
        public void begin(int rows) {
            if (run.length < rows) {
                run = new int[rows];
                cls = new int[rows];
            }
            Arrays.fill(run, 0);
        }

        @Override
        public boolean decides(int row, int step, double[] p, int off) {
            if (!head.crosses(p, off, threshold.at(step))) {
                run[row] = 0;
                return false;
            }
            int c = head.predict(p, off);
            run[row] = run[row] > 0 && cls[row] == c ? Math.min(run[row] + 1, consecutive) : 1;
            cls[row] = c;
            return run[row] >= consecutive;
        }
    }
}
