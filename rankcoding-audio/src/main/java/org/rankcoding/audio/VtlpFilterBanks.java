package org.rankcoding.audio;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The mel filter banks of a front end warped by every factor of a {@link VtlpWarp} grid, computed once: training-time
 * vocal-tract-length perturbation at no cost per clip beyond the unwarped front end.
 *
 * <p>Immutable (every bank is built by the constructor), so one instance serves every thread and every
 * {@link LogMelSpectrogram} or {@link FrontEndStream} of its configuration. Per clip, draw a factor with the trainer's
 * generator and compute the clip's frames with its bank:
 * <pre>
 *   VtlpFilterBanks vtlp = new VtlpFilterBanks(LogMelConfig.speechCommands(), VtlpWarp.defaults());   // once
 *   double[][] steps = frontEnd.computeSteps(samples, vtlp.draw(random));                            // per clip
 * </pre>
 * {@link #bank(double)} gives the bank of the level nearest to a given factor; neither allocates. The default grid (81
 * levels) holds about 81 banks of 4 KB.
 */
public final class VtlpFilterBanks {

    private final LogMelConfig config;
    private final VtlpWarp warp;
    private final MelFilterBank[] banks;

    /**
     * Builds the bank of every level of {@code warp}; the level {@code alpha = 1} is the unwarped bank.
     *
     * @param config the front end's parameters
     * @param warp   the grid of factors and the boundary frequency
     * @throws IllegalArgumentException when the boundary is not below the Nyquist frequency of {@code config}, or when a
     *                                  band of some warped bank covers no FFT bin (the message names the factor)
     */
    public VtlpFilterBanks(LogMelConfig config, VtlpWarp warp) {
        this.config = Objects.requireNonNull(config, "config is null; use LogMelConfig.speechCommands() for the defaults");
        this.warp = Objects.requireNonNull(warp, "warp is null; use VtlpWarp.defaults()");
        this.banks = new MelFilterBank[warp.levels()];
        for (int i = 0; i < banks.length; i++) {
            banks[i] = MelFilterBank.warped(config, warp.level(i), warp.boundaryHz());
        }
    }

    /** The front-end parameters the banks were built for. */
    public LogMelConfig config() {
        return config;
    }

    /** The grid of factors. */
    public VtlpWarp warp() {
        return warp;
    }

    /** Number of levels (banks). */
    public int levels() {
        return banks.length;
    }

    /**
     * The bank of the level nearest to {@code alpha} (its factor is {@link MelFilterBank#alpha()}).
     *
     * @param alpha a warp factor in {@code [warp().minAlpha(), warp().maxAlpha()]}
     * @throws IllegalArgumentException for a factor outside the grid's range
     */
    public MelFilterBank bank(double alpha) {
        return banks[warp.levelIndex(alpha)];
    }

    /**
     * The bank of a level drawn uniformly at random (each of the {@link #levels()} levels equally likely): a factor
     * uniform over the grid's range, quantised to its step; one {@code nextInt} of {@code random}, none when the grid has a
     * single level ({@link VtlpWarp#NONE}: the plain bank).
     *
     * @param random the trainer's seeded generator
     */
    public MelFilterBank draw(RandomGenerator random) {
        if (banks.length == 1) {
            return banks[0];
        }
        return banks[random.nextInt(banks.length)];
    }
}
