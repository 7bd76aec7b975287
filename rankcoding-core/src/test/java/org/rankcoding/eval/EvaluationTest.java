package org.rankcoding.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-decision-step statistics of {@link Evaluation}, on hand-made histograms. */
class EvaluationTest {

    /** 10 examples: 4 decided at step 1 (3 right), none at step 2, 6 at step 3 (3 right). */
    private static Evaluation sample() {
        return new Evaluation(10, 0.95, 0.6, 0.7, 2.2, 3.0, new long[] {0, 4, 0, 6}, new long[] {0, 3, 0, 3},
                new double[] {2.0, 2.4}, 0.1, 0.7, 0.4, 22, 30, null);
    }

    @Test
    void accuracyAndFractionByDecisionStep() {
        Evaluation e = sample();
        double[] acc = e.accuracyByDecisionStep();
        assertEquals(4, acc.length);
        assertTrue(Double.isNaN(acc[0]), "index 0 is unused");
        assertEquals(0.75, acc[1]);
        assertTrue(Double.isNaN(acc[2]), "no decisions at step 2");
        assertEquals(0.5, acc[3]);
        assertEquals(0.4, e.fractionDecidedAtFirstStep());
        assertEquals(0.4, e.fractionDecidedAt(1));
        assertEquals(0.0, e.fractionDecidedAt(2));
        assertEquals(0.6, e.fractionDecidedAt(3));
        assertEquals(0.0, e.fractionDecidedAt(40), "beyond the histogram nobody decided");
        assertThrows(IllegalArgumentException.class, () -> e.fractionDecidedAt(0));
        assertTrue(e.toString().contains("step1=0.4000"), e.toString());
    }

    @Test
    void arraysAreCopies() {
        long[] correct = {0, 3, 0, 3};
        Evaluation e = new Evaluation(10, 0.95, 0.6, 0.7, 2.2, 3.0, new long[] {0, 4, 0, 6}, correct,
                new double[] {2.0, 2.4}, 0.1, 0.7, 0.4, 22, 30, null);
        correct[1] = 4;
        assertArrayEquals(new long[] {0, 3, 0, 3}, e.correctHistogram());
        e.correctHistogram()[1] = 4;
        assertEquals(3, e.correctHistogram()[1]);
    }

    @Test
    void rejectsInconsistentHistograms() {
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> new Evaluation(10, 0.95, 0.6, 0.7,
                2.2, 3.0, new long[] {0, 4, 0, 6}, new long[] {0, 3}, new double[] {2.0, 2.4}, 0.1, 0.7, 0.4, 22, 30, null));
        assertTrue(length.getMessage().contains("correctHistogram has 2 entries"), length.getMessage());
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> new Evaluation(10, 0.95, 0.6, 0.7,
                2.2, 3.0, new long[] {0, 4, 0, 6}, new long[] {0, 5, 0, 1}, new double[] {2.0, 2.4}, 0.1, 0.7, 0.4, 22, 30, null));
        assertTrue(count.getMessage().contains("step 1: 5 correct decisions of 4"), count.getMessage());
    }
}
