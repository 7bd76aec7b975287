package org.rankcoding.audio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The whole front end of a keyword spotter: the mel spectrogram ({@link LogMelConfig}), how its energies are compressed
 * ({@link MelCompression}: the logarithm or PCEN) and how the features are standardised ({@link FeatureNormalization}:
 * with the training set's statistics or causally per utterance); immutable. {@link #logMel} is today's front end
 * (log-mel, training-set statistics), and what a model file without the newer metadata keys is read as.
 *
 * <p>A model file records it as its log-mel numbers plus two metadata keys written by {@link #optionsMetadata()} and read
 * by {@link #fromMetadata}: {@value #KEY_COMPRESSION} (e.g. {@code log}, or
 * {@code pcen(s=0.025,alpha=0.98,delta=2.0,r=0.5,epsilon=1.0E-6)}) and {@value #KEY_NORMALIZATION} (e.g.
 * {@code training-set}, or {@code causal(priorFrames=20.0)}).
 *
 * @param mel           the spectrogram's parameters (its {@code epsilon} is that of the logarithm)
 * @param compression   the logarithm or PCEN
 * @param normalization training-set or causal per-utterance standardisation
 */
public record FrontEndConfig(LogMelConfig mel, MelCompression compression, FeatureNormalization normalization) {

    /** Metadata key of the compression. */
    public static final String KEY_COMPRESSION = "kws.compression";

    /** Metadata key of the normalisation. */
    public static final String KEY_NORMALIZATION = "kws.normalization";

    /** Checks that every part is given. */
    public FrontEndConfig {
        Objects.requireNonNull(mel, "mel is null; use LogMelConfig.speechCommands() for the defaults");
        Objects.requireNonNull(compression, "compression is null; use MelCompression.log() for the log-mel front end");
        Objects.requireNonNull(normalization, "normalization is null; use FeatureNormalization.trainingSet() for the training-set"
                + " statistics");
    }

    /** The log-mel front end of {@code mel} with training-set standardisation: the front end before these options. */
    public static FrontEndConfig logMel(LogMelConfig mel) {
        return new FrontEndConfig(mel, MelCompression.log(), FeatureNormalization.trainingSet());
    }

    /** {@link #logMel} of {@link LogMelConfig#speechCommands()}. */
    public static FrontEndConfig speechCommands() {
        return logMel(LogMelConfig.speechCommands());
    }

    /** A copy with other spectrogram parameters. */
    public FrontEndConfig withMel(LogMelConfig value) {
        return new FrontEndConfig(value, compression, normalization);
    }

    /** A copy with another compression ({@link MelCompression#log()} or a {@link PcenConfig}). */
    public FrontEndConfig withCompression(MelCompression value) {
        return new FrontEndConfig(mel, value, normalization);
    }

    /** A copy with another normalisation ({@link FeatureNormalization#trainingSet()} or a {@link CausalNormalization}). */
    public FrontEndConfig withNormalization(FeatureNormalization value) {
        return new FrontEndConfig(mel, compression, value);
    }

    /**
     * The compression and normalisation as model-file metadata: {@value #KEY_COMPRESSION} and
     * {@value #KEY_NORMALIZATION}, in that order (the log-mel numbers are recorded beside them by the model file).
     *
     * @return a new map owned by the caller
     */
    public Map<String, String> optionsMetadata() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_COMPRESSION, compression.toText());
        meta.put(KEY_NORMALIZATION, normalization.toText());
        return meta;
    }

    /**
     * The front end of a model file: its log-mel parameters {@code mel} with the compression and normalisation read
     * from the metadata keys {@value #KEY_COMPRESSION} and {@value #KEY_NORMALIZATION}. A key that is absent (a file
     * written before these options existed) means today's choice: the logarithm, training-set statistics.
     *
     * @param mel      the file's log-mel parameters
     * @param metadata the file's metadata, key to text; {@code null} (or an empty text) for an absent key
     * @throws IllegalArgumentException for a text that is not a valid compression or normalisation; the message names
     *                                  the key and what is expected
     */
    public static FrontEndConfig fromMetadata(LogMelConfig mel, Function<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata is null");
        String c = metadata.apply(KEY_COMPRESSION);
        String n = metadata.apply(KEY_NORMALIZATION);
        MelCompression compression;
        FeatureNormalization normalization;
        try {
            compression = c == null || c.isEmpty() ? MelCompression.log() : MelCompression.fromText(c);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata key " + KEY_COMPRESSION + ": " + e.getMessage(), e);
        }
        try {
            normalization = n == null || n.isEmpty() ? FeatureNormalization.trainingSet() : FeatureNormalization.fromText(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata key " + KEY_NORMALIZATION + ": " + e.getMessage(), e);
        }
        return new FrontEndConfig(mel, compression, normalization);
    }
}
