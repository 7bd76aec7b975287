package org.rankcoding.audio.augment;

import org.jtransforms.fft.DoubleFFT_1D;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
 * FFT (JTransforms {@code DoubleFFT_1D}, the smallest power of two {@code >= n + N - 1}), then scaled to the dry clip's
 * RMS (a silent clip stays silent).
 *
 * <p>Owns its FFT plans (one per size) and buffers, grown to the largest size seen; not thread-safe.
 */
final class Reverberator {

    /** {@code ln(1000)}: the amplitude of a 60 dB decay is {@code 10^-3}. */
    private static final double LN_1000 = Math.log(1000);

    private final int sampleRate;
    private final Map<Integer, DoubleFFT_1D> plans = new HashMap<>();
    private double[] signal = new double[0];
    private double[] spectrum = new double[0];
    private double[] response = new double[0];
    private int responseLength;

    /**
     * @param sampleRate samples per second, at least 1
     */
    Reverberator(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    /**
     * Draws an impulse response for {@code rt60} seconds (the tail's {@code nextGaussian()} values, in order) and
     * reverberates {@code samples} with it in place.
     *
     * @param samples the clip, modified
     * @param rt60    reverberation time in seconds, {@code > 0}
     * @param rng     draws the tail
     */
    void apply(float[] samples, double rt60, RandomGenerator rng) {
        drawResponse(rt60, rng);
        convolve(samples);
    }

    private void drawResponse(double rt60, RandomGenerator rng) {
        int length = Math.max(2, (int) Math.ceil(rt60 * sampleRate));
        if (response.length < length) {
            response = new double[length];
        }
        responseLength = length;
        double decay = LN_1000 / (rt60 * sampleRate);
        double energy = 0;
        for (int j = 1; j < length; j++) {
            double v = rng.nextGaussian() * Math.exp(-decay * j);
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
        int size = Integer.highestOneBit(n + responseLength - 1);
        size = size < n + responseLength - 1 ? size * 2 : size;
        if (signal.length < size) {
            signal = new double[size];
            spectrum = new double[size];
        }
        double[] x = signal;
        double[] h = spectrum;
        for (int i = 0; i < n; i++) {
            x[i] = samples[i];
        }
        Arrays.fill(x, n, size, 0.0);
        System.arraycopy(response, 0, h, 0, responseLength);
        Arrays.fill(h, responseLength, size, 0.0);
        DoubleFFT_1D fft = plans.computeIfAbsent(size, DoubleFFT_1D::new);
        fft.realForward(x);
        fft.realForward(h);
        // packed layout: [0] = Re 0, [1] = Re N/2, [2k] = Re k, [2k + 1] = Im k
        x[0] *= h[0];
        x[1] *= h[1];
        for (int k = 2; k < size; k += 2) {
            double re = x[k] * h[k] - x[k + 1] * h[k + 1];
            double im = x[k] * h[k + 1] + x[k + 1] * h[k];
            x[k] = re;
            x[k + 1] = im;
        }
        fft.realInverse(x, true);
        double wet = 0;
        for (int i = 0; i < n; i++) {
            wet += x[i] * x[i];
        }
        wet = Math.sqrt(wet / n);
        double scale = wet > 0 ? dry / wet : 0;
        for (int i = 0; i < n; i++) {
            samples[i] = (float) (x[i] * scale);
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
