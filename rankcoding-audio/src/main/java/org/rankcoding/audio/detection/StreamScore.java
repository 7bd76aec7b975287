package org.rankcoding.audio.detection;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a keyword spotter did on one or more long recordings, by the rules of {@link DetectionScorer}: the keyword
 * labels, how many were detected, the false alarms (and what was being said at each, {@link FalseAlarms}), the hours of
 * audio, and the latency of every detection.
 *
 * <ul>
 *   <li><b>false rejection rate</b> = undetected keyword labels / keyword labels (NaN when there are none);</li>
 *   <li><b>detection rate</b> = 1 - false rejection rate;</li>
 *   <li><b>false alarms per hour</b> = false alarms / hours of audio (NaN for no audio);</li>
 *   <li><b>latency from onset</b> = event time - the word's first sample; <b>latency from the word's end</b> = event
 *       time - the word's end (negative: decided before the word ended); <b>decided before the word ends</b> = the
 *       fraction of detections whose event sample is at or before the word's end, i.e. no sample after the word was
 *       heard.</li>
 * </ul>
 * Scores of several recordings {@link #pool pool} by adding counts, hours and latencies.
 *
 * <p>Immutable.
 */
public final class StreamScore {

    private final int keywordLabels;
    private final FalseAlarms falseAlarms;
    private final double seconds;
    private final double[] onsetLatencies;
    private final double[] endLatencies;

    /**
     * @param keywordLabels  the number of keyword words spoken, {@code >= 0}
     * @param falseAlarms    the events that detected nothing, by what was being said
     * @param seconds        the audio's length in seconds, finite and {@code >= 0}
     * @param onsetLatencies per detection, event time - word onset, in seconds (copied)
     * @param endLatencies   per detection (index-aligned), event time - word end, in seconds (copied)
     * @throws IllegalArgumentException for negative counts, more detections than labels, latency arrays of different
     *                                  lengths or a bad length of audio
     */
    public StreamScore(int keywordLabels, FalseAlarms falseAlarms, double seconds, double[] onsetLatencies, double[] endLatencies) {
        Objects.requireNonNull(falseAlarms, "falseAlarms is null: give FalseAlarms.NONE for none");
        Objects.requireNonNull(onsetLatencies, "onsetLatencies is null");
        Objects.requireNonNull(endLatencies, "endLatencies is null");
        if (keywordLabels < 0) {
            throw new IllegalArgumentException("keywordLabels = " + keywordLabels + ", expected a count >= 0");
        }
        if (onsetLatencies.length != endLatencies.length || onsetLatencies.length > keywordLabels) {
            throw new IllegalArgumentException(onsetLatencies.length + " onset and " + endLatencies.length + " end latencies for "
                    + keywordLabels + " keyword labels; expected one of each per detection, at most one detection per label");
        }
        if (!(seconds >= 0 && seconds < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("seconds = " + seconds + ", expected a finite length of audio >= 0");
        }
        this.keywordLabels = keywordLabels;
        this.falseAlarms = falseAlarms;
        this.seconds = seconds;
        this.onsetLatencies = onsetLatencies.clone();
        this.endLatencies = endLatencies.clone();
    }

    /**
     * The scores of several recordings as one: counts, hours and latencies added up.
     *
     * @param scores the scores (possibly none: then nothing was spoken and no audio was heard)
     * @return the pooled score
     */
    public static StreamScore pool(List<StreamScore> scores) {
        Objects.requireNonNull(scores, "scores is null");
        int labels = 0;
        FalseAlarms alarms = FalseAlarms.NONE;
        double seconds = 0;
        int detections = 0;
        for (StreamScore s : scores) {
            labels += s.keywordLabels;
            alarms = alarms.plus(s.falseAlarms);
            seconds += s.seconds;
            detections += s.detections();
        }
        double[] onset = new double[detections];
        double[] end = new double[detections];
        int k = 0;
        for (StreamScore s : scores) {
            System.arraycopy(s.onsetLatencies, 0, onset, k, s.detections());
            System.arraycopy(s.endLatencies, 0, end, k, s.detections());
            k += s.detections();
        }
        return new StreamScore(labels, alarms, seconds, onset, end);
    }

    /** The number of keyword words spoken (labelled). */
    public int keywordLabels() {
        return keywordLabels;
    }

    /** The number of keyword labels detected. */
    public int detections() {
        return onsetLatencies.length;
    }

    /** The number of keyword labels not detected. */
    public int misses() {
        return keywordLabels - detections();
    }

    /** The number of events that detected nothing. */
    public int falseAlarms() {
        return falseAlarms.total();
    }

    /** The false alarms by what was being said when each happened. */
    public FalseAlarms falseAlarmCauses() {
        return falseAlarms;
    }

    /** The length of the audio in seconds. */
    public double seconds() {
        return seconds;
    }

    /** The length of the audio in hours. */
    public double hours() {
        return seconds / 3600.0;
    }

    /** Undetected keyword labels / keyword labels; NaN without keyword labels. */
    public double falseRejectionRate() {
        return keywordLabels == 0 ? Double.NaN : (double) misses() / keywordLabels;
    }

    /** Detected keyword labels / keyword labels; NaN without keyword labels. */
    public double detectionRate() {
        return keywordLabels == 0 ? Double.NaN : (double) detections() / keywordLabels;
    }

    /** False alarms / hours of audio; NaN for no audio. */
    public double falseAlarmsPerHour() {
        return seconds == 0 ? Double.NaN : falseAlarms.total() / hours();
    }

    /** Per detection, event time - word onset, in seconds (a copy). */
    public double[] onsetLatencies() {
        return onsetLatencies.clone();
    }

    /** Per detection, event time - word end, in seconds (a copy; negative when decided before the end). */
    public double[] endLatencies() {
        return endLatencies.clone();
    }

    /** Median and quartiles of the latency from word onset. */
    public LatencySummary onsetLatency() {
        return LatencySummary.of(onsetLatencies);
    }

    /** Median and quartiles of the latency from the word's end (negative: before it ended). */
    public LatencySummary endLatency() {
        return LatencySummary.of(endLatencies);
    }

    /** The fraction of detections decided at or before the word's end; NaN without detections. */
    public double fractionDecidedBeforeWordEnd() {
        if (endLatencies.length == 0) {
            return Double.NaN;
        }
        return Arrays.stream(endLatencies).filter(v -> v <= 0).count() / (double) endLatencies.length;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%d/%d keywords detected, %d false alarms in %.4f h", detections(), keywordLabels,
                falseAlarms.total(), hours());
    }
}
