package org.rankcoding.audio;

import java.util.Objects;

/**
 * The whole front end of one stream, as a {@link FrontEndConfig} describes it: samples to the network's inputs, frame
 * by frame. Each frame is the mel spectrogram's energies, compressed (logarithm or PCEN, {@link MelFeatureStream}) and
 * standardised (with the training set's statistics, or causally per utterance with them as a prior,
 * {@link CausalNormalizer}); the stateful stages keep their state per stream.
 *
 * <p>A live spotter calls {@link #nextFrame} for each window as its samples arrive and {@link #reset()} at the start of
 * each utterance (or stream); the offline pass calls {@link #computeSteps}, which resets and runs the very same code, so
 * both give the same frames bit for bit. Every stage is causal: frame {@code t} depends on the samples of frames
 * {@code 0 .. t} only. Training-time augmentation passes a warped filter bank ({@link VtlpFilterBanks#draw}).
 *
 * <p>Allocates nothing per frame; not thread-safe: one per stream (and thread). The statistics and filter banks are
 * immutable and may be shared.
 */
public final class FrontEndStream {

    private final FrontEndConfig config;
    private final MelFeatureStream features;
    private final FrameTransform normalization;

    /**
     * A stream that has seen no frame.
     *
     * @param config     the front end
     * @param statistics the training set's per-band statistics of the compressed features ({@link FeatureNormalizer#fit}
     *                   on {@link MelFeatureStream#computeSteps} of the training clips): used as they are, or as the
     *                   causal normalisation's prior
     * @throws IllegalArgumentException when the statistics have another number of bands than the spectrogram
     */
    public FrontEndStream(FrontEndConfig config, FeatureNormalizer statistics) {
        this.config = Objects.requireNonNull(config, "config is null; use FrontEndConfig.speechCommands()");
        Objects.requireNonNull(statistics, "statistics is null; fit them on the training set (FeatureNormalizer.fit)");
        if (statistics.size() != config.mel().melBands()) {
            throw new IllegalArgumentException("the statistics have " + statistics.size() + " features but the front end has "
                    + config.mel().melBands() + " mel bands; fit them with the same front end");
        }
        this.features = new MelFeatureStream(config);
        this.normalization = FrameTransform.of(config.normalization(), statistics);
    }

    /** The front end. */
    public FrontEndConfig config() {
        return config;
    }

    /** Values per frame: the number of mel bands. */
    public int bands() {
        return features.bands();
    }

    /** Number of frames of a clip of {@code samples} samples ({@link LogMelConfig#frames}). */
    public int frames(int samples) {
        return config.mel().frames(samples);
    }

    /** Forgets the stream: the next frame is the first of a new utterance (PCEN's smoother and the running statistics restart). */
    public void reset() {
        features.reset();
        normalization.reset();
    }

    /**
     * Computes the stream's next frame, the window starting at {@code samples[start]}; allocates nothing.
     *
     * @param samples   the audio (not modified); {@code start + windowLength} must not exceed its length
     * @param start     first sample of the window
     * @param out       receives the frame's {@code bands()} standardised features
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when the window or the output range is out of bounds
     */
    public void nextFrame(float[] samples, int start, double[] out, int outOffset) {
        features.nextFrame(samples, start, out, outOffset);
        normalization.apply(out, outOffset);
    }

    /**
     * As {@link #nextFrame(float[], int, double[], int)} with another (typically warped) filter bank.
     *
     * @param bank a filter bank that {@link MelFilterBank#fits fits} the spectrogram's parameters
     * @throws IllegalArgumentException when the window or the output range is out of bounds, or for a bank of another
     *                                  configuration
     */
    public void nextFrame(float[] samples, int start, MelFilterBank bank, double[] out, int outOffset) {
        features.nextFrame(samples, start, bank, out, outOffset);
        normalization.apply(out, outOffset);
    }

    /**
     * The network inputs of a whole utterance: {@link #reset()}, then every frame in order.
     *
     * @param samples the audio (not modified), at least one window long
     * @return new arrays owned by the caller: {@code [frames][bands()]}
     * @throws IllegalArgumentException for a clip shorter than one window
     */
    public double[][] computeSteps(float[] samples) {
        return computeSteps(samples, features.spectrogram().melFilterBank());
    }

    /**
     * As {@link #computeSteps(float[])} with another (typically warped) filter bank: training-time vocal-tract-length
     * perturbation.
     *
     * @param bank a filter bank that {@link MelFilterBank#fits fits} the spectrogram's parameters
     * @throws IllegalArgumentException for a clip shorter than one window or a bank of another configuration
     */
    public double[][] computeSteps(float[] samples, MelFilterBank bank) {
        double[][] steps = features.computeSteps(samples, bank); // resets the compression; refuses a short clip first
        normalization.reset();
        for (double[] frame : steps) {
            normalization.apply(frame, 0);
        }
        return steps;
    }
}
