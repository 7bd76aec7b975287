package org.rankcoding.eval;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.ReferenceRankCoding;
import org.rankcoding.rc.SpikeTimes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluator's statistics recomputed from the reference's per-row first spikes and predictions. */
class EvaluatorTest {

    @Test
    void statisticsMatchTheReference() {
        for (HeadType head : HeadType.values()) {
            SplittableRandom rng = new SplittableRandom(head.ordinal() + 1);
            int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
            RankCodingNetwork net = RcTestSupport.network(2, 3, 1, head, classes, 70 + head.ordinal(), 0.8);
            List<SequenceBatch> batches = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batches.add(RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 1 + rng.nextInt(8), 9), classes, 1.0, 0.0));
            }
            List<double[]> conf = new ArrayList<>();
            for (SequenceBatch b : batches) {
                conf.addAll(List.of(ReferenceRankCoding.confidences(net, b)));
            }
            double theta = RcTestSupport.thresholdAtQuantile(conf.toArray(new double[0][]), 0.5);
            long n = 0;
            long correctSpike = 0;
            long correctLast = 0;
            long noSpike = 0;
            long decisionSum = 0;
            long lengthSum = 0;
            double earliness = 0;
            long[] hist = new long[10];
            long[] correct = new long[10];
            for (SequenceBatch b : batches) {
                ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, b, theta, LossMode.RANK_CODING, 0,
                        RankCodingPass.UNLIMITED_HORIZON);
                for (int r = 0; r < b.batchSize(); r++) {
                    n++;
                    int d = ref.decisionStep[r];
                    correctSpike += ref.predictionAtDecision[r] == b.label(r) ? 1 : 0;
                    correctLast += ref.predictionAtLast[r] == b.label(r) ? 1 : 0;
                    noSpike += ref.firstSpike[r] == SpikeTimes.NO_SPIKE ? 1 : 0;
                    decisionSum += d;
                    lengthSum += b.length(r);
                    earliness += (double) d / b.length(r);
                    hist[d]++;
                    correct[d] += ref.predictionAtDecision[r] == b.label(r) ? 1 : 0;
                }
            }
            Evaluation e = Evaluator.evaluate(net, batches, theta, 1.0);
            String where = head + " " + e;
            assertEquals(n, e.examples(), where);
            assertEquals((double) correctSpike / n, e.accuracyFirstSpike(), 1e-12, where);
            assertEquals((double) correctLast / n, e.accuracyLastStep(), 1e-12, where);
            assertEquals((double) noSpike / n, e.noSpikeFraction(), 1e-12, where);
            assertEquals((double) decisionSum / n, e.meanDecisionStep(), 1e-12, where);
            assertEquals(earliness / n, e.earliness(), 1e-12, where);
            assertEquals(decisionSum, e.earlyExitExampleSteps(), where);
            assertEquals(lengthSum, e.fullExampleSteps(), where);
            long[] got = e.decisionHistogram();
            long[] gotCorrect = e.correctHistogram();
            double[] accByStep = e.accuracyByDecisionStep();
            assertEquals(got.length, gotCorrect.length, where);
            assertEquals(got.length, accByStep.length, where);
            assertTrue(Double.isNaN(accByStep[0]), where);
            for (int t = 0; t < hist.length; t++) {
                assertEquals(hist[t], t < got.length ? got[t] : 0, where + " histogram at step " + t);
                assertEquals(correct[t], t < gotCorrect.length ? gotCorrect[t] : 0, where + " correct decisions at step " + t);
                if (t >= 1) {
                    assertEquals((double) hist[t] / n, e.fractionDecidedAt(t), 1e-12, where + " fraction decided at step " + t);
                }
                if (t >= 1 && t < accByStep.length) {
                    if (hist[t] == 0) {
                        assertTrue(Double.isNaN(accByStep[t]), where + " no decisions at step " + t);
                    } else {
                        assertEquals((double) correct[t] / hist[t], accByStep[t], 1e-12, where + " accuracy at step " + t);
                    }
                }
            }
            assertEquals((double) hist[1] / n, e.fractionDecidedAtFirstStep(), 1e-12, where);
            assertEquals(e.accuracyFirstSpike() * n, java.util.Arrays.stream(gotCorrect).sum(), 1e-9,
                    where + ": the per-step correct counts add up to the accuracy at first spike");
            assertTrue(noSpike > 0 && noSpike < n, "setup: a mix of spiking and silent rows, " + where);
        }
    }
}
