package org.rankcoding.audio.detection;

import org.rankcoding.audio.spotter.KeywordEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The trade-off of a keyword spotter between missed keywords and false alarms over its decision threshold: for every
 * threshold, the {@link StreamScore} pooled over several long recordings (the spotter run once per threshold on each),
 * and the operating points users of keyword spotters compare:
 * <ul>
 *   <li>{@link #atFalseAlarmRate(double)}: the false rejection rate at a given false-alarm rate per hour: among the
 *       thresholds with false alarms per hour {@code <=} the target, the one with the lowest false rejection rate;</li>
 *   <li>{@link #atDetectionRate(double)}: the false alarms per hour at a given detection rate (e.g. 90 %): among the
 *       thresholds detecting at least that fraction of the keywords, the one with the fewest false alarms per hour.</li>
 * </ul>
 * Ties go to the other measure (lower false alarms per hour, resp. lower false rejection rate), then to the lower
 * threshold. Points whose measures are undefined (no keyword spoken, no audio) are never chosen. The points are
 * measured, not interpolated.
 *
 * <p>Immutable.
 */
public final class OperatingCurve {

    /**
     * One threshold and the spotter's pooled score there.
     *
     * @param threshold the decision threshold
     * @param score     the score pooled over every recording
     */
    public record Point(double threshold, StreamScore score) {

        /** Validates the point. */
        public Point {
            Objects.requireNonNull(score, "score is null");
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("threshold = " + threshold + ", expected a finite number");
            }
        }

        /** The pooled false rejection rate. */
        public double falseRejectionRate() {
            return score.falseRejectionRate();
        }

        /** The pooled false alarms per hour. */
        public double falseAlarmsPerHour() {
            return score.falseAlarmsPerHour();
        }
    }

    private final List<Point> points;

    private OperatingCurve(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /**
     * Scores a threshold sweep.
     *
     * @param scorer     the rules (keywords, tolerance)
     * @param recordings the labels of every recording, at least one
     * @param events     per threshold, the events emitted on each recording, index-aligned with {@code recordings}
     * @return the curve, by increasing threshold
     * @throws IllegalArgumentException for no recordings or thresholds, a threshold that is not finite, a threshold
     *                                  whose list has another size than {@code recordings}, or an event the scorer refuses
     */
    public static OperatingCurve sweep(DetectionScorer scorer, List<StreamLabels> recordings,
                                       Map<Double, List<List<KeywordEvent>>> events) {
        Objects.requireNonNull(scorer, "scorer is null");
        Objects.requireNonNull(recordings, "recordings is null");
        Objects.requireNonNull(events, "events is null: give the events per threshold");
        if (recordings.isEmpty() || events.isEmpty()) {
            throw new IllegalArgumentException(recordings.size() + " recordings and " + events.size()
                    + " thresholds, expected at least one of each");
        }
        List<Point> points = new ArrayList<>();
        for (Map.Entry<Double, List<List<KeywordEvent>>> e : new TreeMap<>(events).entrySet()) {
            double threshold = Objects.requireNonNull(e.getKey(), "a threshold is null");
            List<List<KeywordEvent>> perRecording = Objects.requireNonNull(e.getValue(), "the events at threshold " + threshold + " are null");
            if (perRecording.size() != recordings.size()) {
                throw new IllegalArgumentException("threshold " + threshold + ": events of " + perRecording.size() + " recordings, expected "
                        + recordings.size() + " (one list per recording, in the order of the labels)");
            }
            List<StreamScore> scores = new ArrayList<>(recordings.size());
            for (int r = 0; r < recordings.size(); r++) {
                try {
                    scores.add(scorer.score(perRecording.get(r), recordings.get(r)));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("threshold " + threshold + ", recording " + r + ": " + ex.getMessage(), ex);
                }
            }
            points.add(new Point(threshold, StreamScore.pool(scores)));
        }
        return new OperatingCurve(points);
    }

    /** Every point, by increasing threshold (unmodifiable). */
    public List<Point> points() {
        return points;
    }

    /**
     * The lowest false rejection rate with at most {@code maxPerHour} false alarms per hour.
     *
     * @param maxPerHour the false-alarm budget per hour, {@code >= 0}
     * @return that point, or empty when no threshold stays within the budget
     * @throws IllegalArgumentException for a negative or NaN budget
     */
    public Optional<Point> atFalseAlarmRate(double maxPerHour) {
        if (!(maxPerHour >= 0)) {
            throw new IllegalArgumentException("maxPerHour = " + maxPerHour + ", expected a false-alarm rate per hour >= 0");
        }
        Point best = null;
        for (Point p : points) {
            double fa = p.falseAlarmsPerHour();
            double frr = p.falseRejectionRate();
            if (!(fa <= maxPerHour) || Double.isNaN(frr)) {
                continue;
            }
            if (best == null || frr < best.falseRejectionRate() || frr == best.falseRejectionRate() && fa < best.falseAlarmsPerHour()) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The fewest false alarms per hour while detecting at least {@code minDetectionRate} of the keywords.
     *
     * @param minDetectionRate the fraction of keyword labels to detect, in [0, 1] (e.g. 0.9)
     * @return that point, or empty when no threshold detects that many
     * @throws IllegalArgumentException for a rate outside [0, 1]
     */
    public Optional<Point> atDetectionRate(double minDetectionRate) {
        if (!(minDetectionRate >= 0 && minDetectionRate <= 1)) {
            throw new IllegalArgumentException("minDetectionRate = " + minDetectionRate + ", expected a fraction in [0, 1]");
        }
        Point best = null;
        for (Point p : points) {
            double fa = p.falseAlarmsPerHour();
            double rate = p.score().detectionRate();
            if (!(rate >= minDetectionRate) || Double.isNaN(fa)) {
                continue;
            }
            if (best == null || fa < best.falseAlarmsPerHour() || fa == best.falseAlarmsPerHour() && p.falseRejectionRate() < best.falseRejectionRate()) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }
}
