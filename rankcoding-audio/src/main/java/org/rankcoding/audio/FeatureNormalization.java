package org.rankcoding.audio;

import java.util.Objects;

/**
 * How a front end standardises its features per band: with the training set's statistics
 * ({@link #trainingSet()}, a {@link FeatureNormalizer}, today's default) or causally per utterance
 * ({@link CausalNormalization}: running statistics of the frames heard so far, with the training set's as a prior).
 * Part of a {@link FrontEndConfig}; a model file records it as text ({@link #toText()}, {@link #fromText}).
 */
public sealed interface FeatureNormalization permits FeatureNormalization.TrainingSet, CausalNormalization {

    /** {@code (x - mean) / std} per band with the training set's statistics: stateless. */
    record TrainingSet() implements FeatureNormalization {

        /** The text form, {@code training-set}. */
        public static final String TEXT = "training-set";

        /** {@value #TEXT}. */
        @Override
        public String toText() {
            return TEXT;
        }
    }

    /** Standardisation with the training set's statistics: today's, and the default. */
    static FeatureNormalization trainingSet() {
        return new TrainingSet();
    }

    /**
     * The text form a model file records: {@code training-set}, or {@code causal(priorFrames=...)}
     * ({@link CausalNormalization#toText()}); {@link #fromText} reads it back exactly.
     */
    String toText();

    /**
     * Reads a normalisation from its text form ({@link #toText()}).
     *
     * @throws IllegalArgumentException for any other text, or a parameter out of range, saying what is expected
     */
    static FeatureNormalization fromText(String text) {
        Objects.requireNonNull(text, "text is null");
        String t = text.strip();
        if (t.equals(TrainingSet.TEXT)) {
            return trainingSet();
        }
        if (t.startsWith(CausalNormalization.NAME + "(")) {
            return CausalNormalization.fromText(t);
        }
        throw new IllegalArgumentException("the normalization '" + text + "' is unknown; expected '" + TrainingSet.TEXT + "' or '"
                + CausalNormalization.defaults().toText() + "'");
    }
}
