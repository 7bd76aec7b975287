package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

/**
 * The tracker of the rule a pass was last given, kept while the same rule (or the same threshold) comes again, so that
 * a pass reused with one rule allocates nothing per call.
 */
final class RuleCache {

    private final OutputHead head;
    private DecisionRule rule;
    private DecisionRule.Tracker tracker;
    private FirstSpikeDetector threshold;

    RuleCache(OutputHead head) {
        this.head = head;
    }

    /** A tracker of {@code rule} (the last one if {@code rule} is the last rule given). */
    DecisionRule.Tracker tracker(DecisionRule rule) {
        if (rule != this.rule) {
            this.tracker = rule.newTracker();
            this.rule = rule;
        }
        return tracker;
    }

    /**
     * The threshold-crossing rule at {@code theta} (the last one if the threshold is the same).
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    FirstSpikeDetector threshold(double theta) {
        if (threshold == null || Double.compare(threshold.theta(), theta) != 0) {
            threshold = new FirstSpikeDetector(head, theta);
        }
        return threshold;
    }
}
