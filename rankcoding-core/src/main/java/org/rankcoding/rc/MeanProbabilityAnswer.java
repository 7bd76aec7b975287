package org.rankcoding.rc;

import java.util.Arrays;
import java.util.Objects;

/**
 * A rule that decides as the rule it wraps and answers a row that ends undecided with its mean probabilities over the
 * steps it was asked at ({@link UndecidedAnswer#MEAN_PROBABILITY}): every step from 1 to the row's end, since an
 * undecided row is asked at each of them. Its tracker keeps one running sum per row and output. Immutable and
 * thread-safe; {@link DecisionRuleSpec#rule} puts it outermost, so it is asked exactly as the contract of
 * {@link DecisionRule} says.
 */
public final class MeanProbabilityAnswer implements DecisionRule {

    private final DecisionRule rule;
    private final int outputs;

    /**
     * @param rule    the rule that decides
     * @param outputs the head's outputs ({@code head.outputs()}), at least 1
     * @throws IllegalArgumentException if outputs is below 1
     */
    public MeanProbabilityAnswer(DecisionRule rule, int outputs) {
        this.rule = Objects.requireNonNull(rule, "rule");
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs = " + outputs + ", expected the head's output count (>= 1)");
        }
        this.outputs = outputs;
    }

    /** The rule that decides. */
    public DecisionRule rule() {
        return rule;
    }

    @Override
    public Tracker newTracker() {
        return new Sums(rule.newTracker());
    }

    /** The wrapped rule's tracker, with each row's sum of probabilities and count of steps. */
    private final class Sums implements Tracker {

        private final Tracker inner;
        private double[] sums = new double[0];
        private int[] steps = new int[0];

        Sums(Tracker inner) {
            this.inner = inner;
        }

        @Override
        public void begin(int rows) {
            inner.begin(rows);
            if (steps.length < rows) {
                sums = new double[rows * outputs];
                steps = new int[rows];
            } else {
                Arrays.fill(sums, 0, rows * outputs, 0.0);
                Arrays.fill(steps, 0, rows, 0);
            }
        }

        @Override
        public boolean decides(int row, int step, double[] p, int off) {
            int base = row * outputs;
            for (int i = 0; i < outputs; i++) {
                sums[base + i] += p[off + i];
            }
            steps[row]++;
            return inner.decides(row, step, p, off);
        }

        @Override
        public void undecidedAnswer(int row, double[] p, int off, double[] out) {
            int base = row * outputs;
            double n = steps[row];
            for (int i = 0; i < outputs; i++) {
                out[i] = sums[base + i] / n;
            }
        }
    }
}
