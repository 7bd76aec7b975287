package org.rankcoding.infer;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The result of one {@link RankCodingModel#classify} call: an unmodifiable list with one {@link Decision} per row of
 * the batch, in row order, plus what the early-exit pass computed and how long the call took.
 *
 * <p>Each decision's {@link Decision#nanosToDecision()} is the time from the start of the call to the end of the
 * step at which its row decided. Immutable and safe to share.
 */
public final class BatchDecisions extends AbstractList<Decision> implements RandomAccess {

    private final Decision[] decisions;
    private final long exampleSteps;
    private final long fullExampleSteps;
    private final int forwardSteps;
    private final int maxSteps;
    private final long elapsedNanos;

    BatchDecisions(Decision[] decisions, long exampleSteps, long fullExampleSteps, int forwardSteps, int maxSteps,
                   long elapsedNanos) {
        this.decisions = decisions;
        this.exampleSteps = exampleSteps;
        this.fullExampleSteps = fullExampleSteps;
        this.forwardSteps = forwardSteps;
        this.maxSteps = maxSteps;
        this.elapsedNanos = elapsedNanos;
    }

    /** The decision of row {@code row}. */
    @Override
    public Decision get(int row) {
        return decisions[row];
    }

    /** Number of rows (the batch size). */
    @Override
    public int size() {
        return decisions.length;
    }

    /**
     * Example-steps the early-exit pass computed: each row counts once at every step up to and including its
     * decision step (so this is the sum of the decision steps).
     */
    public long exampleSteps() {
        return exampleSteps;
    }

    /**
     * Example-steps a pass without early exit would have computed: the sum over rows of their lengths, capped at
     * {@link #maxSteps()}. {@code exampleSteps() / fullExampleSteps()} is the fraction of the work early exit kept.
     */
    public long fullExampleSteps() {
        return fullExampleSteps;
    }

    /** Number of steps the pass ran: it stops at the step where the last undecided row decided. */
    public int forwardSteps() {
        return forwardSteps;
    }

    /** The step cap of the call ({@link Integer#MAX_VALUE} for none). */
    public int maxSteps() {
        return maxSteps;
    }

    /** Wall time of the whole call, in nanoseconds (at least every decision's time to decision). */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** Number of rows that decided at a spike (the others were decided at their last step or at the cap). */
    public int spikedCount() {
        int n = 0;
        for (Decision d : decisions) {
            if (d.spiked()) {
                n++;
            }
        }
        return n;
    }
}
