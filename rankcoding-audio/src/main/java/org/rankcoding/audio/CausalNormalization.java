package org.rankcoding.audio;

import java.util.Objects;

/**
 * Causal per-utterance standardisation, a {@link FeatureNormalization}: each band of frame {@code t} is standardised
 * with the mean and variance of that band over the frames {@code 0 .. t} of the utterance (never a later one: a rank
 * coded network decides early, and statistics of the whole utterance would tell it about frames it has not heard),
 * with the training set's mean {@code mu0} and standard deviation {@code sigma0} counted as {@code priorFrames} frames
 * heard before the first, so that the first frames are defined and close to the training-set standardisation:
 * <pre>
 *   n_t    = priorFrames + t + 1
 *   mean_t = (priorFrames mu0 + sum_{i &lt;= t} x_i) / n_t
 *   var_t  = (priorFrames (sigma0^2 + (mu0 - mean_t)^2) + sum_{i &lt;= t} (x_i - mean_t)^2) / n_t
 *   out_t  = (x_t - mean_t) / sqrt(var_t)
 * </pre>
 * {@code var_t >= priorFrames sigma0^2 / n_t > 0}. A {@link CausalNormalizer} computes it stream by stream (Welford's
 * update, from the prior).
 *
 * @param priorFrames how many frames the training-set statistics count as, in {@code [1, MAX_PRIOR_FRAMES]}: the
 *                    smaller, the faster the statistics follow the utterance (at frame {@code t} the utterance has the
 *                    weight {@code (t + 1) / (priorFrames + t + 1)})
 */
public record CausalNormalization(double priorFrames) implements FeatureNormalization {

    /** The name of the text form, {@code causal}. */
    public static final String NAME = "causal";

    /** The largest prior weight accepted, in frames (about 3 hours at 10 ms; beyond it the option changes nothing). */
    public static final double MAX_PRIOR_FRAMES = 1e6;

    /** The default prior weight: 20 frames (200 ms at a 10 ms hop). */
    public static final double DEFAULT_PRIOR_FRAMES = 20;

    /** Validates the prior weight. */
    public CausalNormalization {
        if (!(priorFrames >= 1 && priorFrames <= MAX_PRIOR_FRAMES)) {
            throw new IllegalArgumentException("causal normalization priorFrames = " + priorFrames + ", expected in [1, "
                    + MAX_PRIOR_FRAMES + "] (how many frames the training-set statistics count as; default "
                    + DEFAULT_PRIOR_FRAMES + ")");
        }
    }

    /** The default: {@link #DEFAULT_PRIOR_FRAMES} prior frames. */
    public static CausalNormalization defaults() {
        return new CausalNormalization(DEFAULT_PRIOR_FRAMES);
    }

    /** The text form, {@code causal(priorFrames=20.0)} for the default; {@link #fromText} reads it back exactly. */
    @Override
    public String toText() {
        return NAME + "(priorFrames=" + priorFrames + ")";
    }

    /**
     * Reads the text form of {@link #toText()}.
     *
     * @throws IllegalArgumentException for another form, a value that is not a number, or a value out of range
     */
    public static CausalNormalization fromText(String text) {
        Objects.requireNonNull(text, "text is null");
        String t = text.strip();
        String prefix = NAME + "(priorFrames=";
        if (!t.startsWith(prefix) || !t.endsWith(")")) {
            throw new IllegalArgumentException("causal normalization '" + text + "': expected " + defaults().toText());
        }
        String value = t.substring(prefix.length(), t.length() - 1).strip();
        try {
            return new CausalNormalization(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("causal normalization priorFrames = '" + value + "' is not a number; expected "
                    + defaults().toText(), e);
        }
    }
}
