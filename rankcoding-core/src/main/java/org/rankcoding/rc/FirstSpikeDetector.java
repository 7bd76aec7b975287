package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Objects;

/**
 * The threshold-crossing {@link DecisionRule}, for one head and one threshold {@code theta}: a row spikes (and
 * decides) at the first step its probabilities cross the threshold, two-sided for the binary head
 * ({@code p > theta} or {@code p < 1 - theta}), max-class for the others ({@code max_k p_k > theta}). It remembers
 * nothing between steps, so it is its own {@link DecisionRule.Tracker}. Immutable and thread-safe.
 */
public final class FirstSpikeDetector implements DecisionRule, DecisionRule.Tracker {

    private final OutputHead head;
    private final double theta;

    /**
     * @param theta the threshold, strictly inside (0.5, 1)
     * @throws IllegalArgumentException if theta is outside (0.5, 1) or not a number
     */
    public FirstSpikeDetector(OutputHead head, double theta) {
        Objects.requireNonNull(head, "head is null");
        this.head = head;
        this.theta = requireThreshold(theta);
    }

    /**
     * Checks a threshold.
     *
     * @return {@code theta}
     * @throws IllegalArgumentException if theta is outside (0.5, 1) or not a number
     */
    public static double requireThreshold(double theta) {
        if (!(theta > 0.5 && theta < 1.0)) {
            throw new IllegalArgumentException("threshold theta = " + theta + ", expected strictly inside (0.5, 1): at 0.5 or below "
                    + "every output would spike at once, at 1 or above none ever would");
        }
        return theta;
    }

    /** The head. */
    public OutputHead head() {
        return head;
    }

    /** The threshold. */
    public double theta() {
        return theta;
    }

    /** This rule: it keeps no state per row. */
    @Override
    public Tracker newTracker() {
        return this;
    }

    /** Nothing to forget. */
    @Override
    public void begin(int rows) {
        // stateless
    }

    /** Whether the probabilities at {@code p[off..]} cross the threshold (whatever the row and step). */
    @Override
    public boolean decides(int row, int step, double[] p, int off) {
        Objects.requireNonNull(p, "p is null");
        return head.crosses(p, off, theta);
    }

    /** Whether the probabilities at {@code p[pOff..]} are a spike. */
    public boolean spikes(double[] p, int pOff) {
        Objects.requireNonNull(p, "p is null");
        return head.crosses(p, pOff, theta);
    }

    /**
     * The first spike in a sequence of probability vectors: the smallest 1-based step {@code t} whose
     * probabilities {@code probs[t-1]} spike, or {@link SpikeTimes#NO_SPIKE}. A spike at step 1 is
     * reported as 1.
     */
    public int firstSpike(double[][] probs) {
        Objects.requireNonNull(probs, "probs is null");
        for (int t = 0; t < probs.length; t++) {
            if (spikes(probs[t], 0)) {
                return t + 1;
            }
        }
        return SpikeTimes.NO_SPIKE;
    }
}
