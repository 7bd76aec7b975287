package org.rankcoding.audio;

import java.util.Objects;

/**
 * How a front end compresses the mel energies {@code E[b]} of a frame into features: the logarithm
 * ({@link #log()}, {@code ln(E[b] + epsilon)}, the log-mel spectrogram) or per-channel energy normalisation
 * ({@link PcenConfig}). Part of a {@link FrontEndConfig}; a model file records it as text ({@link #toText()},
 * {@link #fromText}).
 */
public sealed interface MelCompression permits MelCompression.Log, PcenConfig {

    /** The logarithm {@code ln(E[b] + epsilon)}, with the {@code epsilon} of the {@link LogMelConfig}: stateless. */
    record Log() implements MelCompression {

        /** The text form, {@code log}. */
        public static final String TEXT = "log";

        /** {@value #TEXT}. */
        @Override
        public String toText() {
            return TEXT;
        }
    }

    /** The logarithm: the log-mel spectrogram, today's front end and the default. */
    static MelCompression log() {
        return new Log();
    }

    /**
     * The text form a model file records: {@code log}, or {@code pcen(s=...,alpha=...,delta=...,r=...,epsilon=...)}
     * ({@link PcenConfig#toText()}); {@link #fromText} reads it back exactly.
     */
    String toText();

    /**
     * Reads a compression from its text form ({@link #toText()}).
     *
     * @throws IllegalArgumentException for any other text, or PCEN parameters out of range, saying what is expected
     */
    static MelCompression fromText(String text) {
        Objects.requireNonNull(text, "text is null");
        String t = text.strip();
        if (t.equals(Log.TEXT)) {
            return log();
        }
        if (t.startsWith(PcenConfig.NAME + "(")) {
            return PcenConfig.fromText(t);
        }
        throw new IllegalArgumentException("the compression '" + text + "' is unknown; expected '" + Log.TEXT + "' or '"
                + PcenConfig.paperDefaults().toText() + "' (PCEN with its five parameters)");
    }
}
