package org.rankcoding.audio.augment;

/**
 * Band-limited interpolation of a sampled signal at arbitrary positions: the resampling behind speed and pitch
 * perturbation.
 *
 * <p>The signal {@code in[0 .. inLength)} (zero outside) is read at the positions {@code start + i step}, {@code i <
 * outLength}, through a windowed-sinc low-pass filter whose cut-off is {@link #CUTOFF} of the Nyquist frequency,
 * lowered by the factor {@code 1 / step} when {@code step > 1} (reading faster shifts frequencies up; what would fold
 * back above the Nyquist frequency is filtered out first). The kernel is {@code c sinc(c d) blackman(c d / Z)} for a
 * distance {@code d} in input samples, cut-off {@code c} and {@link #ZERO_CROSSINGS} {@code Z}: {@code 2 Z / c} taps
 * (18 at {@code step <= 1}, 34 at {@code step = 2}). It is evaluated once per call at {@link #PHASES} fractional
 * positions (polyphase); each output sample takes the phase nearest its position (a timing error below 1/1024
 * sample), so the work per output sample is one dot product.
 *
 * <p>Owns its input and phase buffers, grown to the largest signal and kernel seen; not thread-safe.
 */
final class Resampler {

    /** Half-width of the kernel in zero crossings of its sinc. */
    static final int ZERO_CROSSINGS = 8;
    /** Cut-off as a fraction of the Nyquist frequency at {@code step <= 1}: a little below it, for the transition band. */
    static final double CUTOFF = 0.95;
    /** Fractional positions the kernel is evaluated at. */
    static final int PHASES = 512;

    /** Table points per zero crossing of the kernel used to fill the phases (linear interpolation between them). */
    private static final int TABLE_STEPS = 256;
    /** {@code sinc(x) blackman(x / Z)} at {@code x = k / TABLE_STEPS}, {@code k = 0 .. Z TABLE_STEPS}, and one 0 beyond. */
    private static final double[] KERNEL = new double[ZERO_CROSSINGS * TABLE_STEPS + 2];

    static {
        for (int k = 0; k <= ZERO_CROSSINGS * TABLE_STEPS; k++) {
            KERNEL[k] = kernel((double) k / TABLE_STEPS);
        }
    }

    private final int maxTaps;
    private double[] phases = new double[0];
    private double preparedCutoff = Double.NaN;
    private float[] padded = new float[0];
    private int reserved;

    /**
     * @param maxStep the largest {@code step} expected: the phase table is sized for it at the first call, so that later
     *                calls allocate nothing (a larger step grows it)
     */
    Resampler(double maxStep) {
        this.maxTaps = taps(CUTOFF * Math.min(1, 1 / maxStep));
    }

    private static int taps(double cutoff) {
        return 2 * (int) Math.ceil(ZERO_CROSSINGS / cutoff);
    }

    /** Sizes the input buffer for signals of up to {@code samples} samples, so that they need no further allocation. */
    void reserve(int samples) {
        reserved = Math.max(reserved, samples);
    }

    /**
     * Writes {@code out[i] = x(start + i step)} for {@code i < outLength}, {@code x} being the band-limited
     * interpolation of {@code in[0 .. inLength)}, zero outside it.
     *
     * @param in        the signal (not modified); may be {@code out}
     * @param inLength  its number of samples
     * @param start     the position of {@code out[0]} in input samples
     * @param step      input samples per output sample, {@code > 0}
     * @param out       receives the samples
     * @param outLength number of samples to write
     */
    void resample(float[] in, int inLength, double start, double step, float[] out, int outLength) {
        double cutoff = CUTOFF * Math.min(1, 1 / step);
        int taps = taps(cutoff);
        int half = taps / 2;
        prepare(cutoff, half, taps);
        // the input with `taps` zeros on each side, so that no tap needs a bounds check
        if (padded.length < inLength + 2 * taps) {
            padded = new float[Math.max(inLength, reserved) + 2 * Math.max(taps, maxTaps)];
        }
        java.util.Arrays.fill(padded, 0, taps, 0f);
        System.arraycopy(in, 0, padded, taps, inLength);
        java.util.Arrays.fill(padded, taps + inLength, inLength + 2 * taps, 0f);
        double[] w = phases;
        for (int i = 0; i < outLength; i++) {
            double pos = start + i * step;
            if (pos <= -half || pos >= inLength + half) {
                out[i] = 0f;
                continue;
            }
            int base = (int) Math.floor(pos);
            int phase = (int) Math.round((pos - base) * PHASES);
            if (phase == PHASES) {
                phase = 0;
                base++;
                if (base >= inLength + half) {
                    // within 1/(2 PHASES) of the far edge: every tap reads past the signal, where it is zero
                    out[i] = 0f;
                    continue;
                }
            }
            // taps m = base - half + 1 .. base + half, at padded[m + taps]
            int from = base - half + 1 + taps;
            int row = phase * taps;
            double acc = 0;
            for (int j = 0; j < taps; j++) {
                acc += padded[from + j] * w[row + j];
            }
            out[i] = (float) acc;
        }
    }

    /**
     * Fills the phase table, {@code w[p taps + j] = c K(c |p / PHASES + half - 1 - j|)} with {@code K} read from the
     * tabulated kernel; kept while the cut-off does not change (every call at {@code step <= 1}).
     */
    private void prepare(double cutoff, int half, int taps) {
        if (cutoff == preparedCutoff) {
            return;
        }
        if (phases.length < PHASES * taps) {
            phases = new double[PHASES * Math.max(taps, maxTaps)];
        }
        for (int p = 0; p < PHASES; p++) {
            double frac = (double) p / PHASES;
            for (int j = 0; j < taps; j++) {
                double t = Math.abs(frac + half - 1 - j) * cutoff * TABLE_STEPS;
                int k = (int) t;
                phases[p * taps + j] = k >= ZERO_CROSSINGS * TABLE_STEPS ? 0
                        : cutoff * (KERNEL[k] + (t - k) * (KERNEL[k + 1] - KERNEL[k]));
            }
        }
        preparedCutoff = cutoff;
    }

    /** {@code sinc(x) blackman(x / Z)} for {@code 0 <= x < Z}. */
    private static double kernel(double x) {
        double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
        double u = x / ZERO_CROSSINGS;
        return sinc * (0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u));
    }
}
