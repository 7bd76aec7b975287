package org.rankcoding.examples.toy;

import org.rankcoding.data.SequenceBatch;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The "noise vs signal" toy task (the reference "2-sequence problem"): fresh sequences of {@code length}
 * scalar inputs whose sign of the mean carries the label.
 *
 * <p>For every sequence: the label {@code y} is 0 or 1 with probability 1/2 each; a noise level
 * {@code sigma} is drawn uniformly from {@code [sigmaMin, sigmaMax]}; then, for 1-based steps {@code t},
 * <pre>
 *   x_t = (y == 1 ? +mean : -mean) + sigma * N(0, 1)    for t &lt;= changePoint
 *   x_t =                            sigma * N(0, 1)    for t &gt;  changePoint
 * </pre>
 * The reference task ({@link #NoiseVsSignalSource()}) has {@code length = 40}, {@code mean = 0.05},
 * {@code sigma} in {@code [0.05, 0.25]} and no change point ({@code changePoint = length}). The draws per
 * sequence, in order: label, sigma, then one Gaussian per step, all from the generator passed to
 * {@link #nextBatch}. Batches carry no optimal decision steps.
 *
 * <p>Immutable and thread-safe (all state is in the generator the caller passes).
 */
public final class NoiseVsSignalSource extends ScalarBinarySource {

    /** Reference sequence length T. */
    public static final int DEFAULT_LENGTH = 40;
    /** Reference signal mean (the magnitude; its sign is the label). */
    public static final double DEFAULT_MEAN = 0.05;
    /** Reference lower bound of the per-sequence noise level. */
    public static final double DEFAULT_SIGMA_MIN = 0.05;
    /** Reference upper bound of the per-sequence noise level. */
    public static final double DEFAULT_SIGMA_MAX = 0.25;

    private final double mean;
    private final double sigmaMin;
    private final double sigmaMax;
    private final int changePoint;

    /** The reference task: T = 40, mean 0.05, sigma in [0.05, 0.25], no change point. */
    public NoiseVsSignalSource() {
        this(DEFAULT_LENGTH, DEFAULT_MEAN, DEFAULT_SIGMA_MIN, DEFAULT_SIGMA_MAX, DEFAULT_LENGTH);
    }

    /**
     * @param length      sequence length T, in {@code [1, 1_000_000]}
     * @param mean        signal magnitude, finite and {@code >= 0} (0 makes the classes indistinguishable)
     * @param sigmaMin    smallest noise level, finite and {@code >= 0}
     * @param sigmaMax    largest noise level, finite and {@code >= sigmaMin}
     * @param changePoint last 1-based step that carries the signal, in {@code [0, length]}; {@code length}
     *                    means no change point, 0 means pure noise
     * @throws IllegalArgumentException naming the offending value and its allowed range
     */
    public NoiseVsSignalSource(int length, double mean, double sigmaMin, double sigmaMax, int changePoint) {
        super(length, false);
        if (length < 1 || length > 1_000_000) {
            throw new IllegalArgumentException("length = " + length + ", expected in [1, 1000000] steps (the reference task uses 40)");
        }
        if (!(mean >= 0) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException("mean = " + mean + ", expected a finite value >= 0 (the reference task uses 0.05)");
        }
        if (!(sigmaMin >= 0) || !Double.isFinite(sigmaMin)) {
            throw new IllegalArgumentException("sigmaMin = " + sigmaMin + ", expected a finite value >= 0 (the reference task uses 0.05)");
        }
        if (!(sigmaMax >= sigmaMin) || !Double.isFinite(sigmaMax)) {
            throw new IllegalArgumentException("sigmaMax = " + sigmaMax + ", expected a finite value in [sigmaMin = " + sigmaMin
                    + ", inf) (the reference task uses 0.25)");
        }
        if (changePoint < 0 || changePoint > length) {
            throw new IllegalArgumentException("changePoint = " + changePoint + ", expected in [0, length = " + length
                    + "] (length means no change point)");
        }
        this.mean = mean;
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
        this.changePoint = changePoint;
    }

    /** Signal magnitude. */
    public double mean() {
        return mean;
    }

    /** Smallest noise level. */
    public double sigmaMin() {
        return sigmaMin;
    }

    /** Largest noise level. */
    public double sigmaMax() {
        return sigmaMax;
    }

    /** Last step carrying the signal ({@link #length()} when there is no change point). */
    public int changePoint() {
        return changePoint;
    }

    /** Whether this is the reference task, the one {@link BayesFrontier#NOISE_VS_SIGNAL} was computed for. */
    public boolean isReference() {
        return length() == DEFAULT_LENGTH && mean == DEFAULT_MEAN && sigmaMin == DEFAULT_SIGMA_MIN
                && sigmaMax == DEFAULT_SIGMA_MAX && changePoint == length();
    }

    @Override
    int fillRow(RandomGenerator rng, double[] inputs, int r, int rows, int[] optimal) {
        int label = rng.nextInt(2);
        double sigma = sigmaMin + (sigmaMax - sigmaMin) * rng.nextDouble();
        double signal = label == 1 ? mean : -mean;
        for (int t = 0; t < length(); t++) {
            double noise = sigma * rng.nextGaussian();
            inputs[t * rows + r] = (t < changePoint ? signal : 0.0) + noise;
        }
        return label;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "NoiseVsSignalSource[T=%d, mean=%s, sigma in [%s, %s], changePoint=%d]",
                length(), mean, sigmaMin, sigmaMax, changePoint);
    }
}
