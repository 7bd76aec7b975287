package org.rankcoding.datasets.ucr;

/**
 * What {@link TimeSeriesSet#toLabeledSequences(MissingValues)} does with a missing value ({@code ?} in a {@code .ts}
 * file, NaN in a {@link TimeSeriesSet}). Both policies are causal: the value filled in at step {@code t} depends on
 * steps up to {@code t} only, so a decision at step {@code t} never uses later data.
 */
public enum MissingValues {

    /**
     * Each channel carries its last observed value forward; before its first observed value a channel is 0. Apply it
     * after normalisation, where 0 is the channel's (training or running) mean, so that a leading gap reads as "no
     * deviation from the mean".
     */
    CARRY_FORWARD,

    /** A missing value is an error: an {@link IllegalArgumentException} naming the series, step and channel. */
    REFUSE;

    /**
     * Fills the missing values of one sequence in place.
     *
     * @param steps  {@code [step][channel]}, NaN where missing
     * @param series the index of the series, for messages
     */
    void fill(double[][] steps, int series) {
        int channels = steps[0].length;
        for (int c = 0; c < channels; c++) {
            double last = 0.0;
            for (int t = 0; t < steps.length; t++) {
                if (!Double.isNaN(steps[t][c])) {
                    last = steps[t][c];
                } else if (this == REFUSE) {
                    throw new IllegalArgumentException("series " + series + ", step " + (t + 1) + ", channel " + (c + 1)
                            + " is missing; choose MissingValues.CARRY_FORWARD to fill missing values");
                } else {
                    steps[t][c] = last;
                }
            }
        }
    }
}
