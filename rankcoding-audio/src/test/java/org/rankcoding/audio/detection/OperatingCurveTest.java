package org.rankcoding.audio.detection;

import org.junit.jupiter.api.Test;
import org.rankcoding.audio.spotter.KeywordEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * {@link OperatingCurve}: a hand-made threshold sweep over two recordings (10 keywords in 30 minutes of speech, 30 minutes
 * of noise); the lower the threshold, the more keywords detected and the more false alarms.
 */
class OperatingCurveTest {

    private static final int RATE = 16_000;
    private static final long HALF_HOUR = 1_800L * RATE;

    private static final StreamLabels SPEECH;
    private static final StreamLabels NOISE = StreamLabels.of(List.of(), HALF_HOUR, RATE);

    static {
        List<LabeledWord> words = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            words.add(new LabeledWord("go", 160_000L * i + 1_000, 160_000L * i + 9_000));
        }
        SPEECH = StreamLabels.of(words, HALF_HOUR, RATE);
    }

    /** {@code hits} of the ten keywords detected, and {@code alarms} false alarms in the noise. */
    private static List<List<KeywordEvent>> run(int hits, int alarms) {
        List<KeywordEvent> speech = new ArrayList<>();
        for (int i = 0; i < hits; i++) {
            speech.add(new KeywordEvent("go", 0, 160_000L * i + 5_000, RATE, 0.9));
        }
        List<KeywordEvent> noise = new ArrayList<>();
        for (int i = 0; i < alarms; i++) {
            noise.add(new KeywordEvent("go", 0, 1_000L * i, RATE, 0.6));
        }
        return List.of(speech, noise);
    }

    private static final DetectionScorer SCORER = new DetectionScorer(Set.of("go"));

    private static OperatingCurve curve() {
        Map<Double, List<List<KeywordEvent>>> sweep = new TreeMap<>();
        sweep.put(0.99, run(5, 0));     // FRR 0.5,  0 FA/h
        sweep.put(0.9, run(8, 1));      // FRR 0.2,  1 FA/h
        sweep.put(0.95, run(8, 1));     // a tie with 0.9
        sweep.put(0.8, run(9, 3));      // FRR 0.1,  3 FA/h
        sweep.put(0.6, run(10, 10));    // FRR 0,   10 FA/h
        return OperatingCurve.sweep(SCORER, List.of(SPEECH, NOISE), sweep);
    }

    @Test
    void theCurveHasOnePooledPointPerThreshold() {
        OperatingCurve c = curve();
        assertEquals(List.of(0.6, 0.8, 0.9, 0.95, 0.99), c.points().stream().map(OperatingCurve.Point::threshold).toList());
        OperatingCurve.Point p = c.points().get(1);
        assertEquals(10, p.score().keywordLabels());
        assertEquals(0.1, p.falseRejectionRate(), 1e-12);
        assertEquals(3.0, p.falseAlarmsPerHour(), 1e-9);
        assertEquals(1.0, p.score().hours(), 1e-12);
    }

    @Test
    void theFalseRejectionRateAtAFalseAlarmBudget() {
        OperatingCurve c = curve();
        assertEquals(0.8, c.atFalseAlarmRate(3).orElseThrow().threshold());
        assertEquals(0.9, c.atFalseAlarmRate(2).orElseThrow().threshold(), "a tie in FRR and FA/h goes to the lower threshold");
        assertEquals(0.2, c.atFalseAlarmRate(1).orElseThrow().falseRejectionRate(), 1e-12, "the budget is inclusive");
        assertEquals(0.99, c.atFalseAlarmRate(0.5).orElseThrow().threshold());
        assertEquals(0.6, c.atFalseAlarmRate(100).orElseThrow().threshold());
        OperatingCurve noisy = OperatingCurve.sweep(SCORER, List.of(SPEECH, NOISE), Map.of(0.9, run(10, 4)));
        assertTrue(noisy.atFalseAlarmRate(2).isEmpty(), "no threshold within the budget");
    }

    @Test
    void theFalseAlarmRateAtADetectionRate() {
        OperatingCurve c = curve();
        assertEquals(3.0, c.atDetectionRate(0.9).orElseThrow().falseAlarmsPerHour(), 1e-9, "90 % detected at 0.8");
        assertEquals(0.8, c.atDetectionRate(0.85).orElseThrow().threshold());
        assertEquals(0.99, c.atDetectionRate(0.5).orElseThrow().threshold());
        assertEquals(0.6, c.atDetectionRate(1).orElseThrow().threshold());
        OperatingCurve deaf = OperatingCurve.sweep(SCORER, List.of(SPEECH, NOISE), Map.of(0.9, run(3, 0)));
        assertTrue(deaf.atDetectionRate(0.9).isEmpty());
    }

    @Test
    void undefinedPointsAreNeverChosen() {
        OperatingCurve onlyNoise = OperatingCurve.sweep(SCORER, List.of(NOISE), Map.of(0.9, List.of(List.of())));
        assertTrue(Double.isNaN(onlyNoise.points().get(0).falseRejectionRate()));
        assertTrue(onlyNoise.atFalseAlarmRate(2).isEmpty());
        assertTrue(onlyNoise.atDetectionRate(0).isEmpty());
    }

    @Test
    void malformedSweepsAreRefused() {
        assertIllegalArgument(() -> OperatingCurve.sweep(SCORER, List.of(SPEECH, NOISE), Map.of(0.9, List.of(List.of()))),
                "threshold 0.9: events of 1 recordings, expected 2");
        assertIllegalArgument(() -> OperatingCurve.sweep(SCORER, List.of(), Map.of(0.9, List.of())), "expected at least one of each");
        assertIllegalArgument(() -> OperatingCurve.sweep(SCORER, List.of(NOISE), Map.of(Double.NaN, List.of(List.of()))), "threshold = NaN");
        assertIllegalArgument(() -> OperatingCurve.sweep(SCORER, List.of(NOISE),
                Map.of(0.9, List.of(List.of(new KeywordEvent("go", 0, HALF_HOUR + 1, RATE, 0.9))))), "threshold 0.9, recording 0", "after the recording's end");
        assertIllegalArgument(() -> curve().atFalseAlarmRate(-1), "maxPerHour = -1.0");
        assertIllegalArgument(() -> curve().atDetectionRate(1.5), "minDetectionRate = 1.5");
    }
}
