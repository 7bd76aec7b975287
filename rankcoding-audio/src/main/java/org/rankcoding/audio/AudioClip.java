package org.rankcoding.audio;

/**
 * Mono audio samples with their sample rate. (As for any record with an array component, {@code equals} compares the
 * array's identity, not its contents.)
 *
 * @param samples    the samples, scaled to {@code [-1, 1)} (a 16-bit value {@code v} is {@code v / 32768}); not
 *                   copied: the record shares the array with whoever created it, and the creator hands over
 *                   ownership
 * @param sampleRate samples per second, at least 1
 */
public record AudioClip(float[] samples, int sampleRate) {

    /** Validates the arguments. */
    public AudioClip {
        if (samples == null) {
            throw new IllegalArgumentException("samples is null; give an array (possibly empty)");
        }
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected >= 1");
        }
    }

    /** Number of samples. */
    public int length() {
        return samples.length;
    }

    /** Duration in seconds: {@code length() / sampleRate()}. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
