package org.rankcoding.audio;

import java.util.Objects;

/**
 * Causal per-utterance standardisation of one stream ({@link CausalNormalization} gives the formula): running mean and
 * variance per band over the frames heard so far, starting from the training set's statistics counted as
 * {@code priorFrames} frames. Frame {@code t}'s output depends on frames {@code 0 .. t} only, so a stream fed frame by
 * frame gives exactly the frames of the same utterance processed at once ({@link #apply(double[][])}).
 *
 * <p>A frame with a value that is not finite is refused before it touches the statistics, so one bad frame cannot poison
 * the rest of the utterance. {@link #apply(double[], int)} allocates nothing. Not thread-safe: one per stream; {@link #reset()} between
 * utterances.
 */
public final class CausalNormalizer implements FrameTransform {

    private final CausalNormalization config;
    private final double[] priorMean;
    private final double[] priorM2;
    private final double[] mean;
    private final double[] m2;
    private double count;
    private int frames;

    /**
     * A stream that has heard no frame.
     *
     * @param config the prior weight
     * @param prior  the training set's per-band statistics ({@link FeatureNormalizer#fit}), the prior
     */
    public CausalNormalizer(CausalNormalization config, FeatureNormalizer prior) {
        this.config = Objects.requireNonNull(config, "config is null; use CausalNormalization.defaults()");
        Objects.requireNonNull(prior, "prior is null; give the training set's statistics (FeatureNormalizer.fit)");
        this.priorMean = prior.mean();
        double[] std = prior.std();
        this.priorM2 = new double[std.length];
        for (int b = 0; b < std.length; b++) {
            priorM2[b] = config.priorFrames() * std[b] * std[b];
        }
        this.mean = new double[priorMean.length];
        this.m2 = new double[priorMean.length];
        reset();
    }

    /** The prior weight. */
    public CausalNormalization config() {
        return config;
    }

    /** Values per frame. */
    public int bands() {
        return mean.length;
    }

    /** Frames of the current utterance heard so far. */
    public int framesSeen() {
        return frames;
    }

    /** Forgets the utterance: the statistics go back to the prior. */
    @Override
    public void reset() {
        System.arraycopy(priorMean, 0, mean, 0, mean.length);
        System.arraycopy(priorM2, 0, m2, 0, m2.length);
        count = config.priorFrames();
        frames = 0;
    }

    /**
     * Adds the next frame to the running statistics and standardises it with them, in place; allocates nothing.
     *
     * @param frame  the frame's values at {@code [offset, offset + bands())}, replaced by the standardised values
     * @param offset where the frame starts
     * @throws IllegalArgumentException when the frame does not fit in the array, or for a value that is not finite; the
     *                                  state is then unchanged
     */
    @Override
    public void apply(double[] frame, int offset) {
        int bands = mean.length;
        if (offset < 0 || offset > frame.length - bands) {
            throw new IllegalArgumentException("frame [" + offset + ", " + offset + " + " + bands + ") outside an array of " + frame.length);
        }
        FrameTransform.requireValues(frame, offset, bands, "causal normalization", "a finite feature", -Double.MAX_VALUE);
        count += 1;
        frames++;
        for (int b = 0; b < bands; b++) {
            double x = frame[offset + b];
            double d = x - mean[b];
            mean[b] += d / count;
            m2[b] += d * (x - mean[b]);
            frame[offset + b] = (x - mean[b]) / Math.sqrt(m2[b] / count);
        }
    }

    /**
     * Standardises a whole utterance: {@link #reset()}, then every frame in order, into new arrays.
     *
     * @param steps {@code [frames][bands()]}; not modified
     * @return new arrays owned by the caller
     * @throws IllegalArgumentException for a frame with another number of values
     */
    public double[][] apply(double[][] steps) {
        reset();
        double[][] out = new double[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            if (steps[t].length != bands()) {
                throw new IllegalArgumentException("frame " + t + " has " + steps[t].length + " values, expected " + bands());
            }
            out[t] = steps[t].clone();
            apply(out[t], 0);
        }
        return out;
    }
}
