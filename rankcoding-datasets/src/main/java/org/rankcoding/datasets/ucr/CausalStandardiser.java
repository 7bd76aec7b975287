package org.rankcoding.datasets.ucr;

/**
 * Causal per-series standardisation: each channel of each series is standardised with the mean and standard deviation
 * of its own prefix seen so far, so the value at step {@code t} depends on steps {@code 1..t} of that series only.
 * No statistics are fitted; training and test series are treated alike.
 *
 * <p>Rule, for a channel with observed values {@code x_1..x_t} up to step {@code t} (missing values skipped), running
 * mean {@code m_t} and population variance {@code v_t}:
 * <pre>
 *   z_t = 0                                  while fewer than warmUpSteps values have been observed
 *   z_t = (x_t - m_t) / sqrt(v_t + epsilon)  from then on
 * </pre>
 * The warm-up: a prefix of a single value has no spread (and {@code x_1 - m_1 = 0}), and a prefix of a few values has
 * an unreliable one, so during the warm-up the result is 0, "no deviation known yet". The default warm-up of
 * {@value #DEFAULT_WARM_UP_STEPS} steps is the least that makes sense; a larger one trades the first steps'
 * information for steadier scaling. {@code epsilon} ({@value #DEFAULT_EPSILON} by default) keeps a flat prefix from
 * dividing by zero: a prefix of equal values gives 0. A missing value stays missing (NaN) and does not count.
 *
 * <p>Per-series standardisation removes each series' level and scale (only the shape so far remains), which suits
 * data whose level varies between recordings; {@link TrainChannelStatistics} keeps them.
 *
 * <p>Immutable and thread-safe.
 */
public final class CausalStandardiser implements SeriesNormaliser {

    /** The default number of observed values before the result leaves 0. */
    public static final int DEFAULT_WARM_UP_STEPS = 2;

    /** The default term added to the running variance. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final int warmUpSteps;
    private final double epsilon;

    /** The standardiser with the default warm-up and epsilon. */
    public CausalStandardiser() {
        this(DEFAULT_WARM_UP_STEPS, DEFAULT_EPSILON);
    }

    /**
     * @param warmUpSteps how many observed values a channel needs before its result leaves 0, in {@code [1, 1000000]}
     *                    (1 and 2 behave alike: one value always gives 0)
     * @param epsilon     added to the running variance, finite and {@code > 0}
     * @throws IllegalArgumentException for a value out of range
     */
    public CausalStandardiser(int warmUpSteps, double epsilon) {
        if (warmUpSteps < 1 || warmUpSteps > 1_000_000) {
            throw new IllegalArgumentException("warmUpSteps = " + warmUpSteps + ", expected in [1, 1000000]");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + ", expected a finite value > 0 such as " + DEFAULT_EPSILON);
        }
        this.warmUpSteps = warmUpSteps;
        this.epsilon = epsilon;
    }

    /** The number of observed values a channel needs before its result leaves 0. */
    public int warmUpSteps() {
        return warmUpSteps;
    }

    /** The term added to the running variance. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public double[][] normalise(double[][] series) {
        if (series == null || series.length == 0) {
            throw new IllegalArgumentException("the series has no channels; expected [channel][step] with at least one channel");
        }
        double[][] out = new double[series.length][];
        for (int c = 0; c < series.length; c++) {
            double[] x = series[c];
            double[] z = new double[x.length];
            long n = 0;
            double mean = 0;
            double m2 = 0;
            for (int t = 0; t < x.length; t++) {
                if (Double.isNaN(x[t])) {
                    z[t] = Double.NaN;
                    continue;
                }
                n++;
                double delta = x[t] - mean;
                mean += delta / n;
                m2 += delta * (x[t] - mean);
                z[t] = n < warmUpSteps ? 0.0 : (x[t] - mean) / Math.sqrt(m2 / n + epsilon);
            }
            out[c] = z;
        }
        return out;
    }

    /** {@code "CausalStandardiser[warm-up 2 steps, epsilon 1e-08]"}. */
    @Override
    public String toString() {
        return "CausalStandardiser[warm-up " + warmUpSteps + " steps, epsilon " + epsilon + "]";
    }
}
