package org.rankcoding.audio.detection;

import org.junit.jupiter.api.Test;
import org.rankcoding.audio.spotter.KeywordEvent;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * {@link DetectionScorer} and {@link StreamScore} on hand-made events and labels, one rule at a time: the span
 * {@code [start, end + tolerance)} and its boundaries, wrong words, double events, events where no keyword was said,
 * non-keyword words, an empty recording, latencies and pooling.
 */
class DetectionScorerTest {

    private static final int RATE = 16_000;
    /** 0.5 s. */
    private static final int TOL = 8_000;
    private static final DetectionScorer SCORER = new DetectionScorer(Set.of("yes", "no"));

    private static KeywordEvent at(String word, long sample) {
        return new KeywordEvent(word, 0, sample, RATE, 0.9);
    }

    /** One minute: "yes" at [16000, 24000), "seven" (not a keyword) at [40000, 48000), "no" at [64000, 72000). */
    private static final StreamLabels MINUTE = StreamLabels.of(List.of(new LabeledWord("yes", 16_000, 24_000),
            new LabeledWord("seven", 40_000, 48_000), new LabeledWord("no", 64_000, 72_000)), 60L * RATE, RATE);

    private static StreamScore score(KeywordEvent... events) {
        return SCORER.score(List.of(events), MINUTE);
    }

    @Test
    void anEventDetectsItsWordFromOnsetToToleranceAfterTheEnd() {
        // exactly at onset, inside, at the end, at the last sample of the tolerance: detections
        for (long s : new long[] {16_000, 20_000, 24_000, 24_000 + TOL - 1}) {
            StreamScore sc = score(at("yes", s));
            assertEquals(1, sc.detections(), "at " + s);
            assertEquals(0, sc.falseAlarms(), "at " + s);
            assertEquals(2, sc.keywordLabels());
            assertEquals(0.5, sc.falseRejectionRate());
        }
        // one sample before onset, or at end + tolerance: false alarms, the word missed
        for (long s : new long[] {15_999, 24_000 + TOL}) {
            StreamScore sc = score(at("yes", s));
            assertEquals(0, sc.detections(), "at " + s);
            assertEquals(1, sc.falseAlarms(), "at " + s);
            assertEquals(1.0, sc.falseRejectionRate());
            assertEquals(60.0, sc.falseAlarmsPerHour(), 1e-9, "one false alarm in one minute");
        }
    }

    @Test
    void theToleranceIsAParameter() {
        DetectionScorer strict = new DetectionScorer(Set.of("yes", "no"), 0);
        assertEquals(0, strict.score(List.of(at("yes", 24_000)), MINUTE).detections(), "no tolerance: the end is exclusive");
        assertEquals(1, strict.score(List.of(at("yes", 23_999)), MINUTE).detections());
        DetectionScorer loose = new DetectionScorer(Set.of("yes", "no"), 1.0);
        assertEquals(1, loose.score(List.of(at("yes", 24_000 + 2 * TOL - 1)), MINUTE).detections());
        assertEquals(0.5, SCORER.toleranceSeconds());
        assertEquals(DetectionScorer.DEFAULT_TOLERANCE_SECONDS, SCORER.toleranceSeconds());
    }

    @Test
    void aWrongWordIsAFalseAlarmAndDetectsNothing() {
        StreamScore sc = score(at("no", 20_000));
        assertEquals(0, sc.detections());
        assertEquals(1, sc.falseAlarms());
        assertEquals(new FalseAlarms(0, 1, 0, 0), sc.falseAlarmCauses(), "another keyword was said");
        // a keyword event on a spoken non-keyword ("seven"), and in silence
        StreamScore sc2 = score(at("yes", 44_000), at("no", 100_000));
        assertEquals(0, sc2.detections());
        assertEquals(2, sc2.falseAlarms());
        assertEquals(new FalseAlarms(0, 0, 1, 1), sc2.falseAlarmCauses());
        // an event of a word that is not a keyword at all counts as a false alarm too
        assertEquals(1, score(at("seven", 44_000)).falseAlarms());
        // the spans of the causes: "seven" until 0.5 s after its end, then nothing; a wrong keyword in "yes"'s tolerance
        assertEquals(new FalseAlarms(0, 0, 1, 2), score(at("yes", 40_000), at("yes", 39_999), at("yes", 48_000 + TOL))
                .falseAlarmCauses());
        assertEquals(new FalseAlarms(0, 1, 0, 0), score(at("no", 24_000 + TOL - 1)).falseAlarmCauses());
        assertEquals(new FalseAlarms(0, 0, 1, 0), score(at("yes", 48_000 + TOL - 1)).falseAlarmCauses());
    }

    @Test
    void aSecondEventOnADetectedWordIsAFalseAlarmAndTheFirstGivesTheLatency() {
        StreamScore sc = score(at("yes", 27_000), at("yes", 19_000), at("no", 70_000), at("no", 71_000));   // any order
        assertEquals(2, sc.detections());
        assertEquals(2, sc.falseAlarms());
        assertEquals(new FalseAlarms(2, 0, 0, 0), sc.falseAlarmCauses(), "both are repeats");
        assertEquals(0.0, sc.falseRejectionRate());
        assertEquals(1.0, sc.detectionRate());
        assertArrayEquals(new double[] {3_000.0 / RATE, 6_000.0 / RATE}, sc.onsetLatencies(), 1e-12, "from the first event of each");
        assertArrayEquals(new double[] {-5_000.0 / RATE, -2_000.0 / RATE}, sc.endLatencies(), 1e-12);
        assertEquals(1.0, sc.fractionDecidedBeforeWordEnd());
    }

    @Test
    void repeatedKeywordsAreMatchedInOrderEvenWithinTheTolerance() {
        // "yes yes": the second word starts 0.1 s after the first ends, inside the first one's tolerance
        StreamLabels twice = StreamLabels.of(List.of(new LabeledWord("yes", 1_000, 5_000), new LabeledWord("yes", 6_600, 10_000)),
                RATE, RATE);
        StreamScore both = SCORER.score(List.of(at("yes", 5_500), at("yes", 9_000)), twice);
        assertEquals(2, both.detections());
        assertEquals(0, both.falseAlarms());
        assertArrayEquals(new double[] {4_500.0 / RATE, 2_400.0 / RATE}, both.onsetLatencies(), 1e-12);
        // one event where both spans overlap detects the earlier word only; the later one is missed
        StreamScore one = SCORER.score(List.of(at("yes", 7_000)), twice);
        assertEquals(1, one.detections());
        assertEquals(1, one.misses());
        assertArrayEquals(new double[] {6_000.0 / RATE}, one.onsetLatencies(), 1e-12);
        // two events there: the second goes to the later word
        assertEquals(2, SCORER.score(List.of(at("yes", 7_000), at("yes", 7_100)), twice).detections());
    }

    @Test
    void anEmptyRecordingAndOneWithoutKeywordsHaveUndefinedRatesNotZeros() {
        StreamLabels empty = StreamLabels.of(List.of(), 0, RATE);
        StreamScore sc = SCORER.score(List.of(), empty);
        assertEquals(0, sc.keywordLabels());
        assertTrue(Double.isNaN(sc.falseRejectionRate()));
        assertTrue(Double.isNaN(sc.falseAlarmsPerHour()));
        assertTrue(Double.isNaN(sc.fractionDecidedBeforeWordEnd()));
        assertEquals(0, sc.onsetLatency().count());
        assertTrue(Double.isNaN(sc.onsetLatency().median()));

        StreamLabels noise = StreamLabels.of(List.of(new LabeledWord("seven", 100, 900)), 3_600L * RATE, RATE);
        StreamScore quiet = SCORER.score(List.of(), noise);
        assertEquals(0.0, quiet.falseAlarmsPerHour());
        assertTrue(Double.isNaN(quiet.falseRejectionRate()));
        StreamScore loud = SCORER.score(List.of(at("yes", 500), at("no", 1_000_000), at("no", 3_600L * RATE)), noise);
        assertEquals(3.0, loud.falseAlarmsPerHour(), 1e-12);
        assertEquals(1.0, loud.hours());
    }

    @Test
    void scoresPoolOverRecordings() {
        StreamScore a = score(at("yes", 20_000), at("no", 100_000));                   // 1 of 2, 1 false alarm, 1 min
        StreamLabels noise = StreamLabels.of(List.of(), 59L * 60 * RATE, RATE);         // 59 min of noise
        StreamScore b = SCORER.score(List.of(at("no", 5), at("yes", 10)), noise);
        StreamScore pooled = StreamScore.pool(List.of(a, b));
        assertEquals(2, pooled.keywordLabels());
        assertEquals(1, pooled.detections());
        assertEquals(3, pooled.falseAlarms());
        assertEquals(new FalseAlarms(0, 0, 0, 3), pooled.falseAlarmCauses(), "causes add up");
        assertEquals(1.0, pooled.hours(), 1e-12);
        assertEquals(3.0, pooled.falseAlarmsPerHour(), 1e-9);
        assertEquals(0.5, pooled.falseRejectionRate());
        assertEquals(0, StreamScore.pool(List.of()).keywordLabels());
    }

    @Test
    void latencyQuartilesInterpolateBetweenOrderStatistics() {
        LatencySummary s = LatencySummary.of(new double[] {0.4, 0.1, 0.3, 0.2});
        assertEquals(4, s.count());
        assertEquals(0.175, s.lowerQuartile(), 1e-12);
        assertEquals(0.25, s.median(), 1e-12);
        assertEquals(0.325, s.upperQuartile(), 1e-12);
        LatencySummary one = LatencySummary.of(new double[] {-0.2});
        assertEquals(-0.2, one.median());
        assertEquals(-0.2, one.lowerQuartile());
        assertIllegalArgument(() -> LatencySummary.of(new double[] {Double.NaN}), "latency NaN s");

        StreamScore sc = score(at("yes", 22_000), at("no", 75_000));
        assertEquals(0.5, sc.fractionDecidedBeforeWordEnd());
        assertEquals((6_000 + 11_000) / 2.0 / RATE, sc.onsetLatency().median(), 1e-12);
        assertEquals((-2_000 + 3_000) / 2.0 / RATE, sc.endLatency().median(), 1e-12);
    }

    @Test
    void eventsOfAnotherRecordingAndBadRulesAreRefused() {
        assertIllegalArgument(() -> score(new KeywordEvent("yes", 0, 20_000, 8_000, 0.9)), "events[0]", "is at 8000 Hz, but the recording is at 16000 Hz");
        assertIllegalArgument(() -> score(at("yes", 60L * RATE + 1)), "after the recording's end at sample 960000");
        assertEquals(1, score(at("no", 60L * RATE)).falseAlarms(), "the last position of the stream is allowed");
        assertIllegalArgument(() -> new DetectionScorer(Set.of()), "expected at least one non-empty word");
        assertIllegalArgument(() -> new DetectionScorer(Set.of("yes"), -0.1), "toleranceSeconds = -0.1, expected in [0, 60.0]");
        assertIllegalArgument(() -> new DetectionScorer(Set.of("yes"), Double.NaN), "toleranceSeconds = NaN");
        assertIllegalArgument(() -> new StreamScore(1, FalseAlarms.NONE, 1, new double[2], new double[2]), "at most one detection per label");
        assertIllegalArgument(() -> new StreamScore(1, FalseAlarms.NONE, -1, new double[0], new double[0]), "seconds = -1.0");
        assertIllegalArgument(() -> new StreamScore(-1, FalseAlarms.NONE, 1, new double[0], new double[0]), "keywordLabels = -1");
        assertIllegalArgument(() -> new FalseAlarms(0, 0, -1, 0), "otherWords = -1", "expected counts >= 0");
    }
}
