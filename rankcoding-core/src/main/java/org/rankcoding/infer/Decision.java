package org.rankcoding.infer;

import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of one sequence: the predicted class, the 1-based step of the first spike (or of the step a
 * decision was forced at), the class probabilities at that step, and the wall time it took to get there (the
 * "time to insight").
 *
 * <p>Decisions come from a {@link StreamingSession} (one stream, fed step by step) or from
 * {@link RankCodingModel#classify} (one per row of a batch). For the same model and inputs both give the same
 * label, step and {@code spiked}; the probabilities agree to rounding (a batch computes rows in blocks, which may
 * round differently from one row at a time). {@link #sameOutcome} compares everything but the time.
 *
 * @param label           predicted class (the head's prediction at the decision step)
 * @param step            decision step (1-based): the first spike, or the step the decision was forced at
 * @param spiked          whether the output crossed the threshold at {@code step}; {@code false} for a decision
 *                        forced at the end of a stream ({@link StreamingSession#finish()}), at the end of a row, or
 *                        at a step cap ({@link RankCodingModel#classify(org.rankcoding.data.SequenceBatch, int)})
 * @param probabilities   the head's probabilities at the decision step (one value, {@code P(class 1)}, for the
 *                        binary head; one per class otherwise); copied in and out
 * @param nanosToDecision wall time to the decision, in nanoseconds ({@link System#nanoTime()} differences).
 *                        Streaming: from the start of the first {@link StreamingSession#feed} call of the stream to
 *                        the end of the deciding step's computation (for {@link StreamingSession#finish()}: to the
 *                        {@code finish} call; the time includes any wait between feeds). Batch: from the start of
 *                        the {@code classify} call to the end of the step at which the row decided (that step was
 *                        computed for all rows still undecided, so the figure includes their share)
 */
public record Decision(int label, int step, boolean spiked, double[] probabilities, long nanosToDecision) {

    /** Copies the probabilities. */
    public Decision {
        Objects.requireNonNull(probabilities, "probabilities is null");
        probabilities = probabilities.clone();
    }

    /** The probabilities at the decision step (a copy owned by the caller). */
    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    /**
     * Whether {@code other} has the same label, step, {@code spiked} flag and bit-for-bit the same probabilities
     * (the time to decision is not compared).
     */
    public boolean sameOutcome(Decision other) {
        Objects.requireNonNull(other, "other is null");
        return label == other.label && step == other.step && spiked == other.spiked
                && Arrays.equals(probabilities, other.probabilities);
    }

    @Override
    public String toString() {
        return "Decision[label=" + label + ", step=" + step + ", spiked=" + spiked + ", probabilities="
                + Arrays.toString(probabilities) + ", nanosToDecision=" + nanosToDecision + "]";
    }
}
