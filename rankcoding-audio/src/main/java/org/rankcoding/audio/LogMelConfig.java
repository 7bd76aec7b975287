package org.rankcoding.audio;

/**
 * Parameters of the {@link LogMelSpectrogram} front end; immutable and validated once, here.
 *
 * <p>{@link #speechCommands()} gives the usual keyword-spotting setting: 16 kHz, 25 ms windows (400 samples)
 * every 10 ms (160 samples), a 512-point FFT, 40 mel bands from 20 Hz to 8 kHz, epsilon {@code 1e-6}.
 * The {@code with...} methods return modified copies.
 *
 * @param sampleRate    samples per second of the audio, in {@code [1, MAX_SAMPLE_RATE = 384000]}
 * @param windowLength  samples per frame, in {@code [1, fftSize]}; frames are zero-padded to {@code fftSize}
 * @param hopLength     samples between the starts of consecutive frames, in {@code [1, windowLength]}
 * @param fftSize       FFT length, a power of two in {@code [2, MAX_FFT_SIZE = 65536]}
 * @param melBands      number of triangular mel filters, in {@code [1, fftSize / 2 + 1]}; each must cover at least one
 *                      FFT bin
 * @param minFrequency  lower edge of the lowest filter in Hz, in {@code [0, maxFrequency)}
 * @param maxFrequency  upper edge of the highest filter in Hz, at most {@code sampleRate / 2}
 * @param epsilon       added to each mel energy before the logarithm, {@code > 0} (silence gives {@code log(epsilon)})
 */
public record LogMelConfig(int sampleRate, int windowLength, int hopLength, int fftSize, int melBands,
                           double minFrequency, double maxFrequency, double epsilon) {

    /** Highest sample rate accepted, in Hz: 384 kHz, the highest rate of common audio hardware. */
    public static final int MAX_SAMPLE_RATE = 384_000;

    /** Largest FFT accepted: 2^16 points, over a second of audio at 48 kHz in one frame. */
    public static final int MAX_FFT_SIZE = 1 << 16;

    /**
     * Validates every parameter before anything is sized by it, so a size read from a file or an option cannot make the
     * front end allocate without bound; messages carry the field, the offending value and the allowed range.
     */
    public LogMelConfig {
        if (sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected in [1, " + MAX_SAMPLE_RATE + "]");
        }
        if (fftSize < 2 || fftSize > MAX_FFT_SIZE || Integer.bitCount(fftSize) != 1) {
            throw new IllegalArgumentException("fftSize = " + fftSize + ", expected a power of two in [2, " + MAX_FFT_SIZE + "]");
        }
        if (windowLength < 1 || windowLength > fftSize) {
            throw new IllegalArgumentException("windowLength = " + windowLength + " samples, expected in [1, fftSize = "
                    + fftSize + "]");
        }
        if (hopLength < 1 || hopLength > windowLength) {
            throw new IllegalArgumentException("hopLength = " + hopLength + " samples, expected in [1, windowLength = "
                    + windowLength + "] (a longer hop would skip audio between frames)");
        }
        if (melBands < 1 || melBands > fftSize / 2 + 1) {
            throw new IllegalArgumentException("melBands = " + melBands + ", expected in [1, fftSize / 2 + 1 = "
                    + (fftSize / 2 + 1) + "], the number of FFT bins (use fewer bands or a larger fftSize)");
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
     * The configuration from its eight numbers in the order of the record's components, as read from a text form such
     * as a model file's metadata: the five sizes must be whole numbers (no silent rounding or clipping of, say,
     * {@code 1e20} or {@code 512.5}), and then every bound of the constructor applies.
     *
     * @param values sampleRate, windowLength, hopLength, fftSize, melBands, minFrequency, maxFrequency, epsilon
     * @return the configuration
     * @throws IllegalArgumentException for a null array, a count other than 8, a size that is not a whole number in its
     *                                  range, or any value the constructor refuses; the message names the field
     */
    public static LogMelConfig fromNumbers(double... values) {
        if (values == null || values.length != 8) {
            throw new IllegalArgumentException("the log-mel front end has 8 numbers (sampleRate, windowLength, hopLength, fftSize,"
                    + " melBands, minFrequency, maxFrequency, epsilon), got " + (values == null ? "none" : values.length));
        }
        return new LogMelConfig(whole("sampleRate", values[0], MAX_SAMPLE_RATE), whole("windowLength", values[1], MAX_FFT_SIZE),
                whole("hopLength", values[2], MAX_FFT_SIZE), whole("fftSize", values[3], MAX_FFT_SIZE),
                whole("melBands", values[4], MAX_FFT_SIZE / 2 + 1), values[5], values[6], values[7]);
    }

    /** {@code value} as an int when it is a whole number in {@code [1, max]}; refused naming {@code field} otherwise. */
    private static int whole(String field, double value, int max) {
        if (!(value >= 1 && value <= max) || value != Math.rint(value)) {
            String shown = value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value) : String.valueOf(value);
            throw new IllegalArgumentException(field + " = " + shown + ", expected a whole number in [1, " + max + "]");
        }
        return (int) value;
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
