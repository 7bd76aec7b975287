package org.rankcoding.infer;

/**
 * The outcome of a stream: the predicted class, the 1-based step of the first spike (or of the last step
 * fed, for a decision forced at the end), the class probabilities at that step, and the wall time from the
 * first input to the decision.
 *
 * @param label         predicted class
 * @param step          decision step (1-based)
 * @param spiked        whether the output crossed the threshold ({@code false} for a decision forced by
 *                      {@link StreamingSession#finish()})
 * @param probabilities the head's probabilities at the decision step (a copy owned by the caller)
 * @param nanosToDecision wall time from the first input fed to the decision, in nanoseconds
 */
public record Decision(int label, int step, boolean spiked, double[] probabilities, long nanosToDecision) {

    /** Copies the probabilities. */
    public Decision {
        probabilities = probabilities.clone();
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }
}
