package org.rankcoding.audio;

/**
 * Vocal-tract-length perturbation (VTLP, Jaitly and Hinton 2013): the piecewise-linear frequency warp by a factor
 * {@code alpha}, and the grid of factors that a {@link VtlpFilterBanks} precomputes; immutable and validated here.
 *
 * <h2>The warp</h2>
 * With the Nyquist frequency {@code S/2} and the boundary frequency {@code F = boundaryHz}, a component at frequency
 * {@code f} is moved to
 * <pre>
 *   W(f) = alpha f                                                     if f &lt;= F min(alpha, 1) / alpha
 *   W(f) = S/2 - (S/2 - F min(alpha, 1)) / (S/2 - F min(alpha, 1) / alpha) (S/2 - f)   otherwise
 * </pre>
 * a line through 0 of slope {@code alpha} up to the knee, then the line from the knee to {@code (S/2, S/2)}: the
 * warp is continuous, increasing, maps {@code [0, S/2]} onto itself (so the top band stays inside the Nyquist
 * frequency whatever {@code alpha}), and is exactly the identity for {@code alpha = 1}. With {@code alpha > 1}
 * energy moves to higher frequencies (a shorter vocal tract), with {@code alpha < 1} to lower ones. The paper uses
 * {@code F = 4800 Hz} for 16 kHz audio and draws {@code alpha} uniformly from {@code [0.9, 1.1]} per utterance.
 *
 * <h2>The grid</h2>
 * The factors are quantised to the levels {@code 1 + i step} inside {@code [minAlpha, maxAlpha]} (integer {@code i},
 * so {@code 1} is always a level, exactly): {@link #levels()} of them, level {@code 0} the lowest. A factor in
 * {@code [minAlpha, maxAlpha]} maps to the nearest level ({@link #levelIndex}).
 *
 * @param minAlpha   the lowest factor, in {@code [MIN_ALPHA = 0.5, 1]}
 * @param maxAlpha   the highest factor, in {@code [1, MAX_ALPHA = 2]}
 * @param step       the spacing of the levels, in {@code (0, 0.5]}, with at most {@code MAX_LEVELS} levels in all
 * @param boundaryHz the boundary frequency {@code F} in Hz, {@code > 0}; it must lie below the Nyquist frequency of
 *                   the audio it is used with (checked by {@link MelFilterBank#warped})
 */
public record VtlpWarp(double minAlpha, double maxAlpha, double step, double boundaryHz) {

    /** The lowest factor accepted: half the frequency. */
    public static final double MIN_ALPHA = 0.5;

    /** The highest factor accepted: double the frequency. */
    public static final double MAX_ALPHA = 2.0;

    /** The most levels a grid may have (each is one filter bank of a few kilobytes). */
    public static final int MAX_LEVELS = 2001;

    /** Tolerance of the grid's bounds: a range that is a whole number of steps within rounding has its end levels. */
    private static final double GRID_SLACK = 1e-9;

    /** Validates the range, the step and the boundary; messages name the parameter, its value and the allowed range. */
    public VtlpWarp {
        if (!(minAlpha >= MIN_ALPHA && minAlpha <= 1)) {
            throw new IllegalArgumentException("VTLP minAlpha = " + minAlpha + ", expected in [" + MIN_ALPHA + ", 1]");
        }
        if (!(maxAlpha >= 1 && maxAlpha <= MAX_ALPHA)) {
            throw new IllegalArgumentException("VTLP maxAlpha = " + maxAlpha + ", expected in [1, " + MAX_ALPHA + "]");
        }
        if (!(step > 0 && step <= 0.5)) {
            throw new IllegalArgumentException("VTLP step = " + step + ", expected in (0, 0.5]");
        }
        double levels = Math.floor((1 - minAlpha) / step + GRID_SLACK) + Math.floor((maxAlpha - 1) / step + GRID_SLACK) + 1;
        if (levels > MAX_LEVELS) {
            throw new IllegalArgumentException("VTLP step = " + step + " gives " + (long) levels + " levels in [" + minAlpha + ", "
                    + maxAlpha + "], expected at most " + MAX_LEVELS + "; use a larger step");
        }
        if (!(boundaryHz > 0) || Double.isInfinite(boundaryHz)) {
            throw new IllegalArgumentException("VTLP boundaryHz = " + boundaryHz + ", expected a finite frequency > 0 Hz below the"
                    + " Nyquist frequency (4800 Hz for 16 kHz audio, as in Jaitly and Hinton 2013)");
        }
    }

    /** No warping: the single level alpha = 1 (a {@link VtlpFilterBanks} of it draws nothing). */
    public static final VtlpWarp NONE = new VtlpWarp(1, 1, 0.005, 4_800);

    /** Whether this grid holds only alpha = 1, i.e. warps nothing. */
    public boolean isNone() {
        return minAlpha == 1 && maxAlpha == 1;
    }

    /**
     * The default grid: factors {@code 0.8} to {@code 1.2} in steps of {@code 0.005} (81 levels), boundary 4,800 Hz
     * (Jaitly and Hinton's, for 16 kHz audio).
     */
    public static VtlpWarp defaults() {
        return new VtlpWarp(0.8, 1.2, 0.005, 4_800);
    }

    /** A copy with another range of factors (the same step and boundary). */
    public VtlpWarp withRange(double min, double max) {
        return new VtlpWarp(min, max, step, boundaryHz);
    }

    /** A copy with another boundary frequency in Hz. */
    public VtlpWarp withBoundary(double hz) {
        return new VtlpWarp(minAlpha, maxAlpha, step, hz);
    }

    /** Number of levels below 1. */
    private int below() {
        return (int) Math.floor((1 - minAlpha) / step + GRID_SLACK);
    }

    /** Number of levels of the grid: those below 1, the level 1 itself and those above 1. */
    public int levels() {
        return below() + (int) Math.floor((maxAlpha - 1) / step + GRID_SLACK) + 1;
    }

    /** The factor of level {@code index}: {@code 1 + (index - levels below 1) step}; exactly 1 for the level of 1. */
    public double level(int index) {
        if (index < 0 || index >= levels()) {
            throw new IllegalArgumentException("VTLP level " + index + ", expected in [0, " + (levels() - 1) + "]");
        }
        int i = index - below();
        return i == 0 ? 1.0 : 1.0 + i * step;
    }

    /**
     * The index of the level nearest to {@code alpha}.
     *
     * @param alpha a factor in {@code [minAlpha, maxAlpha]}
     * @return in {@code [0, levels())}
     * @throws IllegalArgumentException for a factor outside the range (or not a number)
     */
    public int levelIndex(double alpha) {
        if (!(alpha >= minAlpha && alpha <= maxAlpha)) {
            throw new IllegalArgumentException("VTLP alpha = " + alpha + ", expected in [minAlpha = " + minAlpha + ", maxAlpha = "
                    + maxAlpha + "]; draw it from that range or widen the grid (VtlpWarp.withRange)");
        }
        long i = Math.round((alpha - 1) / step);
        return (int) Math.max(0, Math.min(levels() - 1, i + below()));
    }

    /**
     * The warp {@code W(f)} of the class comment.
     *
     * @param hz         the frequency, in {@code [0, nyquistHz]}
     * @param alpha      the warp factor, {@code > 0}
     * @param boundaryHz the boundary frequency {@code F}, in {@code (0, nyquistHz)}
     * @param nyquistHz  half the sample rate
     * @return the warped frequency, in {@code [0, nyquistHz]}; {@code hz} itself when {@code alpha == 1}
     */
    public static double warp(double hz, double alpha, double boundaryHz, double nyquistHz) {
        if (alpha == 1.0) {
            return hz;
        }
        double low = boundaryHz * Math.min(alpha, 1.0);
        double knee = low / alpha;
        if (hz <= knee) {
            return alpha * hz;
        }
        return nyquistHz - (nyquistHz - low) / (nyquistHz - knee) * (nyquistHz - hz);
    }
}
