package org.rankcoding.audio.augment;

import java.util.Locale;

/**
 * What {@link WaveformAugmenter} does to each training clip's samples: speed and pitch perturbation, time shift,
 * reverberation, band limitation, background noise and gain, each off at 0. Immutable and validated; start from {@link #NONE} (or
 * {@link #typical()}) and change it with the {@code with...} methods. Its {@link #toString()} goes into the
 * fingerprint of a training source, so that a checkpoint cannot be resumed with another augmentation.
 *
 * <p>The order in which the operations are applied and their random numbers drawn is fixed; see
 * {@link WaveformAugmenter}.
 *
 * @param speed             speed perturbation: the factor is drawn uniformly in {@code [1 - speed, 1 + speed]}; in
 *                          {@code [0, 0.5]} (0: none; typical 0.1, Kaldi's 0.9/1.0/1.1). A factor {@code f} plays the
 *                          clip {@code f} times faster: tempo and pitch change together
 * @param pitchSemitones    pitch perturbation: the shift is drawn uniformly in {@code [-pitchSemitones,
 *                          +pitchSemitones]} semitones, the duration kept; in {@code [0, 12]} (0: none; typical 2)
 * @param gainDb            gain: drawn uniformly in {@code [-gainDb, +gainDb]} dB; in {@code [0, 40]} (0: none; typical 6)
 * @param shiftMs           time shift: drawn uniformly in {@code [-shiftMs, +shiftMs]} milliseconds (whole samples),
 *                          zero-filled, the clip keeps its length; in {@code [0, 1000]} (0: none; typical 100)
 * @param noiseProbability  probability that a clip gets background noise; in {@code [0, 1]} (0: none; typical 0.8)
 * @param noiseSnrLowDb     lowest signal-to-noise ratio drawn, in dB; in {@code [-30, 60]} (typical 5)
 * @param noiseSnrHighDb    highest signal-to-noise ratio drawn, in dB; in {@code [noiseSnrLowDb, 60]} (typical 20)
 * @param reverbProbability probability that a clip is reverberated; in {@code [0, 1]} (0: none; typical 0.3)
 * @param rt60MinSeconds    shortest reverberation time (RT60, the time the room's response takes to decay by 60 dB)
 *                          drawn, in seconds; in {@code [0.05, 2]} (typical 0.1)
 * @param rt60MaxSeconds    longest RT60 drawn, in seconds; in {@code [rt60MinSeconds, 2]} (typical 0.6)
 * @param bandLimitProbability probability that a clip's bandwidth is limited, as by a channel or a recording at a lower
 *                          sample rate (a telephone line, an 8 kHz voice); in {@code [0, 1]} (0: none; typical 0.3)
 * @param minBandwidthHz    narrowest bandwidth drawn, in Hz: the clip keeps the frequencies below a bandwidth drawn
 *                          uniformly between this and half the sample rate; in {@code [500, 20000]} and below half the
 *                          clips' sample rate (typical 3400, a telephone line's)
 */
public record WaveformAugmentation(double speed, double pitchSemitones, double gainDb, double shiftMs,
                                   double noiseProbability, double noiseSnrLowDb, double noiseSnrHighDb,
                                   double reverbProbability, double rt60MinSeconds, double rt60MaxSeconds,
                                   double bandLimitProbability, double minBandwidthHz) {

    /** Largest {@link #speed}: factors from 0.5 to 1.5. */
    public static final double MAX_SPEED = 0.5;
    /** Largest {@link #pitchSemitones}: an octave. */
    public static final double MAX_PITCH_SEMITONES = 12;
    /** Largest {@link #gainDb}. */
    public static final double MAX_GAIN_DB = 40;
    /** Largest {@link #shiftMs}. */
    public static final double MAX_SHIFT_MS = 1000;
    /** Lowest signal-to-noise ratio accepted, in dB. */
    public static final double MIN_SNR_DB = -30;
    /** Highest signal-to-noise ratio accepted, in dB. */
    public static final double MAX_SNR_DB = 60;
    /** Shortest RT60 accepted, in seconds. */
    public static final double MIN_RT60_SECONDS = 0.05;
    /** Longest RT60 accepted, in seconds. */
    public static final double MAX_RT60_SECONDS = 2;
    /** Smallest {@link #minBandwidthHz}. */
    public static final double MIN_BANDWIDTH_HZ = 500;
    /** Largest {@link #minBandwidthHz}. */
    public static final double MAX_BANDWIDTH_HZ = 20_000;

    /** No augmentation: every operation off (noise at 5-20 dB and RT60 0.1-0.6 s for when they are switched on). */
    public static final WaveformAugmentation NONE = new WaveformAugmentation(0, 0, 0, 0, 0, 5, 20, 0, 0.1, 0.6, 0, 3400);

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException for a value outside its range; the message names the field, the value, the
     *                                  allowed range and a typical value
     */
    public WaveformAugmentation {
        requireIn("speed", speed, 0, MAX_SPEED, "0.1 (factors 0.9 to 1.1)");
        requireIn("pitchSemitones", pitchSemitones, 0, MAX_PITCH_SEMITONES, "2");
        requireIn("gainDb", gainDb, 0, MAX_GAIN_DB, "6");
        requireIn("shiftMs", shiftMs, 0, MAX_SHIFT_MS, "100");
        requireIn("noiseProbability", noiseProbability, 0, 1, "0.8");
        requireIn("noiseSnrLowDb", noiseSnrLowDb, MIN_SNR_DB, MAX_SNR_DB, "5");
        requireIn("noiseSnrHighDb", noiseSnrHighDb, noiseSnrLowDb, MAX_SNR_DB, "20; it must not be below noiseSnrLowDb = "
                + noiseSnrLowDb);
        requireIn("reverbProbability", reverbProbability, 0, 1, "0.3");
        requireIn("rt60MinSeconds", rt60MinSeconds, MIN_RT60_SECONDS, MAX_RT60_SECONDS, "0.1");
        requireIn("rt60MaxSeconds", rt60MaxSeconds, rt60MinSeconds, MAX_RT60_SECONDS, "0.6; it must not be below "
                + "rt60MinSeconds = " + rt60MinSeconds);
        requireIn("bandLimitProbability", bandLimitProbability, 0, 1, "0.3");
        requireIn("minBandwidthHz", minBandwidthHz, MIN_BANDWIDTH_HZ, MAX_BANDWIDTH_HZ, "3400");
    }

    private static void requireIn(String field, double value, double min, double max, String typical) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s = %s, expected in [%s, %s] (typical: %s)",
                    field, value, min, max, typical));
        }
    }

    /**
     * A starting point, not a measured optimum: speed 0.1, pitch 2 semitones, gain 6 dB, shift 100 ms, noise with
     * probability 0.8 at 5-20 dB, reverberation with probability 0.3 at RT60 0.1-0.6 s.
     */
    public static WaveformAugmentation typical() {
        return new WaveformAugmentation(0.1, 2, 6, 100, 0.8, 5, 20, 0.3, 0.1, 0.6, 0, 3400);
    }

    /** A copy with speed factors drawn in {@code [1 - speed, 1 + speed]}. */
    public WaveformAugmentation withSpeed(double speed) {
        return new WaveformAugmentation(speed, pitchSemitones, gainDb, shiftMs, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, reverbProbability, rt60MinSeconds, rt60MaxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /** A copy with pitch shifts drawn in {@code [-semitones, +semitones]}. */
    public WaveformAugmentation withPitch(double semitones) {
        return new WaveformAugmentation(speed, semitones, gainDb, shiftMs, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, reverbProbability, rt60MinSeconds, rt60MaxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /** A copy with gains drawn in {@code [-db, +db]} dB. */
    public WaveformAugmentation withGain(double db) {
        return new WaveformAugmentation(speed, pitchSemitones, db, shiftMs, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, reverbProbability, rt60MinSeconds, rt60MaxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /** A copy with time shifts drawn in {@code [-ms, +ms]} milliseconds. */
    public WaveformAugmentation withShift(double ms) {
        return new WaveformAugmentation(speed, pitchSemitones, gainDb, ms, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, reverbProbability, rt60MinSeconds, rt60MaxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /** A copy with background noise on a clip with probability {@code probability}, at SNRs drawn in {@code [lowDb, highDb]}. */
    public WaveformAugmentation withNoise(double probability, double lowDb, double highDb) {
        return new WaveformAugmentation(speed, pitchSemitones, gainDb, shiftMs, probability, lowDb, highDb,
                reverbProbability, rt60MinSeconds, rt60MaxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /** A copy with reverberation with probability {@code probability}, at RT60s drawn in {@code [minSeconds, maxSeconds]}. */
    public WaveformAugmentation withReverb(double probability, double minSeconds, double maxSeconds) {
        return new WaveformAugmentation(speed, pitchSemitones, gainDb, shiftMs, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, probability, minSeconds, maxSeconds, bandLimitProbability, minBandwidthHz);
    }

    /**
     * This augmentation with band limitation: with {@code probability}, a clip keeps only the frequencies below a
     * bandwidth drawn uniformly in {@code [minHz, sampleRate / 2)}.
     *
     * @throws IllegalArgumentException outside the ranges of the record's fields
     */
    public WaveformAugmentation withBandLimit(double probability, double minHz) {
        return new WaveformAugmentation(speed, pitchSemitones, gainDb, shiftMs, noiseProbability, noiseSnrLowDb,
                noiseSnrHighDb, reverbProbability, rt60MinSeconds, rt60MaxSeconds, probability, minHz);
    }

    /** Whether it changes nothing (then it draws no random number either). */
    public boolean isNone() {
        return speed == 0 && pitchSemitones == 0 && gainDb == 0 && shiftMs == 0 && noiseProbability == 0
                && reverbProbability == 0 && bandLimitProbability == 0;
    }

    /** Whether background noise can be added: a {@link WaveformAugmenter} then needs noise recordings. */
    public boolean usesNoise() {
        return noiseProbability > 0;
    }

    /**
     * {@code speed=0.1 pitch=2.0st gain=6.0dB shift=100.0ms noise=0.8@5.0..20.0dB reverb=0.3@0.1..0.6s}, as
     * fingerprints and logs show it.
     */
    @Override
    public String toString() {
        String text = String.format(Locale.ROOT, "speed=%s pitch=%sst gain=%sdB shift=%sms noise=%s@%s..%sdB reverb=%s@%s..%ss",
                speed, pitchSemitones, gainDb, shiftMs, noiseProbability, noiseSnrLowDb, noiseSnrHighDb,
                reverbProbability, rt60MinSeconds, rt60MaxSeconds);
        // only when on, so that the fingerprints of sources without it stay as they were before it existed
        return bandLimitProbability == 0 ? text
                : text + String.format(Locale.ROOT, " band-limit=%s@%sHz", bandLimitProbability, minBandwidthHz);
    }
}
