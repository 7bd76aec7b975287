package org.rankcoding.audio.augment;

import java.util.SplittableRandom;

/** Test signals and measurements on them. */
final class Signals {

    static final int RATE = 16_000;

    private Signals() {
    }

    /** A sine of {@code hz} and amplitude {@code amp} on {@code [from, to)}, zero elsewhere, in a clip of {@code n}. */
    static float[] tone(double hz, double amp, int n, int from, int to) {
        float[] x = new float[n];
        for (int i = from; i < to; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return x;
    }

    /** Gaussian white noise of standard deviation {@code sigma}. */
    static float[] whiteNoise(int n, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sigma * r.nextGaussian());
        }
        return x;
    }

    /** A speech-like test clip: two tones and some noise, 1 s. */
    static float[] clip(long seed) {
        float[] x = tone(220, 0.3, RATE, 2000, 14000);
        float[] y = tone(1320, 0.1, RATE, 4000, 12000);
        float[] z = whiteNoise(RATE, 0.01, seed);
        for (int i = 0; i < RATE; i++) {
            x[i] += y[i] + z[i];
        }
        return x;
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    static double rms(float[] x) {
        return rms(x, 0, x.length);
    }

    /** Frequency of a tone from its zero crossings on {@code [from, to)}: crossings / 2 / duration. */
    static double frequency(float[] x, int from, int to) {
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = from + 1; i < to; i++) {
            if ((x[i - 1] < 0) != (x[i] < 0)) {
                if (first < 0) {
                    first = i;
                }
                last = i;
                count++;
            }
        }
        // half periods between the first and the last crossing
        return (count - 1) / 2.0 / ((last - first) / (double) RATE);
    }

    /** The first and one past the last sample whose magnitude exceeds {@code level}. */
    static int[] extent(float[] x, double level) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > level) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return new int[] {first, last + 1};
    }

    /** Multiplies by {@code 10^(db / 20)} in place. */
    static void gain(float[] x, double db) {
        double g = Math.pow(10, db / 20);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (x[i] * g);
        }
    }
}
