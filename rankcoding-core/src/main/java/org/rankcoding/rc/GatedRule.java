package org.rankcoding.rc;

import java.util.Objects;

/**
 * A rule around another one that decides where the wrapped rule holds and a condition on the step holds too
 * ({@link MinimumSteps}: the step number; {@link AbstainingClasses}: the predicted class). The wrapped rule is asked at
 * every step, also after it fired, so it must answer whether its condition holds at each step. Immutable and
 * thread-safe when the condition is.
 */
abstract class GatedRule implements DecisionRule {

    private final DecisionRule rule;

    GatedRule(DecisionRule rule) {
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    /** The wrapped rule. */
    public DecisionRule rule() {
        return rule;
    }

    /** Whether a decision may happen at 1-based {@code step} with the probabilities {@code p[off..]}; allocates nothing. */
    abstract boolean allows(int step, double[] p, int off);

    /** A tracker around one of the wrapped rule's. */
    @Override
    public final Tracker newTracker() {
        Tracker inner = rule.newTracker();
        return new Tracker() {
            @Override
            public void begin(int rows) {
                inner.begin(rows);
            }

            @Override
            public boolean decides(int row, int step, double[] p, int off) {
                return inner.decides(row, step, p, off) && allows(step, p, off);
            }
        };
    }
}
