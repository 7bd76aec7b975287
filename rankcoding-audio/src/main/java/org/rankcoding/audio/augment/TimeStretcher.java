package org.rankcoding.audio.augment;

import java.util.Arrays;

/**
 * Changes a signal's duration and keeps its pitch, by WSOLA (waveform-similarity overlap-add, Verhelst and Roelands
 * 1993): the half of pitch perturbation that restores the duration after resampling.
 *
 * <h2>What it does</h2>
 * The output is cut into frames of {@code L = 2 H} samples ({@code H} = 10 ms) every {@code H} samples, weighted by a
 * periodic Hann window (whose copies {@code H} apart sum to exactly 1) and added up. The frame at output position
 * {@code p} is copied from the input near position {@code p n / m} (for an input of {@code n} and an output of
 * {@code m} samples): within {@code ±D} samples ({@code D} = 6 ms, so that any voice pitch above 83 Hz has a match)
 * of it, at the start that maximises the normalised cross-correlation of the frame's first half with the natural
 * continuation of the previous frame (the input right after it), so that the overlapping halves are in phase. The search is coarse
 * (every other start, every other sample) then fine (the best coarse start and its neighbours, every sample). Ties,
 * and silence, keep the nominal position. The signal is zero outside the input; the first frame starts at output position {@code -H}
 * so that every output sample has full window weight.
 *
 * <p>Owns its scratch buffers and grows them to the largest signal seen; not thread-safe.
 */
final class TimeStretcher {

    private final int hop;
    private final int frame;
    private final int tolerance;
    private final int pad;
    private final float[] window;
    private float[] input = new float[0];
    private float[] output = new float[0];

    /**
     * @param sampleRate samples per second, at least 100
     */
    TimeStretcher(int sampleRate) {
        this.hop = Math.max(1, (int) Math.round(0.010 * sampleRate));
        this.frame = 2 * hop;
        this.tolerance = Math.max(1, (int) Math.round(0.006 * sampleRate));
        this.pad = frame + 2 * tolerance + hop;
        this.window = new float[frame];
        for (int j = 0; j < frame; j++) {
            window[j] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * j / frame));
        }
    }

    /**
     * Stretches {@code in[0 .. n)} to {@code m} samples into {@code out[0 .. m)}.
     *
     * @param in  the signal (not modified)
     * @param n   its length, at least 0
     * @param out receives {@code m} samples
     * @param m   the output length, at least 0
     * @param capacity the longest output expected for inputs of this length, at least {@code m}: the buffers are
     *                 grown to it at once, so that later calls allocate nothing
     */
    void stretch(float[] in, int n, float[] out, int m, int capacity) {
        if (input.length < n + 2 * pad) {
            input = new float[n + 2 * pad];
        }
        if (output.length < m + 2 * pad) {
            output = new float[Math.max(m, capacity) + 2 * pad];
        }
        Arrays.fill(input, 0f);
        System.arraycopy(in, 0, input, pad, n);
        Arrays.fill(output, 0, m + 2 * pad, 0f);
        double rate = m == 0 ? 1 : (double) n / m;
        int lowest = -pad;
        int highest = n + pad - frame;
        int previous = 0;
        for (int k = 0; ; k++) {
            int outPos = k * hop - hop;
            if (outPos >= m) {
                break;
            }
            int nominal = clamp((int) Math.round(outPos * rate), lowest, highest);
            int chosen = k == 0 ? nominal : bestMatch(previous + hop, nominal, lowest, highest);
            int src = pad + chosen;
            int dst = pad + outPos;
            for (int j = 0; j < frame; j++) {
                output[dst + j] += window[j] * input[src + j];
            }
            previous = chosen;
        }
        System.arraycopy(output, pad, out, 0, m);
    }

    /**
     * The start within {@code nominal ± tolerance} whose first half frame correlates best with the continuation: a
     * coarse search over every other start on every other sample, then the best coarse start and its two neighbours
     * against the nominal start on every sample (the nominal start wins ties).
     */
    private int bestMatch(int continuation, int nominal, int lowest, int highest) {
        int natural = pad + clamp(continuation, lowest, highest);
        int from = Math.max(lowest, nominal - tolerance);
        int to = Math.min(highest, nominal + tolerance);
        int coarse = nominal;
        double coarseBest = correlation(natural, pad + nominal, 2);
        for (int s = from; s <= to; s += 2) {
            double c = correlation(natural, pad + s, 2);
            if (c > coarseBest) {
                coarseBest = c;
                coarse = s;
            }
        }
        int bestStart = nominal;
        double best = correlation(natural, pad + nominal, 1);
        for (int s = Math.max(from, coarse - 1); s <= Math.min(to, coarse + 1); s++) {
            double c = correlation(natural, pad + s, 1);
            if (c > best) {
                best = c;
                bestStart = s;
            }
        }
        return bestStart;
    }

    /**
     * The similarity of the candidate at {@code b} to the continuation at {@code a}: their cross-correlation over half a
     * frame divided by the candidate's norm (so that a louder stretch nearby does not win merely by being louder; by
     * Cauchy-Schwarz the continuation itself scores highest).
     */
    private double correlation(int a, int b, int stride) {
        float acc = 0;
        float energy = 0;
        for (int j = 0; j < hop; j += stride) {
            float v = input[b + j];
            acc += input[a + j] * v;
            energy += v * v;
        }
        return acc / Math.sqrt(energy + 1e-20);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
