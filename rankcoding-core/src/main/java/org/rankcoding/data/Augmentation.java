package org.rankcoding.data;

import java.util.Locale;

/**
 * What {@link AugmentedSource} does to each training series: window warping, then scaling, then jitter (each off at 0).
 * Immutable; start from {@link #NONE} and add with the {@code with...} methods.
 *
 * @param jitter     standard deviation of the Gaussian noise added to every value, finite and {@code >= 0} (0: none)
 * @param scaling    standard deviation of the scaling factor {@code 1 + scaling * N(0, 1)} drawn per series and per
 *                   channel (input), finite and {@code >= 0} (0: none)
 * @param warpWindow length of the warped window as a fraction of the series' own length, in [0, 1) (0: no warping);
 *                   the window has {@code round(warpWindow * length)} steps, at least 1 and at most {@code length - 1}
 * @param warpFactor how much the window is stretched or squeezed, {@code > 1} and finite: by {@code warpFactor} or by
 *                   {@code 1 / warpFactor}, with equal probability (2, the usual choice, by default)
 */
public record Augmentation(double jitter, double scaling, double warpWindow, double warpFactor) {

    /** No augmentation (warp factor 2 for when a window is set). */
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 2);

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a value out of its range, naming it
     */
    public Augmentation {
        requireSigma("jitter", jitter);
        requireSigma("scaling", scaling);
        if (!(warpWindow >= 0 && warpWindow < 1)) {
            throw new IllegalArgumentException("warpWindow = " + warpWindow + ", expected a fraction of the series' length in "
                    + "[0, 1) (0 for no window warping; typical: 0.1)");
        }
        if (!(warpFactor > 1) || !Double.isFinite(warpFactor)) {
            throw new IllegalArgumentException("warpFactor = " + warpFactor + ", expected a finite value > 1 (typical: 2, the "
                    + "window stretched two-fold or squeezed to half)");
        }
    }

    private static void requireSigma(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + ", expected a finite standard deviation >= 0 (0 for none; "
                    + "typical: 0.01 .. 0.2 of the data's scale)");
        }
    }

    /** This augmentation with Gaussian noise of standard deviation {@code sigma}. */
    public Augmentation withJitter(double sigma) {
        return new Augmentation(sigma, scaling, warpWindow, warpFactor);
    }

    /** This augmentation with per-series, per-channel scaling factors {@code 1 + sigma * N(0, 1)}. */
    public Augmentation withScaling(double sigma) {
        return new Augmentation(jitter, sigma, warpWindow, warpFactor);
    }

    /** This augmentation with window warping of a window of {@code window} times the length, by {@code factor} or its inverse. */
    public Augmentation withWindowWarp(double window, double factor) {
        return new Augmentation(jitter, scaling, window, factor);
    }

    /** Whether it changes anything. */
    public boolean isNone() {
        return jitter == 0 && scaling == 0 && warpWindow == 0;
    }

    /** {@code jitter=.., scaling=.., warp=WINDOWxFACTOR}, as fingerprints and logs show it. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "jitter=%s scaling=%s warp=%sx%s", jitter, scaling, warpWindow, warpFactor);
    }
}
