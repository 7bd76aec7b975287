package org.rankcoding.audio.augment;

/**
 * Band-limited interpolation of a sampled signal at arbitrary positions: the resampling behind speed and pitch
 * perturbation.
 *
 * <p>The signal {@code in[0 .. inLength)} (zero outside) is read at the positions {@code start + i step}, {@code i <
 * outLength}, through a windowed-sinc low-pass filter whose cut-off is {@link #CUTOFF} of the Nyquist frequency,
 * lowered by the factor {@code 1 / step} when {@code step > 1} (reading faster shifts frequencies up; what would fold
 * back above the Nyquist frequency is filtered out first). The kernel is {@code c sinc(c d) blackman(c d / Z)} for
 * a distance {@code d} in input samples, cut-off {@code c} and {@link #ZERO_CROSSINGS} {@code Z}: {@code 2 Z / c}
 * taps per output sample (17 to 50). It is tabulated once ({@link #TABLE_STEPS} points per zero crossing, linear
 * interpolation between them), so resampling allocates nothing. Stateless; thread-safe.
 */
final class Resampler {

    /** Half-width of the kernel in zero crossings of its sinc. */
    static final int ZERO_CROSSINGS = 8;
    /** Table points per zero crossing. */
    static final int TABLE_STEPS = 256;
    /** Cut-off as a fraction of the Nyquist frequency at {@code step <= 1}: a little below it, for the transition band. */
    static final double CUTOFF = 0.95;

    /** {@code sinc(x) blackman(x / Z)} at {@code x = j / TABLE_STEPS}, {@code j = 0 .. Z TABLE_STEPS}, and one 0 beyond. */
    private static final double[] KERNEL = new double[ZERO_CROSSINGS * TABLE_STEPS + 2];

    static {
        for (int j = 0; j <= ZERO_CROSSINGS * TABLE_STEPS; j++) {
            double x = (double) j / TABLE_STEPS;
            double sinc = j == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double u = x / ZERO_CROSSINGS;
            double blackman = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
            KERNEL[j] = sinc * blackman;
        }
    }

    private Resampler() {
    }

    /**
     * Writes {@code out[i] = x(start + i step)} for {@code i < outLength}, {@code x} being the band-limited
     * interpolation of {@code in[0 .. inLength)}, zero outside it.
     *
     * @param in        the signal (not modified); must not be {@code out}
     * @param inLength  its number of samples
     * @param start     the position of {@code out[0]} in input samples
     * @param step      input samples per output sample, {@code > 0}
     * @param out       receives the samples
     * @param outLength number of samples to write
     */
    static void resample(float[] in, int inLength, double start, double step, float[] out, int outLength) {
        double cutoff = CUTOFF * Math.min(1, 1 / step);
        double half = ZERO_CROSSINGS / cutoff;
        double scale = cutoff * TABLE_STEPS;
        for (int i = 0; i < outLength; i++) {
            double pos = start + i * step;
            int lo = Math.max(0, (int) Math.ceil(pos - half));
            int hi = Math.min(inLength - 1, (int) Math.floor(pos + half));
            double acc = 0;
            for (int m = lo; m <= hi; m++) {
                double t = Math.abs(pos - m) * scale;
                int j = (int) t;
                if (j < ZERO_CROSSINGS * TABLE_STEPS) {
                    double frac = t - j;
                    acc += in[m] * (KERNEL[j] + frac * (KERNEL[j + 1] - KERNEL[j]));
                }
            }
            out[i] = (float) (acc * cutoff);
        }
    }
}
