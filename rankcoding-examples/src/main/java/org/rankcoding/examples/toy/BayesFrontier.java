package org.rankcoding.examples.toy;

import java.util.Arrays;

/**
 * A Bayes-optimal speed/accuracy frontier: the best accuracy any classifier can reach at a given mean
 * decision step, known at a few points and interpolated linearly between them.
 *
 * <p>{@link #NOISE_VS_SIGNAL} holds the frontier of the reference noise-vs-signal task (T = 40, mean 0.05,
 * sigma in [0.05, 0.25], no change point): a Bayes observer that integrates the posterior over sigma and
 * decides at the first step its posterior crosses 0.9, 0.95 or 0.99 (or at step 40) reaches
 * <pre>
 *   mean decision step   10.5   14.9   22.5   40
 *   accuracy            0.917  0.948  0.966  0.969
 * </pre>
 * Points between known ones are interpolated linearly. The true frontier is concave, so the linear
 * interpolation slightly <em>under</em>states it between points (a model can sit a little above this
 * line without beating the true frontier). Before the first point {@link #accuracyAt} extrapolates the
 * first segment linearly (an approximation: the frontier there is not known), never below the chance
 * level {@code chance}; after the last point it stays at the last accuracy (deciding later cannot help).
 *
 * <p>Immutable.
 */
public final class BayesFrontier {

    /** The reference noise-vs-signal frontier (see the class comment), with chance level 0.5. */
    public static final BayesFrontier NOISE_VS_SIGNAL = new BayesFrontier(
            new double[] {10.5, 14.9, 22.5, 40.0},
            new double[] {0.917, 0.948, 0.966, 0.969},
            0.5);

    private final double[] steps;
    private final double[] accuracies;
    private final double chance;

    /**
     * @param steps      mean decision steps of the known points, at least two, finite, strictly increasing
     *                   (copied)
     * @param accuracies their accuracies, one per step, in {@code [chance, 1]} (copied)
     * @param chance     the chance-level accuracy extrapolation never goes below, in {@code [0, 1]}
     * @throws IllegalArgumentException naming the offending value and its allowed range
     */
    public BayesFrontier(double[] steps, double[] accuracies, double chance) {
        if (steps == null || accuracies == null || steps.length < 2 || steps.length != accuracies.length) {
            throw new IllegalArgumentException("a frontier needs at least 2 points with one accuracy per step, got "
                    + (steps == null ? "null" : steps.length) + " steps and " + (accuracies == null ? "null" : accuracies.length)
                    + " accuracies");
        }
        if (!(chance >= 0 && chance <= 1)) {
            throw new IllegalArgumentException("chance = " + chance + ", expected in [0, 1]");
        }
        for (int i = 0; i < steps.length; i++) {
            if (!Double.isFinite(steps[i]) || (i > 0 && !(steps[i] > steps[i - 1]))) {
                throw new IllegalArgumentException("steps[" + i + "] = " + steps[i] + ", expected finite and greater than steps["
                        + (i - 1) + "] = " + (i > 0 ? steps[i - 1] : Double.NaN));
            }
            if (!(accuracies[i] >= chance && accuracies[i] <= 1)) {
                throw new IllegalArgumentException("accuracies[" + i + "] = " + accuracies[i] + ", expected in [chance = " + chance + ", 1]");
            }
        }
        this.steps = steps.clone();
        this.accuracies = accuracies.clone();
        this.chance = chance;
    }

    /** The mean decision steps of the known points (a copy). */
    public double[] steps() {
        return steps.clone();
    }

    /** The accuracies of the known points (a copy). */
    public double[] accuracies() {
        return accuracies.clone();
    }

    /**
     * The frontier accuracy at mean decision step {@code step}: linear between known points, the first
     * segment extrapolated linearly (floored at the chance level) before the first point, the last accuracy
     * after the last point.
     *
     * @param step a mean decision step, finite and {@code >= 0}
     * @throws IllegalArgumentException for a negative or non-finite step
     */
    public double accuracyAt(double step) {
        if (!(step >= 0) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("step = " + step + ", expected a finite mean decision step >= 0");
        }
        int last = steps.length - 1;
        if (step >= steps[last]) {
            return accuracies[last];
        }
        int i = 1;
        while (i < last && step > steps[i]) {
            i++;
        }
        // segment [i-1, i]; for step < steps[0] this is the first segment, extrapolated
        double slope = (accuracies[i] - accuracies[i - 1]) / (steps[i] - steps[i - 1]);
        double a = accuracies[i - 1] + slope * (step - steps[i - 1]);
        return Math.max(chance, a);
    }

    @Override
    public String toString() {
        return "BayesFrontier[steps=" + Arrays.toString(steps) + ", accuracies=" + Arrays.toString(accuracies) + "]";
    }
}
