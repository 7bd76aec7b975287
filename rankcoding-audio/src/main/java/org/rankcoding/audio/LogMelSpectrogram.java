package org.rankcoding.audio;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Objects;

/**
 * The log-mel spectrogram front end: audio samples to one vector of log mel-band energies per frame.
 *
 * <h2>Formula</h2>
 * With window length {@code W}, hop {@code H}, FFT size {@code N} and {@code B} bands (see {@link LogMelConfig}),
 * frame {@code t} (0-based) covers samples {@code [t H, t H + W)}; there is no centre padding, so a clip of
 * {@code S} samples has {@code F = 1 + (S - W) / H} frames (integer division; 0 if {@code S < W}), 98 for one
 * second at 16 kHz with the defaults. For each frame:
 * <pre>
 *   x[n]   = s[t H + n] w[n]  for n &lt; W,  0 for W &lt;= n &lt; N        w[n] = 0.5 - 0.5 cos(2 pi n / W)  (periodic Hann)
 *   P[k]   = |sum_n x[n] exp(-2 pi i k n / N)|^2,  k = 0 .. N/2         (power spectrum, not divided by N)
 *   E[b]   = sum_k M[b][k] P[k]                                         (mel filter bank)
 *   out[b] = ln(E[b] + epsilon)
 * </pre>
 * The filter bank has {@code B} triangular filters (peak 1, not area-normalised) whose edges and centres are
 * {@code B + 2} points equally spaced on the HTK mel scale {@code mel(f) = 2595 log10(1 + f / 700)} from
 * {@code minFrequency} to {@code maxFrequency}: filter {@code b} rises linearly from 0 at point {@code b} to 1 at
 * point {@code b + 1} (its centre, {@link #centerFrequencies()}) and falls to 0 at point {@code b + 2}; FFT bin
 * {@code k} has frequency {@code k sampleRate / N}. The FFT is JTransforms' {@code DoubleFFT_1D.realForward}.
 *
 * <h2>Vocal-tract-length perturbation</h2>
 * The filter bank is a {@link MelFilterBank}. The methods that take one ({@link #computeSteps(float[], MelFilterBank)},
 * {@link #computeFrame(float[], int, MelFilterBank, double[], int)}) compute the same frames with a warped bank, for
 * training-time augmentation: a {@link VtlpFilterBanks} precomputes the banks of a grid of warp factors once (immutable,
 * shared by every thread), so warping a clip costs nothing more than the unwarped front end. A bank warped by
 * {@code alpha = 1} gives the unwarped output bit for bit. {@link #computeEnergies} gives the energies {@code E[b]}
 * before the logarithm, the input of {@link Pcen}.
 *
 * <h2>Output layout</h2>
 * Frames x bands, row-major: the value of band {@code b} in frame {@code t} is at {@code t B + b}. As a sequence
 * for an LSTM, the time steps are the frames and the inputs the bands ({@link #computeSteps}).
 *
 * <h2>Cost and threads</h2>
 * All scratch space (the FFT plan, one frame buffer, the window and the filter bank) is allocated by the
 * constructor; {@link #computeFrame} and {@link #compute(float[], int, int, double[])} allocate nothing. An instance
 * is therefore <b>not thread-safe</b>: give each thread its own (construction costs a few microseconds and a few
 * kilobytes).
 */
public final class LogMelSpectrogram {

    private final LogMelConfig config;
    private final double[] window;
    private final MelFilterBank bank;
    private final DoubleFFT_1D fft;
    private final double[] frame;

    /**
     * Builds the window, the filter bank and the FFT plan.
     *
     * @param config the front end's parameters
     * @throws IllegalArgumentException when a mel filter covers no FFT bin (too many bands for the FFT size and
     *                                  frequency range)
     */
    public LogMelSpectrogram(LogMelConfig config) {
        Objects.requireNonNull(config, "config is null; use LogMelConfig.speechCommands() for the defaults");
        this.config = config;
        int n = config.fftSize();
        this.window = new double[config.windowLength()];
        for (int i = 0; i < window.length; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / window.length);
        }
        this.bank = MelFilterBank.of(config);
        this.fft = new DoubleFFT_1D(n);
        this.frame = new double[n];
    }

    /** The parameters. */
    public LogMelConfig config() {
        return config;
    }

    /** Number of mel bands: the size of each frame's output vector. */
    public int bands() {
        return config.melBands();
    }

    /** Number of frames for a clip of {@code samples} samples ({@link LogMelConfig#frames}). */
    public int frames(int samples) {
        return config.frames(samples);
    }

    /** The filters' centre frequencies in Hz, ascending (a new array owned by the caller). */
    public double[] centerFrequencies() {
        return bank.centerFrequencies();
    }

    /** The (unwarped) filter bank, immutable and shareable; {@link VtlpFilterBanks} holds warped ones. */
    public MelFilterBank melFilterBank() {
        return bank;
    }

    /**
     * The filter bank as a dense matrix.
     *
     * @return a new {@code bands x (fftSize / 2 + 1)} array owned by the caller: the weight of FFT bin {@code k} in
     *         band {@code b} at {@code [b][k]}
     */
    public double[][] filterBank() {
        return bank.toDense();
    }

    /**
     * Computes the log-mel spectrogram of a whole clip into a new array.
     *
     * @param samples the audio (not modified), at the configured sample rate
     * @return a new {@code frames(samples.length) x bands()} row-major array (empty for a clip shorter than a window)
     */
    public double[] compute(float[] samples) {
        double[] out = new double[frames(samples.length) * bands()];
        compute(samples, 0, samples.length, out);
        return out;
    }

    /**
     * Computes the log-mel spectrogram of a whole clip as a sequence: one step per frame.
     *
     * @param samples the audio (not modified), at the configured sample rate, at least one window long
     * @return new arrays owned by the caller: {@code [frames][bands()]}
     * @throws IllegalArgumentException for a clip shorter than one window (it has no frame)
     */
    public double[][] computeSteps(float[] samples) {
        return computeSteps(samples, bank);
    }

    /**
     * As {@link #computeSteps(float[])} with another filter bank, typically a warped one for vocal-tract-length
     * perturbation ({@link VtlpFilterBanks#bank}); with {@link #melFilterBank()} or a bank warped by {@code alpha = 1}
     * the result is the same, bit for bit.
     *
     * @param samples the audio (not modified), at the configured sample rate, at least one window long
     * @param bank    a filter bank that {@link MelFilterBank#fits fits} this front end's configuration
     * @return new arrays owned by the caller: {@code [frames][bands()]}
     * @throws IllegalArgumentException for a clip shorter than one window or a bank of another configuration
     */
    public double[][] computeSteps(float[] samples, MelFilterBank bank) {
        int frames = frames(samples.length);
        if (frames == 0) {
            throw new IllegalArgumentException("a clip of " + samples.length + " samples has no frame; expected at least the window length "
                    + config.windowLength());
        }
        double[][] steps = new double[frames][bands()];
        for (int t = 0; t < frames; t++) {
            computeFrame(samples, t * config.hopLength(), bank, steps[t], 0);
        }
        return steps;
    }

    /**
     * Computes the log-mel spectrogram of {@code samples[offset, offset + length)} into {@code out}; allocates nothing.
     *
     * @param samples the audio (not modified)
     * @param offset  first sample of the clip
     * @param length  number of samples of the clip
     * @param out     receives {@code frames(length) x bands()} values, row-major, from index 0; longer arrays keep
     *                their remaining values
     * @throws IllegalArgumentException when the range is outside {@code samples} or {@code out} is too short
     */
    public void compute(float[] samples, int offset, int length, double[] out) {
        if (offset < 0 || length < 0 || offset > samples.length - length) {
            throw new IllegalArgumentException("samples [" + offset + ", " + offset + " + " + length + ") outside an array of "
                    + samples.length);
        }
        int frames = frames(length);
        int bands = bands();
        if (out.length < frames * bands) {
            throw new IllegalArgumentException("out has " + out.length + " values, expected at least frames x bands = "
                    + frames + " x " + bands + " = " + frames * bands);
        }
        for (int t = 0; t < frames; t++) {
            computeFrame(samples, offset + t * config.hopLength(), out, t * bands);
        }
    }

    /**
     * Computes one frame, the window starting at {@code samples[start]}, into {@code out[outOffset, outOffset +
     * bands())}; allocates nothing.
     *
     * @param samples   the audio (not modified); {@code start + windowLength} must not exceed its length
     * @param start     first sample of the window
     * @param out       receives the frame's {@code bands()} log-mel values
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when the window or the output range is out of bounds
     */
    public void computeFrame(float[] samples, int start, double[] out, int outOffset) {
        computeFrame(samples, start, bank, out, outOffset);
    }

    /**
     * As {@link #computeFrame(float[], int, double[], int)} with another filter bank (a warped one for vocal-tract-length
     * perturbation); allocates nothing.
     *
     * @param samples   the audio (not modified); {@code start + windowLength} must not exceed its length
     * @param start     first sample of the window
     * @param bank      a filter bank that {@link MelFilterBank#fits fits} this front end's configuration
     * @param out       receives the frame's {@code bands()} values {@code ln(E[b] + epsilon)}
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when the window or the output range is out of bounds, or for a bank of another
     *                                  configuration
     */
    public void computeFrame(float[] samples, int start, MelFilterBank bank, double[] out, int outOffset) {
        computeEnergies(samples, start, bank, out, outOffset);
        double eps = config.epsilon();
        int bands = bands();
        for (int b = 0; b < bands; b++) {
            out[outOffset + b] = Math.log(out[outOffset + b] + eps);
        }
    }

    /**
     * The mel energies of one frame, before the logarithm: {@code E[b] = sum_k M[b][k] P[k]} with the given filter bank
     * (the input of {@link Pcen}); allocates nothing.
     *
     * @param samples   the audio (not modified); {@code start + windowLength} must not exceed its length
     * @param start     first sample of the window
     * @param bank      a filter bank that {@link MelFilterBank#fits fits} this front end's configuration
     *                  ({@link #melFilterBank()} for the unwarped one)
     * @param out       receives the frame's {@code bands()} energies, each {@code >= 0}
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when the window or the output range is out of bounds, or for a bank of another
     *                                  configuration
     */
    public void computeEnergies(float[] samples, int start, MelFilterBank bank, double[] out, int outOffset) {
        int w = window.length;
        if (start < 0 || start > samples.length - w) {
            throw new IllegalArgumentException("a window of " + w + " samples at " + start + " does not fit in " + samples.length
                    + " samples");
        }
        int bands = bands();
        if (outOffset < 0 || outOffset > out.length - bands) {
            throw new IllegalArgumentException("out [" + outOffset + ", " + outOffset + " + " + bands + ") outside an array of "
                    + out.length);
        }
        Objects.requireNonNull(bank, "bank is null; use melFilterBank() for the unwarped one");
        if (bank != this.bank && !bank.fits(config)) {
            throw new IllegalArgumentException(bank + " was built for " + bank.config() + ", which does not fit this front end's "
                    + config + " (sample rate, FFT size, bands and frequency range must agree); build the bank from the same LogMelConfig");
        }
        double[] x = frame;
        for (int i = 0; i < w; i++) {
            x[i] = samples[start + i] * window[i];
        }
        java.util.Arrays.fill(x, w, x.length, 0.0);
        fft.realForward(x);
        // JTransforms' packed layout: x[0] = Re[0], x[1] = Re[N/2], x[2k] = Re[k], x[2k + 1] = Im[k] for 0 < k < N/2.
        // Turn it into the power spectrum P[k] in place at x[k] for k = 0 .. N/2 (reading index 2k >= k before
        // writing index k, in ascending k).
        int half = x.length / 2;
        double nyquist = x[1] * x[1];
        x[0] = x[0] * x[0];
        for (int k = 1; k < half; k++) {
            double re = x[2 * k];
            double im = x[2 * k + 1];
            x[k] = re * re + im * im;
        }
        x[half] = nyquist;
        bank.apply(x, out, outOffset);
    }

    /** The HTK mel scale: {@code 2595 log10(1 + hz / 700)}. */
    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    /** Inverse of {@link #hzToMel}: {@code 700 (10^(mel / 2595) - 1)}. */
    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }
}
