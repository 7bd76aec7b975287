package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.BinarySigmoidHead;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.PerClassSigmoidHead;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.nn.SoftmaxHead;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Edge cases of the spike rule and of the first-spike / decision-step conventions. */
class FirstSpikeDetectorTest {

    private static final OutputHead BINARY = BinarySigmoidHead.INSTANCE;

    private static double[][] binary(double... p) {
        double[][] out = new double[p.length][];
        for (int t = 0; t < p.length; t++) {
            out[t] = new double[]{p[t]};
        }
        return out;
    }

    @Test
    void aSpikeAtStepOneIsReportedAsOneAndIsNotNoSpike() {
        FirstSpikeDetector d = new FirstSpikeDetector(BINARY, 0.9);
        assertEquals(1, d.firstSpike(binary(0.95, 0.2, 0.97)));
        assertNotEquals(SpikeTimes.NO_SPIKE, d.firstSpike(binary(0.95)));
        assertEquals(1, SpikeTimes.decisionStep(1, 10), "a spike at step 1 decides at step 1, not at the end");
        // the multi-class heads too
        assertEquals(1, new FirstSpikeDetector(new SoftmaxHead(3), 0.8).firstSpike(new double[][]{{0.9, 0.05, 0.05}, {0.3, 0.3, 0.4}}));
        assertEquals(1, new FirstSpikeDetector(new PerClassSigmoidHead(2), 0.8).firstSpike(new double[][]{{0.1, 0.85}, {0.5, 0.5}}));
    }

    @Test
    void laterSpikesAreOneBased() {
        FirstSpikeDetector d = new FirstSpikeDetector(BINARY, 0.9);
        assertEquals(3, d.firstSpike(binary(0.5, 0.6, 0.91, 0.99)));
        assertEquals(4, d.firstSpike(binary(0.5, 0.6, 0.2, 0.01)));
    }

    @Test
    void noSpikeIsTheDocumentedConstantAndTheDecisionFallsBackToTheLength() {
        FirstSpikeDetector d = new FirstSpikeDetector(BINARY, 0.9);
        int spike = d.firstSpike(binary(0.5, 0.6, 0.4, 0.89, 0.11));
        assertEquals(SpikeTimes.NO_SPIKE, spike);
        assertEquals(5, SpikeTimes.decisionStep(spike, 5));
        assertEquals(17, SpikeTimes.decisionStep(SpikeTimes.NO_SPIKE, 17));
        assertEquals(3, SpikeTimes.decisionStep(3, 17));
        assertEquals(SpikeTimes.NO_SPIKE, d.firstSpike(new double[0][]), "an empty sequence has no spike");
    }

    @Test
    void theBinaryRuleIsTwoSided() {
        FirstSpikeDetector d = new FirstSpikeDetector(BINARY, 0.75);
        assertTrue(d.spikes(new double[]{0.8}, 0), "p > theta");
        assertTrue(d.spikes(new double[]{0.2}, 0), "p < 1 - theta is confident for class 0");
        assertFalse(d.spikes(new double[]{0.3}, 0));
        assertFalse(d.spikes(new double[]{0.7}, 0));
        assertEquals(2, d.firstSpike(binary(0.5, 0.1, 0.9)));
        // with an offset
        assertTrue(d.spikes(new double[]{0.5, 0.5, 0.1}, 2));
        assertFalse(d.spikes(new double[]{0.1, 0.1, 0.5}, 2));
    }

    @Test
    void exactlyAtTheThresholdIsNotASpike() {
        // 0.75 and 0.25 are exact in binary floating point
        FirstSpikeDetector d = new FirstSpikeDetector(BINARY, 0.75);
        assertFalse(d.spikes(new double[]{0.75}, 0), "p == theta");
        assertFalse(d.spikes(new double[]{0.25}, 0), "p == 1 - theta");
        assertTrue(d.spikes(new double[]{Math.nextUp(0.75)}, 0));
        assertTrue(d.spikes(new double[]{Math.nextDown(0.25)}, 0));
        assertFalse(new FirstSpikeDetector(new SoftmaxHead(3), 0.75).spikes(new double[]{0.75, 0.125, 0.125}, 0));
        assertFalse(new FirstSpikeDetector(new PerClassSigmoidHead(3), 0.75).spikes(new double[]{0.75, 0.5, 0.75}, 0));
        assertEquals(SpikeTimes.NO_SPIKE, d.firstSpike(binary(0.75, 0.25, 0.75)));
    }

    @Test
    void theMultiClassRuleUsesTheLargestProbability() {
        FirstSpikeDetector soft = new FirstSpikeDetector(new SoftmaxHead(3), 0.8);
        assertTrue(soft.spikes(new double[]{0.1, 0.85, 0.05}, 0));
        assertFalse(soft.spikes(new double[]{0.4, 0.4, 0.2}, 0));
        assertFalse(soft.spikes(new double[]{0.05, 0.15, 0.8}, 0), "max == theta");
        // a low probability is not a spike for the multi-class heads (only the binary rule is two-sided)
        FirstSpikeDetector sig = new FirstSpikeDetector(new PerClassSigmoidHead(3), 0.9);
        assertFalse(sig.spikes(new double[]{0.01, 0.02, 0.03}, 0));
        assertTrue(sig.spikes(new double[]{0.3, 0.2, 0.95}, 0), "any class above theta");
        assertTrue(sig.spikes(new double[]{0.92, 0.97, 0.1}, 0));
        assertEquals(3, sig.firstSpike(new double[][]{{0.5, 0.5, 0.5}, {0.01, 0.02, 0.03}, {0.1, 0.91, 0.2}}));
    }

    @Test
    void invalidThresholdsAreRejectedWithTheValueInTheMessage() {
        for (double theta : new double[]{0.5, 1.0, 0.3, 1.5, -0.7, 0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FirstSpikeDetector(BINARY, theta),
                    "theta " + theta);
            assertTrue(e.getMessage().contains(String.valueOf(theta)), "message names " + theta + ": " + e.getMessage());
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> FirstSpikeDetector.requireThreshold(theta));
            assertTrue(e2.getMessage().contains(String.valueOf(theta)), e2.getMessage());
        }
        assertEquals(0.5000001, FirstSpikeDetector.requireThreshold(0.5000001));
        assertEquals(0.9999999, FirstSpikeDetector.requireThreshold(0.9999999));
    }

    @Test
    void thePassReportsASpikeAtStepOneAndStopsThere() {
        RankCodingNetwork net = RcTestSupport.network(2, 3, 1, HeadType.BINARY_SIGMOID, 2, 3, 0.5);
        net.parameters().get("readout.bias").data[0] = -30; // p ~ 0: a class-0 spike at once (two-sided rule)
        SequenceBatch batch = RcTestSupport.batch(new SplittableRandom(3), 2, new int[]{5, 8, 1}, 2, 1.0, 0.0);
        RowOutcomes pass = new InferencePass(net, ReferenceKernels.INSTANCE).earlyExit(batch, 0.95);
        for (int r = 0; r < 3; r++) {
            assertEquals(1, pass.firstSpike(r), "row " + r);
            assertEquals(1, pass.decisionStep(r), "row " + r);
            assertEquals(0, pass.predictionAtSpike(r), "row " + r);
        }
        assertEquals(1, pass.forwardSteps());
        assertEquals(3, pass.forwardExampleSteps());
    }

    @Test
    void thePassReportsNoSpikeAndDecidesAtTheEnd() {
        RankCodingNetwork net = RcTestSupport.network(2, 3, 1, HeadType.SOFTMAX, 3, 4, 0.5);
        SequenceBatch batch = RcTestSupport.batch(new SplittableRandom(4), 2, new int[]{5, 8, 1}, 3, 1.0, 0.0);
        RowOutcomes pass = new InferencePass(net, ReferenceKernels.INSTANCE).earlyExit(batch, 0.999999);
        for (int r = 0; r < 3; r++) {
            assertEquals(SpikeTimes.NO_SPIKE, pass.firstSpike(r), "row " + r);
            assertEquals(batch.length(r), pass.decisionStep(r), "row " + r);
            assertEquals(-1, pass.predictionAtSpike(r), "row " + r);
        }
        assertEquals(14, pass.forwardExampleSteps());
    }
}
