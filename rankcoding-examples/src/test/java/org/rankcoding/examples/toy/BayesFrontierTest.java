package org.rankcoding.examples.toy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

class BayesFrontierTest {

    private static final BayesFrontier F = BayesFrontier.NOISE_VS_SIGNAL;

    @Test
    void knownPoints() {
        assertEquals(0.917, F.accuracyAt(10.5), 1e-12);
        assertEquals(0.948, F.accuracyAt(14.9), 1e-12);
        assertEquals(0.966, F.accuracyAt(22.5), 1e-12);
        assertEquals(0.969, F.accuracyAt(40), 1e-12);
    }

    @Test
    void interpolatesLinearlyBetweenPoints() {
        assertEquals((0.917 + 0.948) / 2, F.accuracyAt((10.5 + 14.9) / 2), 1e-12);
        assertEquals(0.948 + (0.966 - 0.948) * 0.25, F.accuracyAt(14.9 + (22.5 - 14.9) * 0.25), 1e-12);
        assertEquals(0.966 + (0.969 - 0.966) * 0.5, F.accuracyAt((22.5 + 40) / 2), 1e-12);
    }

    @Test
    void extrapolatesTheFirstSegmentBelowTheFirstPointAndClampsAfterTheLast() {
        double slope = (0.948 - 0.917) / (14.9 - 10.5);
        assertEquals(0.917 - 2.5 * slope, F.accuracyAt(8.0), 1e-12);
        assertEquals(0.917 - 9.5 * slope, F.accuracyAt(1.0), 1e-12);
        assertEquals(0.969, F.accuracyAt(41), 1e-12);
        BayesFrontier steep = new BayesFrontier(new double[] {10, 11}, new double[] {0.6, 0.9}, 0.5);
        assertEquals(0.5, steep.accuracyAt(0), 1e-12, "never below chance");
    }

    @Test
    void isMonotone() {
        double previous = 0;
        for (double s = 0; s <= 45; s += 0.25) {
            double a = F.accuracyAt(s);
            assertTrue(a >= previous, "frontier decreases at " + s);
            previous = a;
        }
    }

    @Test
    void rejectsBadInput() {
        assertIllegalArgument(() -> F.accuracyAt(-1), "step = -1.0", "expected");
        assertIllegalArgument(() -> F.accuracyAt(Double.NaN), "step = NaN", "expected");
        assertThrows(IllegalArgumentException.class, () -> new BayesFrontier(new double[] {1}, new double[] {0.9}, 0.5));
        assertIllegalArgument(() -> new BayesFrontier(new double[] {2, 1}, new double[] {0.8, 0.9}, 0.5), "steps[1] = 1.0", "expected");
        assertIllegalArgument(() -> new BayesFrontier(new double[] {1, 2}, new double[] {0.8, 1.1}, 0.5), "accuracies[1] = 1.1", "expected");
    }
}
