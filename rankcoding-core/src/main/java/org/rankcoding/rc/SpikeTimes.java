package org.rankcoding.rc;

/**
 * Conventions for per-example decision times. Steps are 1-based: step 1 is the first input.
 *
 * <p>An example's <em>first spike</em> is the first step at which its output crosses the threshold, or
 * {@link #NO_SPIKE} if it never does. Its <em>decision step</em> is the first spike, or its own last step
 * when there is no spike: a sequence that ends undecided is decided at its end.
 */
public final class SpikeTimes {

    /** The first-spike value of an example whose output never crossed the threshold. */
    public static final int NO_SPIKE = 0;

    private SpikeTimes() {
    }

    /** The decision step for a first spike {@code firstSpike} (or {@link #NO_SPIKE}) of a sequence of {@code length} steps. */
    public static int decisionStep(int firstSpike, int length) {
        return firstSpike == NO_SPIKE ? length : firstSpike;
    }
}
