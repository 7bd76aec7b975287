package org.rankcoding.audio;

import java.util.Objects;

/**
 * The features of one stream before standardisation: mel energies ({@link LogMelSpectrogram}) compressed by the
 * logarithm or by PCEN ({@link MelCompression}), frame by frame, with the compression's state (PCEN's smoother) per
 * stream. What {@link FeatureNormalizer#fit} is fitted on, and the first stage of a {@link FrontEndStream}.
 *
 * <p>Frame by frame ({@link #nextFrame}, after {@link #reset()}) and at once ({@link #computeSteps}) give the same
 * values bit for bit: both run the same code on the same state. With the logarithm the values are those of
 * {@link LogMelSpectrogram#computeFrame}, bit for bit. Each method that takes a {@link MelFilterBank} uses it instead
 * of the unwarped bank (vocal-tract-length perturbation, {@link VtlpFilterBanks}).
 *
 * <p>Allocates nothing per frame; not thread-safe: one per stream (and thread).
 */
public final class MelFeatureStream {

    private final LogMelSpectrogram spectrogram;
    private final MelCompression compression;
    private final FrameTransform stage;

    /**
     * A stream that has seen no frame.
     *
     * @param mel         the spectrogram's parameters
     * @param compression the logarithm or PCEN
     * @throws IllegalArgumentException when a mel filter covers no FFT bin
     */
    public MelFeatureStream(LogMelConfig mel, MelCompression compression) {
        this.spectrogram = new LogMelSpectrogram(mel);
        this.compression = Objects.requireNonNull(compression, "compression is null; use MelCompression.log() for log-mel");
        this.stage = FrameTransform.of(compression, mel);
    }

    /** The stream of {@code config}'s spectrogram and compression (its normalisation is not applied here). */
    public MelFeatureStream(FrontEndConfig config) {
        this(Objects.requireNonNull(config, "config is null; use FrontEndConfig.speechCommands()").mel(), config.compression());
    }

    /** The spectrogram's parameters. */
    public LogMelConfig mel() {
        return spectrogram.config();
    }

    /** The compression. */
    public MelCompression compression() {
        return compression;
    }

    /** The spectrogram, for its frame counts and unwarped filter bank ({@link LogMelSpectrogram#melFilterBank()}). */
    public LogMelSpectrogram spectrogram() {
        return spectrogram;
    }

    /** Values per frame: the number of mel bands. */
    public int bands() {
        return spectrogram.bands();
    }

    /** Forgets the stream: the next frame is the first of a new utterance. */
    public void reset() {
        stage.reset();
    }

    /**
     * Computes the stream's next frame, the window starting at {@code samples[start]}; allocates nothing.
     *
     * @param samples   the audio (not modified); {@code start + windowLength} must not exceed its length
     * @param start     first sample of the window
     * @param out       receives the frame's {@code bands()} features
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when the window or the output range is out of bounds
     */
    public void nextFrame(float[] samples, int start, double[] out, int outOffset) {
        nextFrame(samples, start, spectrogram.melFilterBank(), out, outOffset);
    }

    /**
     * As {@link #nextFrame(float[], int, double[], int)} with another (typically warped) filter bank.
     *
     * @param bank a filter bank that {@link MelFilterBank#fits fits} the spectrogram's parameters
     * @throws IllegalArgumentException when the window or the output range is out of bounds, or for a bank of another
     *                                  configuration
     */
    public void nextFrame(float[] samples, int start, MelFilterBank bank, double[] out, int outOffset) {
        spectrogram.computeEnergies(samples, start, bank, out, outOffset);
        stage.apply(out, outOffset);
    }

    /**
     * The features of a whole utterance: {@link #reset()}, then every frame in order.
     *
     * @param samples the audio (not modified), at least one window long
     * @return new arrays owned by the caller: {@code [frames][bands()]}
     * @throws IllegalArgumentException for a clip shorter than one window
     */
    public double[][] computeSteps(float[] samples) {
        return computeSteps(samples, spectrogram.melFilterBank());
    }

    /**
     * As {@link #computeSteps(float[])} with another (typically warped) filter bank.
     *
     * @param bank a filter bank that {@link MelFilterBank#fits fits} the spectrogram's parameters
     * @throws IllegalArgumentException for a clip shorter than one window or a bank of another configuration
     */
    public double[][] computeSteps(float[] samples, MelFilterBank bank) {
        LogMelConfig c = spectrogram.config();
        int frames = c.frames(samples.length);
        if (frames == 0) {
            throw new IllegalArgumentException("a clip of " + samples.length + " samples has no frame; expected at least the window length "
                    + c.windowLength());
        }
        reset();
        double[][] steps = new double[frames][bands()];
        for (int t = 0; t < frames; t++) {
            nextFrame(samples, t * c.hopLength(), bank, steps[t], 0);
        }
        return steps;
    }
}
