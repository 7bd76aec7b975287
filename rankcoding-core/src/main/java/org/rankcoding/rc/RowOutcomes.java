package org.rankcoding.rc;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a forward pass found for each row of its batch: the decision step, the first spike, the predictions at the
 * decision, at the spike and at the last step, the probabilities at the decision and when it was made; and how much
 * the pass computed. Owned by a pass and overwritten by its next call (rows outside the call's range keep stale
 * values). Steps are 1-based (see {@link SpikeTimes}).
 */
public final class RowOutcomes {

    private final int outputs;
    private int[] decisionStep = new int[0];
    private int[] firstSpike = new int[0];
    private int[] predictionAtDecision = new int[0];
    private int[] predictionAtSpike = new int[0];
    private int[] predictionAtLast = new int[0];
    private double[] probabilitiesAtDecision = new double[0];
    private long[] decisionNanos = new long[0];
    private int forwardSteps;
    private long forwardExampleSteps;

    RowOutcomes(int outputs) {
        this.outputs = outputs;
    }

    /** Makes room for {@code rows} rows (reallocates, keeping nothing, when it grows). */
    void ensureRows(int rows) {
        if (decisionStep.length >= rows) {
            return;
        }
        decisionStep = new int[rows];
        firstSpike = new int[rows];
        predictionAtDecision = new int[rows];
        predictionAtSpike = new int[rows];
        predictionAtLast = new int[rows];
        probabilitiesAtDecision = new double[rows * outputs];
        decisionNanos = new long[rows];
    }

    /** Starts a pass over rows {@code [from, to)}: no spike, no prediction, nothing computed yet. */
    void begin(int from, int to) {
        Arrays.fill(firstSpike, from, to, SpikeTimes.NO_SPIKE);
        Arrays.fill(predictionAtLast, from, to, -1);
        Arrays.fill(predictionAtSpike, from, to, -1);
        forwardSteps = 0;
        forwardExampleSteps = 0;
    }

    /** Counts one forward step computed on {@code rows} rows. */
    void countStep(int rows) {
        forwardSteps++;
        forwardExampleSteps += rows;
    }

    /** Row {@code r} spiked at {@code step} predicting {@code prediction}. */
    void spiked(int r, int step, int prediction) {
        firstSpike[r] = step;
        predictionAtSpike[r] = prediction;
    }

    /** Row {@code r} reached its last step predicting {@code prediction}. */
    void lastStep(int r, int prediction) {
        predictionAtLast[r] = prediction;
    }

    /** Row {@code r} decided at {@code step}, predicting {@code prediction} with probabilities {@code p[off ..]}. */
    void decided(int r, int step, int prediction, double[] p, int off) {
        decisionStep[r] = step;
        predictionAtDecision[r] = prediction;
        System.arraycopy(p, off, probabilitiesAtDecision, r * outputs, outputs);
    }

    /** Row {@code r}'s decision was complete at {@link System#nanoTime()} {@code nanos}. */
    void stamp(int r, long nanos) {
        decisionNanos[r] = nanos;
    }

    /** Decision step (1-based) of row {@code r}: the step its loss / prediction was taken at. */
    public int decisionStep(int r) {
        return decisionStep[r];
    }

    /** First spike (1-based) of row {@code r}, or {@link SpikeTimes#NO_SPIKE} if it never crossed the threshold while computed. */
    public int firstSpike(int r) {
        return firstSpike[r];
    }

    /** Predicted class of row {@code r} at its decision step. */
    public int predictionAtDecision(int r) {
        return predictionAtDecision[r];
    }

    /** Predicted class of row {@code r} at its first spike, or -1 if it did not spike. */
    public int predictionAtSpike(int r) {
        return predictionAtSpike[r];
    }

    /** Predicted class of row {@code r} at its last step, or -1 if the row left before its end. */
    public int predictionAtLastStep(int r) {
        return predictionAtLast[r];
    }

    /**
     * Copies the head's probabilities of row {@code r} at its decision step into {@code out} ({@code head.outputs()}
     * values from index 0: one for the binary head, one per class otherwise).
     *
     * @throws IllegalArgumentException if {@code out} is shorter than the head's outputs
     */
    public void probabilitiesAtDecision(int r, double[] out) {
        Objects.requireNonNull(out, "out is null");
        if (out.length < outputs) {
            throw new IllegalArgumentException("out has " + out.length + " values, the head has " + outputs + " outputs");
        }
        System.arraycopy(probabilitiesAtDecision, r * outputs, out, 0, outputs);
    }

    /**
     * The {@link System#nanoTime()} read at the end of the forward step at which row {@code r} decided (once per step,
     * after every active row's output of that step was computed and checked). Subtract a {@code nanoTime()} taken
     * before the pass to get the row's time to decision.
     */
    public long decisionNanoTime(int r) {
        return decisionNanos[r];
    }

    /** Example-steps computed forward (each active row at each step counts once). */
    public long forwardExampleSteps() {
        return forwardExampleSteps;
    }

    /** Number of steps the forward pass ran (the batch ended early if below its length). */
    public int forwardSteps() {
        return forwardSteps;
    }
}
