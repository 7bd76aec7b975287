package org.rankcoding.audio.augment;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Simple reverberation: a clip convolved with a synthetic room impulse response.
 *
 * <h2>The impulse response</h2>
 * For a reverberation time {@code RT60} (seconds for the response to decay by 60 dB) at {@code R} samples per second,
 * the response has {@code N = ceil(RT60 R)} samples: {@code h[0] = 1} (the direct path) and, for {@code 1 <= j < N},
 * {@code h[j] = a g_j exp(-ln(1000) j / (RT60 R))} with {@code g_j} drawn by {@code nextGaussian()} in order of
 * {@code j} (a diffuse tail whose amplitude falls by 60 dB over {@code RT60}) and {@code a} chosen so that the tail has
 * the energy of the direct path (a direct-to-reverberant ratio of 0 dB).
 *
 * <h2>The convolution</h2>
 * The first {@code n} samples of {@code x * h} (the clip keeps its length; the tail past its end is cut), computed by
 * uniformly partitioned FFT convolution: clip and response cut into blocks of 2,048 samples, each block transformed
 * once (JTransforms {@code DoubleFFT_1D} of 4,096 points, small enough to run on the calling thread), the products of
 * block pairs summed per output block in the frequency domain and transformed back (overlap-add); then scaled to the
 * dry clip's RMS (a silent clip stays silent).
 *
 * <p>Owns its FFT plan and buffers, grown to the largest clip and response seen; not thread-safe.
 */
final class Reverberator {

    /** {@code ln(1000)}: the amplitude of a 60 dB decay is {@code 10^-3}. */
    private static final double LN_1000 = Math.log(1000);
    /** Block length of the partitioned convolution. */
    private static final int BLOCK = 2048;
    /** FFT length: two blocks, small enough that JTransforms computes it on the calling thread (it threads from 8192). */
    private static final int FFT_SIZE = 2 * BLOCK;

    private final int sampleRate;
    private final int longestResponse;
    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);
    private final double[] accumulator = new double[FFT_SIZE];
    private double[] signalSpectra = new double[0];
    private double[] responseSpectra = new double[0];
    private double[] wet = new double[0];
    private double[] response = new double[0];
    private int responseLength;

    /**
     * @param sampleRate    samples per second, at least 1
     * @param longestRt60   the longest reverberation time expected, in seconds: the buffers are sized for it at the first
     *                      use, so that later calls allocate nothing (a longer one grows them)
     */
    Reverberator(int sampleRate, double longestRt60) {
        this.sampleRate = sampleRate;
        this.longestResponse = responseLength(longestRt60);
    }

    private int responseLength(double rt60) {
        return Math.max(2, (int) Math.ceil(rt60 * sampleRate));
    }

    /** Gaussian values the tail of a response for {@code rt60} seconds takes: {@code ceil(rt60 R) - 1}, at least 1. */
    int tailLength(double rt60) {
        return responseLength(rt60) - 1;
    }

    /**
     * Draws the tail of a response: {@code length} values ({@link #tailLength} of its RT60) of {@code nextGaussian()},
     * in order, into {@code into} (which must hold them).
     */
    static void drawTail(int length, RandomGenerator rng, double[] into) {
        for (int j = 0; j < length; j++) {
            into[j] = rng.nextGaussian();
        }
    }

    /**
     * Reverberates {@code samples} in place with the response for {@code rt60} seconds whose tail's Gaussian values
     * are {@code gaussians} (drawn by {@link #drawTail}).
     *
     * @param samples   the clip, modified
     * @param rt60      reverberation time in seconds, {@code > 0}
     * @param gaussians at least {@link #tailLength} values
     */
    void apply(float[] samples, double rt60, double[] gaussians) {
        buildResponse(rt60, gaussians);
        convolve(samples);
    }

    private void buildResponse(double rt60, double[] gaussians) {
        int length = responseLength(rt60);
        if (response.length < length) {
            response = new double[Math.max(length, longestResponse)];
        }
        responseLength = length;
        double decay = LN_1000 / (rt60 * sampleRate);
        double energy = 0;
        double envelope = 1;
        double perSample = Math.exp(-decay);
        for (int j = 1; j < length; j++) {
            envelope *= perSample;
            double v = gaussians[j - 1] * envelope;
            response[j] = v;
            energy += v * v;
        }
        double a = energy > 0 ? 1 / Math.sqrt(energy) : 0;
        response[0] = 1;
        for (int j = 1; j < length; j++) {
            response[j] *= a;
        }
    }

    private void convolve(float[] samples) {
        int n = samples.length;
        double dry = rms(samples);
        if (n == 0 || dry == 0) {
            return;
        }
        int signalBlocks = (n + BLOCK - 1) / BLOCK;
        int responseBlocks = (responseLength + BLOCK - 1) / BLOCK;
        if (signalSpectra.length < signalBlocks * FFT_SIZE) {
            signalSpectra = new double[signalBlocks * FFT_SIZE];
        }
        if (responseSpectra.length < responseBlocks * FFT_SIZE) {
            responseSpectra = new double[(Math.max(responseLength, longestResponse) + BLOCK - 1) / BLOCK * FFT_SIZE];
        }
        if (wet.length < signalBlocks * BLOCK + FFT_SIZE) {
            wet = new double[signalBlocks * BLOCK + FFT_SIZE];
        }
        for (int s = 0; s < signalBlocks; s++) {
            int off = s * FFT_SIZE;
            int from = s * BLOCK;
            int count = Math.min(BLOCK, n - from);
            for (int i = 0; i < count; i++) {
                signalSpectra[off + i] = samples[from + i];
            }
            Arrays.fill(signalSpectra, off + count, off + FFT_SIZE, 0.0);
            fft.realForward(signalSpectra, off);
        }
        for (int p = 0; p < responseBlocks; p++) {
            int off = p * FFT_SIZE;
            int count = Math.min(BLOCK, responseLength - p * BLOCK);
            System.arraycopy(response, p * BLOCK, responseSpectra, off, count);
            Arrays.fill(responseSpectra, off + count, off + FFT_SIZE, 0.0);
            fft.realForward(responseSpectra, off);
        }
        Arrays.fill(wet, 0, signalBlocks * BLOCK + FFT_SIZE, 0.0);
        double[] acc = accumulator;
        for (int q = 0; q < signalBlocks; q++) {
            Arrays.fill(acc, 0.0);
            for (int p = 0; p <= Math.min(q, responseBlocks - 1); p++) {
                multiplyAdd(signalSpectra, (q - p) * FFT_SIZE, responseSpectra, p * FFT_SIZE, acc);
            }
            fft.realInverse(acc, true);
            int at = q * BLOCK;
            for (int i = 0; i < FFT_SIZE; i++) {
                wet[at + i] += acc[i];
            }
        }
        double energy = 0;
        for (int i = 0; i < n; i++) {
            energy += wet[i] * wet[i];
        }
        double scale = energy > 0 ? dry / Math.sqrt(energy / n) : 0;
        for (int i = 0; i < n; i++) {
            samples[i] = (float) (wet[i] * scale);
        }
    }

    /** {@code acc += x * h} for two spectra in JTransforms' packed layout ([0] = Re 0, [1] = Re N/2, then Re, Im pairs). */
    private static void multiplyAdd(double[] x, int xo, double[] h, int ho, double[] acc) {
        acc[0] += x[xo] * h[ho];
        acc[1] += x[xo + 1] * h[ho + 1];
        for (int k = 2; k < FFT_SIZE; k += 2) {
            double xr = x[xo + k];
            double xi = x[xo + k + 1];
            double hr = h[ho + k];
            double hi = h[ho + k + 1];
            acc[k] += xr * hr - xi * hi;
            acc[k + 1] += xr * hi + xi * hr;
        }
    }

    static double rms(float[] samples) {
        double sum = 0;
        for (float v : samples) {
            sum += (double) v * v;
        }
        return samples.length == 0 ? 0 : Math.sqrt(sum / samples.length);
    }
}
