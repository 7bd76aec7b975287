package org.rankcoding.data;

import java.util.Locale;

/**
 * What {@link AugmentedSource} does to each training series: a random crop of its start, then window slicing, then
 * window warping, then scaling, then jitter (each off at its neutral value). Immutable; start from {@link #NONE} and add with the {@code with...} methods.
 *
 * @param jitter     standard deviation of the Gaussian noise added to every value, finite and {@code >= 0} (0: none)
 * @param scaling    standard deviation of the scaling factor {@code 1 + scaling * N(0, 1)} drawn per series and per
 *                   channel (input), finite and {@code >= 0} (0: none)
 * @param warpWindow length of the warped window as a fraction of the series' own length, in [0, 1) (0: no warping);
 *                   the window has {@code round(warpWindow * length)} steps, at least 1 and at most {@code length - 1}
 * @param warpFactor how much the window is stretched or squeezed, {@code > 1} and finite: by {@code warpFactor} or by
 *                   {@code 1 / warpFactor}, with equal probability (2, the usual choice, by default)
 * @param slice      window slicing (Le Guennec et al. 2016): a window of this fraction of the series' own length, at a
 *                   uniform position, is stretched to the whole length; in (0, 1] (1: no slicing; typical: 0.9). The
 *                   series then starts at a random offset of up to {@code 1 - slice} of its length, so that its first
 *                   steps differ from one pass to the next
 * @param crop       a random crop of the series' start: up to this fraction of its own length is dropped from its
 *                   beginning (a uniform number of steps), its time scale kept, so the series is that much shorter; in
 *                   [0, 1) (0: none). Unlike slicing it does not stretch what is left, so a periodic signal keeps its
 *                   frequency: for recordings that could have started anywhere in an activity
 */
public record Augmentation(double jitter, double scaling, double warpWindow, double warpFactor, double slice, double crop) {

    /** No augmentation (warp factor 2 for when a window is set). */
    public static final Augmentation NONE = new Augmentation(0, 0, 0, 2, 1, 0);

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
        if (!(slice > 0 && slice <= 1)) {
            throw new IllegalArgumentException("slice = " + slice + ", expected a fraction of the series' length in (0, 1] (1 "
                    + "for no window slicing; typical: 0.9)");
        }
        if (!(crop >= 0 && crop < 1)) {
            throw new IllegalArgumentException("crop = " + crop + ", expected the largest fraction of the series' length to drop "
                    + "from its start, in [0, 1) (0 for no crop; typical: 0.3 .. 0.5)");
        }
    }

    /** Jitter, scaling, window warping and window slicing, without a crop. */
    public Augmentation(double jitter, double scaling, double warpWindow, double warpFactor, double slice) {
        this(jitter, scaling, warpWindow, warpFactor, slice, 0);
    }

    /** Jitter, scaling and window warping, without window slicing. */
    public Augmentation(double jitter, double scaling, double warpWindow, double warpFactor) {
        this(jitter, scaling, warpWindow, warpFactor, 1, 0);
    }

    private static void requireSigma(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " = " + v + ", expected a finite standard deviation >= 0 (0 for none; "
                    + "typical: 0.01 .. 0.2 of the data's scale)");
        }
    }

    /** This augmentation with Gaussian noise of standard deviation {@code sigma}. */
    public Augmentation withJitter(double sigma) {
        return new Augmentation(sigma, scaling, warpWindow, warpFactor, slice, crop);
    }

    /** This augmentation with per-series, per-channel scaling factors {@code 1 + sigma * N(0, 1)}. */
    public Augmentation withScaling(double sigma) {
        return new Augmentation(jitter, sigma, warpWindow, warpFactor, slice, crop);
    }

    /** This augmentation with window warping of a window of {@code window} times the length, by {@code factor} or its inverse. */
    public Augmentation withWindowWarp(double window, double factor) {
        return new Augmentation(jitter, scaling, window, factor, slice, crop);
    }

    /** This augmentation with window slicing: a window of {@code fraction} of the length stretched to the whole. */
    public Augmentation withWindowSlice(double fraction) {
        return new Augmentation(jitter, scaling, warpWindow, warpFactor, fraction, crop);
    }

    /** This augmentation with a random crop of up to {@code fraction} of each series' length from its start. */
    public Augmentation withCrop(double fraction) {
        return new Augmentation(jitter, scaling, warpWindow, warpFactor, slice, fraction);
    }

    /** Whether it changes anything. */
    public boolean isNone() {
        return jitter == 0 && scaling == 0 && warpWindow == 0 && slice == 1 && crop == 0;
    }

    /**
     * {@code jitter=.., scaling=.., warp=WINDOWxFACTOR}, followed by {@code  slice=..} when slicing is on and
     * {@code  crop=..} when the crop is, as fingerprints and logs show it (without them, the text is what it was before
     * they existed, so checkpoints written then still resume).
     */
    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "jitter=%s scaling=%s warp=%sx%s", jitter, scaling, warpWindow, warpFactor);
        s = slice == 1 ? s : s + String.format(Locale.ROOT, " slice=%s", slice);
        return crop == 0 ? s : s + String.format(Locale.ROOT, " crop=%s", crop);
    }
}
