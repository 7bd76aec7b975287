package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.rc.SpikeTimes;

import java.util.Arrays;

/**
 * What one batch's rows decided under each of {@code rules} decision rules (one for {@link Evaluator}, one per threshold
 * for {@link ThresholdSweep}): each row's first spike and prediction there under each rule, its answer under each
 * rule if it has no spike, and its prediction at its last step. Kept apart from the {@link EvaluationTally tallies} so that batches computed on several threads can be
 * tallied afterwards in batch order, row by row, exactly as one thread tallies them. Grows on demand, never shrinks.
 * Not thread-safe.
 */
final class RowDecisions {

    private final int rules;
    private int rows;
    /** {@code spike[k][r]}: row {@code r}'s first spike (1-based) under rule {@code k}, or {@link SpikeTimes#NO_SPIKE}. */
    private int[][] spike;
    /** {@code prediction[k][r]}: row {@code r}'s prediction at its first spike under rule {@code k} (unused without one). */
    private int[][] prediction;
    /** {@code undecided[k][r]}: row {@code r}'s answer under rule {@code k} without a spike (unused with one). */
    private int[][] undecided;
    /** {@code predLast[r]}: row {@code r}'s prediction at its last step. */
    private int[] predLast;

    /** Room for {@code rows} rows under {@code rules} rules (at least one). */
    RowDecisions(int rules, int rows) {
        this.rules = rules;
        this.spike = new int[rules][rows];
        this.prediction = new int[rules][rows];
        this.undecided = new int[rules][rows];
        this.predLast = new int[rows];
    }

    /** Starts a batch of {@code rows} rows: grows if needed, and marks every row as not spiked under every rule. */
    void begin(int rows) {
        if (predLast.length < rows) {
            spike = new int[rules][rows];
            prediction = new int[rules][rows];
            undecided = new int[rules][rows];
            predLast = new int[rows];
        }
        this.rows = rows;
        for (int k = 0; k < rules; k++) {
            Arrays.fill(spike[k], 0, rows, SpikeTimes.NO_SPIKE);
        }
    }

    /** Whether row {@code row} has spiked under rule {@code k} yet. */
    boolean spiked(int k, int row) {
        return spike[k][row] != SpikeTimes.NO_SPIKE;
    }

    /** Records row {@code row}'s first spike under rule {@code k} at {@code step} with prediction {@code pred}. */
    void spike(int k, int row, int step, int pred) {
        spike[k][row] = step;
        prediction[k][row] = pred;
    }

    /** Records row {@code row}'s answer under rule {@code k}, which did not fire for it by its end. */
    void undecided(int k, int row, int pred) {
        undecided[k][row] = pred;
    }

    /** Records row {@code row}'s prediction at its last step. */
    void last(int row, int pred) {
        predLast[row] = pred;
    }

    /**
     * Adds the rows of {@code batch} (the batch these decisions are of), in row order, to {@code tallies}, one per
     * rule: the prediction at the decision step is the one at the first spike, or the rule's answer without one.
     */
    void tally(SequenceBatch batch, EvaluationTally[] tallies) {
        for (int r = 0; r < rows; r++) {
            int last = predLast[r];
            for (int k = 0; k < rules; k++) {
                int s = spike[k][r];
                tallies[k].add(batch, r, s, s == SpikeTimes.NO_SPIKE ? undecided[k][r] : prediction[k][r], last);
            }
        }
    }
}
