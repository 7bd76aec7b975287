package org.rankcoding.audio.spotter;

import java.util.Objects;

/**
 * A keyword heard in a stream: which word, when the spotter decided, and how sure it was.
 *
 * <p>Times are counted in samples from the first sample fed to the spotter (since its creation or its last
 * {@code reset}), at the model's sample rate; {@link #seconds()} converts.
 *
 * @param word       the class name, as the model file lists it
 * @param label      the class index, {@code words.get(label)}
 * @param sample     the stream position of the decision: one past the last sample of the frame on which the output
 *                   crossed the threshold, {@code >= 0}
 * @param sampleRate the stream's sample rate in Hz, {@code > 0}
 * @param confidence the decided class's output at the decision, in [0, 1]
 */
public record KeywordEvent(String word, int label, long sample, int sampleRate, double confidence) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a null word, a negative label or sample, a sample rate {@code <= 0} or a
     *                                  confidence outside [0, 1], naming the field and the value
     */
    public KeywordEvent {
        Objects.requireNonNull(word, "word is null: give the class name of the event");
        if (label < 0) {
            throw new IllegalArgumentException("label = " + label + ", expected a class index >= 0");
        }
        if (sample < 0) {
            throw new IllegalArgumentException("sample = " + sample + ", expected a stream position >= 0");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + ", expected a rate in Hz > 0");
        }
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence = " + confidence + ", expected a probability in [0, 1]");
        }
    }

    /** The decision's time in seconds from the start of the stream: {@code sample / sampleRate}. */
    public double seconds() {
        return (double) sample / sampleRate;
    }
}
