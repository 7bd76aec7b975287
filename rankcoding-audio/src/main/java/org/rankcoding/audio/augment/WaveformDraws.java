package org.rankcoding.audio.augment;

/**
 * The random numbers a {@link WaveformAugmenter} draws for one clip, held apart from the computation so that the draws
 * of a batch's rows can be taken in order on one thread and the rows computed on several
 * ({@link WaveformAugmenter#draw}, {@link WaveformAugmenter#apply(float[], WaveformDraws)}). Mutable and reused from
 * clip to clip; the reverberation tail's buffer grows to the longest tail drawn. Not thread-safe.
 */
final class WaveformDraws {

    double speedFactor = 1;
    double pitchSemitones;
    int shift;
    boolean reverberate;
    double rt60;
    /** The reverberation tail's Gaussian values (as many as the drawn RT60's response needs, at the start). */
    double[] tail = new double[0];
    boolean limitBand;
    double bandwidthHz;
    boolean addNoise;
    int noiseRecording = -1;
    int noiseStart;
    double snrDb = Double.NaN;
    double gainDb;

    /** Forgets the last clip's draws: every step off. */
    void clear() {
        speedFactor = 1;
        pitchSemitones = 0;
        shift = 0;
        reverberate = false;
        rt60 = 0;
        limitBand = false;
        bandwidthHz = 0;
        addNoise = false;
        noiseRecording = -1;
        noiseStart = 0;
        snrDb = Double.NaN;
        gainDb = 0;
    }

    /** The tail buffer, grown to hold {@code n} values. */
    double[] tail(int n) {
        if (tail.length < n) {
            tail = new double[n];
        }
        return tail;
    }
}
