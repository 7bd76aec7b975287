package org.rankcoding.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * A bank of triangular mel filters over the bins of a power spectrum, possibly warped for vocal-tract-length
 * perturbation; immutable, so one instance may be shared by any number of front ends and threads.
 *
 * <p>The filters are those of {@link LogMelSpectrogram}: {@code B} triangles (peak 1, not area-normalised) whose edges
 * and centres are {@code B + 2} points equally spaced on the HTK mel scale from {@code minFrequency} to
 * {@code maxFrequency}. FFT bin {@code k} has frequency {@code f_k = k sampleRate / N}; its weight in band {@code b}
 * is the triangle of band {@code b} evaluated at {@code W(f_k)}, where {@code W} is the VTLP warp by {@code alpha}
 * ({@link VtlpWarp#warp}): a component at frequency {@code f} lands in the bands around {@code W(f)}, so
 * {@code alpha > 1} moves energy to higher bands. For {@code alpha = 1}, {@code W} is the identity and the bank is,
 * bit for bit, the unwarped one ({@link #of}).
 *
 * <p>The weights are stored sparsely (per band, the first bin with a non-zero weight and the weights from there), so
 * {@link #apply} costs one multiply-add per non-zero weight and allocates nothing.
 */
public final class MelFilterBank {

    private final LogMelConfig config;
    private final int bins;
    private final double alpha;
    private final double[] centers;
    /** Per band: the first FFT bin with a non-zero weight and the weights from there on. */
    private final int[] firstBin;
    private final double[][] weights;

    private MelFilterBank(LogMelConfig config, double alpha, double boundaryHz) {
        this.config = config;
        int n = config.fftSize();
        this.bins = n / 2 + 1;
        this.alpha = alpha;
        int bands = config.melBands();
        double melLow = LogMelSpectrogram.hzToMel(config.minFrequency());
        double melHigh = LogMelSpectrogram.hzToMel(config.maxFrequency());
        double[] points = new double[bands + 2];
        for (int i = 0; i < points.length; i++) {
            points[i] = LogMelSpectrogram.melToHz(melLow + (melHigh - melLow) * i / (bands + 1));
        }
        // the outer edges exactly as configured (the round trip through the mel scale is off by a few ulps)
        points[0] = config.minFrequency();
        points[bands + 1] = config.maxFrequency();
        this.centers = new double[bands];
        this.firstBin = new int[bands];
        this.weights = new double[bands][];
        double binHz = (double) config.sampleRate() / n;
        double nyquist = config.sampleRate() / 2.0;
        for (int b = 0; b < bands; b++) {
            double lo = points[b];
            double mid = points[b + 1];
            double hi = points[b + 2];
            centers[b] = mid;
            double[] w = new double[bins];
            int first = -1;
            int last = -1;
            for (int k = 0; k < bins; k++) {
                double f = VtlpWarp.warp(k * binHz, alpha, boundaryHz, nyquist);
                double v = f <= lo || f >= hi ? 0 : f <= mid ? (f - lo) / (mid - lo) : (hi - f) / (hi - mid);
                if (v > 0) {
                    w[k] = v;
                    first = first < 0 ? k : first;
                    last = k;
                }
            }
            if (first < 0) {
                throw new IllegalArgumentException(String.format(
                        "mel band %d of %d (%.1f to %.1f Hz) contains no FFT bin%s (bin spacing %.2f Hz = sampleRate %d / fftSize %d);"
                                + " use fewer bands, a larger fftSize or a wider frequency range%s",
                        b, bands, lo, hi, alpha == 1.0 ? "" : " after warping by VTLP alpha = " + alpha, binHz, config.sampleRate(), n,
                        alpha == 1.0 ? "" : ", or a narrower VTLP range"));
            }
            firstBin[b] = first;
            weights[b] = Arrays.copyOfRange(w, first, last + 1);
        }
    }

    /**
     * The unwarped filter bank of {@code config}.
     *
     * @throws IllegalArgumentException when a filter covers no FFT bin (too many bands for the FFT size and range)
     */
    public static MelFilterBank of(LogMelConfig config) {
        Objects.requireNonNull(config, "config is null; use LogMelConfig.speechCommands() for the defaults");
        // alpha 1: the warp is the identity whatever the boundary (any value below the Nyquist frequency will do)
        return new MelFilterBank(config, 1.0, config.sampleRate() / 4.0);
    }

    /**
     * The filter bank of {@code config} warped by {@code alpha} with boundary frequency {@code boundaryHz}
     * ({@link VtlpWarp#warp}); for {@code alpha = 1} the same weights as {@link #of}, bit for bit.
     *
     * @param config     the front end's parameters
     * @param alpha      the warp factor, in {@code [VtlpWarp.MIN_ALPHA, VtlpWarp.MAX_ALPHA] = [0.5, 2]}
     * @param boundaryHz the warp's boundary frequency, in {@code (0, sampleRate / 2)}
     * @throws IllegalArgumentException for a factor or boundary out of range, or when a warped filter covers no FFT bin
     */
    public static MelFilterBank warped(LogMelConfig config, double alpha, double boundaryHz) {
        Objects.requireNonNull(config, "config is null; use LogMelConfig.speechCommands() for the defaults");
        if (!(alpha >= VtlpWarp.MIN_ALPHA && alpha <= VtlpWarp.MAX_ALPHA)) {
            throw new IllegalArgumentException("VTLP alpha = " + alpha + ", expected in [" + VtlpWarp.MIN_ALPHA + ", " + VtlpWarp.MAX_ALPHA
                    + "]");
        }
        double nyquist = config.sampleRate() / 2.0;
        if (!(boundaryHz > 0 && boundaryHz < nyquist)) {
            throw new IllegalArgumentException("VTLP boundaryHz = " + boundaryHz + ", expected in (0, sampleRate / 2 = " + nyquist
                    + ") Hz (4800 Hz for 16 kHz audio; about 0.6 of the Nyquist frequency)");
        }
        return new MelFilterBank(config, alpha, boundaryHz);
    }

    /** The front-end parameters it was built for. */
    public LogMelConfig config() {
        return config;
    }

    /**
     * Whether this bank weighs the spectra of {@code other}'s front end into the same bands: the same sample rate, FFT
     * size, number of bands and frequency range (window, hop and epsilon do not matter to a filter bank).
     */
    public boolean fits(LogMelConfig other) {
        return other.sampleRate() == config.sampleRate() && other.fftSize() == config.fftSize() && other.melBands() == config.melBands()
                && other.minFrequency() == config.minFrequency() && other.maxFrequency() == config.maxFrequency();
    }

    /** Number of bands (filters). */
    public int bands() {
        return weights.length;
    }

    /** Number of power-spectrum bins it weighs: {@code fftSize / 2 + 1}. */
    public int bins() {
        return bins;
    }

    /** The warp factor it was built with ({@code 1} for the unwarped bank). */
    public double alpha() {
        return alpha;
    }

    /**
     * The filters' centre frequencies in Hz, ascending, on the output frequency axis (the same for every warp: a warped
     * bank gathers into band {@code b} the input frequencies whose warp lands near centre {@code b}).
     *
     * @return a new array owned by the caller
     */
    public double[] centerFrequencies() {
        return centers.clone();
    }

    /**
     * The bank as a dense matrix.
     *
     * @return a new {@code bands() x bins()} array owned by the caller: the weight of bin {@code k} in band {@code b} at
     *         {@code [b][k]}
     */
    public double[][] toDense() {
        double[][] out = new double[weights.length][bins];
        for (int b = 0; b < weights.length; b++) {
            System.arraycopy(weights[b], 0, out[b], firstBin[b], weights[b].length);
        }
        return out;
    }

    /**
     * The band energies {@code E[b] = sum_k M[b][k] P[k]} of a power spectrum; allocates nothing.
     *
     * @param power     the power spectrum, {@code P[k]} at index {@code k} for {@code k < bins()} (longer arrays are fine)
     * @param out       receives {@code E[0 .. bands())}
     * @param outOffset where in {@code out} to write
     * @throws IllegalArgumentException when {@code power} is shorter than {@code bins()} or the output range is out of bounds
     */
    public void apply(double[] power, double[] out, int outOffset) {
        if (power.length < bins) {
            throw new IllegalArgumentException("power has " + power.length + " bins, expected at least fftSize / 2 + 1 = " + bins);
        }
        if (outOffset < 0 || outOffset > out.length - weights.length) {
            throw new IllegalArgumentException("out [" + outOffset + ", " + outOffset + " + " + weights.length + ") outside an array of "
                    + out.length);
        }
        for (int b = 0; b < weights.length; b++) {
            double[] wb = weights[b];
            int k0 = firstBin[b];
            double e = 0;
            for (int j = 0; j < wb.length; j++) {
                e += wb[j] * power[k0 + j];
            }
            out[outOffset + b] = e;
        }
    }

    /** Names the size and the warp. */
    @Override
    public String toString() {
        return "MelFilterBank[" + weights.length + " bands, " + bins + " bins, alpha " + alpha + "]";
    }
}
