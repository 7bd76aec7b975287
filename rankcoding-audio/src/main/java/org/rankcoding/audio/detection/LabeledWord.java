package org.rankcoding.audio.detection;

import java.util.Objects;

/**
 * One spoken word of a long recording, where it truly is: a row of a {@code NAME.labels.csv} file.
 *
 * @param word  the word said (a keyword or any other word), non-empty
 * @param start its first sample, counted from the start of the recording, {@code >= 0}
 * @param end   one past its last sample, {@code > start}
 */
public record LabeledWord(String word, long start, long end) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException for an empty word, a negative start or an end not after the start
     */
    public LabeledWord {
        Objects.requireNonNull(word, "word is null: give the word said");
        if (word.isEmpty()) {
            throw new IllegalArgumentException("word is empty: give the word said");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("'" + word + "' at [" + start + ", " + end + "), expected 0 <= start < end (end exclusive)");
        }
    }
}
