package org.rankcoding.infer;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.SpikeTimes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.rankcoding.rc.StepObserver;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingSessionTest {

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void sessionDecidesLikeTheBatchPass(HeadType headType) {
        int classes = headType == HeadType.BINARY_SIGMOID ? 2 : 4;
        SplittableRandom rng = new SplittableRandom(5);
        RankCodingNetwork net = RcTestSupport.network(3, 6, 2, headType, classes, 9, 1.5);
        SequenceBatch batch = RcTestSupport.batch(rng, 3, RcTestSupport.randomLengths(rng, 40, 15), classes, 1.0, 0.0);
        double theta = medianPeakConfidence(net, batch, classes);
        RowOutcomes pass = new InferencePass(net, Kernels.best()).runToEnd(batch, theta, StepObserver.NONE);
        RankCodingModel model = new RankCodingModel(net, theta);
        StreamingSession session = model.newSession();
        int spiked = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            session.reset();
            Decision first = null;
            for (int t = 0; t < batch.length(r); t++) {
                double[] x = new double[3];
                System.arraycopy(batch.inputArray(), batch.inputOffset(t, r), x, 0, 3);
                Decision d = session.feed(x);
                if (first == null && d != null) {
                    first = d;
                    assertEquals(t + 1, d.step(), "row " + r + ": the decision is reported at the step it happens");
                }
                if (first != null) {
                    assertSame(first, d, "later steps keep returning the first decision");
                }
            }
            assertEquals(pass.predictionAtLastStep(r), session.currentPrediction(), "row " + r + " at its last step");
            int spike = pass.firstSpike(r);
            if (spike == SpikeTimes.NO_SPIKE) {
                assertNull(first, "row " + r + " never spikes in the batch pass");
                Decision forced = session.finish();
                assertEquals(batch.length(r), forced.step());
                assertTrue(!forced.spiked());
                assertEquals(pass.predictionAtLastStep(r), forced.label());
            } else {
                spiked++;
                assertNotNull(first, "row " + r + " spikes at step " + spike + " in the batch pass");
                assertEquals(spike, first.step());
                assertTrue(first.spiked());
                assertEquals(pass.predictionAtSpike(r), first.label());
                assertTrue(first.nanosToDecision() >= 0);
            }
        }
        assertTrue(spiked > 0 && spiked < batch.batchSize(), "the case mixes spiking and silent rows: " + spiked);
    }

    /** The median over rows of the highest confidence each row reaches: about half the rows spike. */
    private static double medianPeakConfidence(RankCodingNetwork net, SequenceBatch batch, int classes) {
        StreamingSession probe = new RankCodingModel(net, 0.999999).newSession();
        double[] peaks = new double[batch.batchSize()];
        double[] p = new double[net.head().outputs()];
        for (int r = 0; r < batch.batchSize(); r++) {
            probe.reset();
            for (int t = 0; t < batch.length(r); t++) {
                double[] x = new double[batch.inputSize()];
                System.arraycopy(batch.inputArray(), batch.inputOffset(t, r), x, 0, x.length);
                probe.feed(x);
                probe.currentProbabilities(p);
                double conf = p.length == 1 ? Math.max(p[0], 1 - p[0]) : java.util.Arrays.stream(p).max().orElseThrow();
                peaks[r] = Math.max(peaks[r], conf);
            }
        }
        java.util.Arrays.sort(peaks);
        double median = (peaks[peaks.length / 2 - 1] + peaks[peaks.length / 2]) / 2;
        assertTrue(median > 0.5 && median < 1, "median peak confidence " + median);
        return median;
    }

    @Test
    void modelIsACopyAndBadInputIsRejected() {
        RankCodingNetwork net = RcTestSupport.network(2, 4, 1, HeadType.BINARY_SIGMOID, 2, 3, 0.5);
        RankCodingModel model = new RankCodingModel(net, 0.9);
        StreamingSession a = model.newSession();
        a.feed(new double[]{0.3, -0.2});
        double[] before = new double[1];
        a.currentProbabilities(before);
        net.parameters().get("readout.bias").data[0] += 5; // training the network further must not change the model
        StreamingSession b = model.newSession();
        b.feed(new double[]{0.3, -0.2});
        double[] after = new double[1];
        b.currentProbabilities(after);
        assertArrayEquals(before, after);
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> b.feed(new double[3]));
        assertTrue(wrong.getMessage().contains("3"), wrong.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> b.feed(new double[]{Double.NaN, 0}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        assertThrows(IllegalStateException.class, () -> model.newSession().finish());
        assertThrows(IllegalArgumentException.class, () -> new RankCodingModel(net, 1.0));
    }
}
