package org.rankcoding.audio;

/**
 * Parameters of the {@link LogMelSpectrogram} front end; immutable and validated once, here.
 *
 * <p>{@link #speechCommands()} gives the usual keyword-spotting setting: 16 kHz, 25 ms windows (400 samples)
 * every 10 ms (160 samples), a 512-point FFT, 40 mel bands from 20 Hz to 8 kHz, epsilon {@code 1e-6}.
 * The {@code with...} methods return modified copies.
 *
 * @param sampleRate    samples per second of the audio, at least 1
 * @param windowLength  samples per frame, in {@code [1, fftSize]}; frames are zero-padded to {@code fftSize}
 * @param hopLength     samples between the starts of consecutive frames, at least 1
 * @param fftSize       FFT length, a power of two, at least 2
 * @param melBands      number of triangular mel filters, at least 1; each must cover at least one FFT bin
 * @param minFrequency  lower edge of the lowest filter in Hz, in {@code [0, maxFrequency)}
 * @param maxFrequency  upper edge of the highest filter in Hz, at most {@code sampleRate / 2}
 * @param epsilon       added to each mel energy before the logarithm, {@code > 0} (silence gives {@code log(epsilon)})
 */
public record LogMelConfig(int sampleRate, int windowLength, int hopLength, int fftSize, int melBands,
                           double minFrequency, double maxFrequency, double epsilon) {

    /** Validates every parameter; messages carry the offending value and the allowed range. */
    public LogMelConfig {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected >= 1");
        }
        if (fftSize < 2 || Integer.bitCount(fftSize) != 1) {
            throw new IllegalArgumentException("fftSize = " + fftSize + ", expected a power of two >= 2");
        }
        if (windowLength < 1 || windowLength > fftSize) {
            throw new IllegalArgumentException("windowLength = " + windowLength + " samples, expected in [1, fftSize = "
                    + fftSize + "]");
        }
        if (hopLength < 1) {
            throw new IllegalArgumentException("hopLength = " + hopLength + " samples, expected >= 1");
        }
        if (melBands < 1) {
            throw new IllegalArgumentException("melBands = " + melBands + ", expected >= 1");
        }
        if (!(maxFrequency > 0) || maxFrequency > sampleRate / 2.0) {
            throw new IllegalArgumentException("maxFrequency = " + maxFrequency + " Hz, expected in (0, sampleRate / 2 = "
                    + sampleRate / 2.0 + "]");
        }
        if (!(minFrequency >= 0) || minFrequency >= maxFrequency) {
            throw new IllegalArgumentException("minFrequency = " + minFrequency + " Hz, expected in [0, maxFrequency = "
                    + maxFrequency + ")");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + ", expected a finite value > 0");
        }
    }

    /**
     * The keyword-spotting defaults: 16,000 Hz, window 400 (25 ms), hop 160 (10 ms), FFT 512, 40 mel bands from
     * 20 Hz to 8,000 Hz, epsilon {@code 1e-6}. A 1 s clip gives {@code 1 + (16000 - 400) / 160 = 98} frames.
     */
    public static LogMelConfig speechCommands() {
        return new LogMelConfig(16_000, 400, 160, 512, 40, 20.0, 8_000.0, 1e-6);
    }

    /** A copy with another number of mel bands. */
    public LogMelConfig withMelBands(int bands) {
        return new LogMelConfig(sampleRate, windowLength, hopLength, fftSize, bands, minFrequency, maxFrequency, epsilon);
    }

    /** A copy with other window and hop lengths (in samples). */
    public LogMelConfig withFraming(int window, int hop) {
        return new LogMelConfig(sampleRate, window, hop, fftSize, melBands, minFrequency, maxFrequency, epsilon);
    }

    /** A copy with another filter-bank frequency range (in Hz). */
    public LogMelConfig withFrequencyRange(double min, double max) {
        return new LogMelConfig(sampleRate, windowLength, hopLength, fftSize, melBands, min, max, epsilon);
    }

    /**
     * Number of frames for a clip of {@code samples} samples: frames start at {@code 0, hop, 2 hop, ...} and
     * must lie wholly inside the clip (no centre padding), so {@code 1 + (samples - windowLength) / hopLength}
     * (integer division), or 0 for a clip shorter than one window.
     */
    public int frames(int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples = " + samples + ", expected >= 0");
        }
        return samples < windowLength ? 0 : 1 + (samples - windowLength) / hopLength;
    }
}
