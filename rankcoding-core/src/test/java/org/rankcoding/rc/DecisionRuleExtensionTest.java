package org.rankcoding.rc;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension point of {@link DecisionRule}: a rule with per-row state ("k consecutive steps above the threshold
 * agreeing on the class", defined here, in the test, and checked against the library's {@link ConsecutiveAgreement}) plugs into batch inference (early exit and run to the end) and
 * streaming without any change to the passes, and each pass asks it as the interface promises (steps 1, 2, ... of a
 * row, in order, until it fires; state forgotten at each batch or stream).
 */
class DecisionRuleExtensionTest {

    /** Fires at the k-th consecutive step whose probabilities cross the threshold with the same predicted class. */
    static final class AgreeingSteps implements DecisionRule {
        final OutputHead head;
        final double theta;
        final int k;

        AgreeingSteps(OutputHead head, double theta, int k) {
            this.head = head;
            this.theta = FirstSpikeDetector.requireThreshold(theta);
            this.k = k;
        }

        @Override
        public Tracker newTracker() {
            return new Tracker() {
                int[] run = new int[0];
                int[] cls = new int[0];
                int[] lastStep = new int[0];

                @Override
                public void begin(int rows) {
                    if (run.length < rows) {
                        run = new int[rows];
                        cls = new int[rows];
                        lastStep = new int[rows];
                    }
                    Arrays.fill(run, 0);
                    Arrays.fill(lastStep, 0);
                }

                @Override
                public boolean decides(int row, int step, double[] p, int off) {
                    if (step != lastStep[row] + 1) {
                        throw new AssertionError("row " + row + " asked at step " + step + " after step " + lastStep[row]);
                    }
                    lastStep[row] = step;
                    if (!head.crosses(p, off, theta)) {
                        run[row] = 0;
                        return false;
                    }
                    int c = head.predict(p, off);
                    run[row] = run[row] > 0 && cls[row] == c ? run[row] + 1 : 1;
                    cls[row] = c;
                    return run[row] >= k;
                }
            };
        }

        /** The rule applied to one row's probability trace: its decision step, or NO_SPIKE. */
        int firstFiring(double[][] trace) {
            int r = 0;
            int c = -1;
            for (int t = 0; t < trace.length; t++) {
                if (!head.crosses(trace[t], 0, theta)) {
                    r = 0;
                    continue;
                }
                int pred = head.predict(trace[t], 0);
                r = r > 0 && pred == c ? r + 1 : 1;
                c = pred;
                if (r >= k) {
                    return t + 1;
                }
            }
            return SpikeTimes.NO_SPIKE;
        }
    }

    @Test
    void aStatefulRuleWorksInEveryPassWithoutChangingThem() {
        int fired = 0;
        int unfired = 0;
        for (HeadType headType : HeadType.values()) {
            int classes = headType == HeadType.BINARY_SIGMOID ? 2 : 3;
            SplittableRandom rng = new SplittableRandom(41 + classes);
            RankCodingNetwork net = RcTestSupport.network(2, 5, 2, headType, classes, 17, 1.2);
            SequenceBatch batch = RcTestSupport.batch(rng, 2, RcTestSupport.randomLengths(rng, 12, 14), classes, 1.0, 0.0);
            int outputs = net.head().outputs();
            double[][][] trace = new double[batch.batchSize()][][];
            for (int r = 0; r < trace.length; r++) {
                trace[r] = new double[batch.length(r)][outputs];
            }
            InferencePass pass = new InferencePass(net, ReferenceKernels.INSTANCE);
            pass.runToEnd(batch, 0.999, (step, row, p, off) -> System.arraycopy(p, off, trace[row][step - 1], 0, outputs));
            double theta = RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.5);
            for (int k = 1; k <= 3; k++) {
                AgreeingSteps rule = new AgreeingSteps(net.head(), theta, k);
                ConsecutiveAgreement library = new ConsecutiveAgreement(net.head(), ThresholdSchedule.constant(theta), k);
                String where = headType + ", k = " + k;
                for (int rep = 0; rep < 2; rep++) { // the tracker's state is forgotten between batches
                    RowOutcomes early = pass.earlyExit(batch, rule);
                    for (int r = 0; r < batch.batchSize(); r++) {
                        int want = rule.firstFiring(trace[r]);
                        assertEquals(want, library.firstFiring(trace[r]), "the library's rule, row " + r + "; " + where);
                        assertEquals(want, early.firstSpike(r), "early exit, row " + r + "; " + where);
                        assertEquals(SpikeTimes.decisionStep(want, batch.length(r)), early.decisionStep(r), "row " + r + "; " + where);
                        if (want == SpikeTimes.NO_SPIKE) {
                            unfired++;
                        } else {
                            fired++;
                        }
                    }
                    RowOutcomes full = pass.runToEnd(batch, rule, StepObserver.NONE);
                    for (int r = 0; r < batch.batchSize(); r++) {
                        assertEquals(rule.firstFiring(trace[r]), full.firstSpike(r), "run to end, row " + r + "; " + where);
                    }
                }
                StreamStepper stream = new StreamStepper(net, ReferenceKernels.INSTANCE,
                        new NetworkWeights(net, ReferenceKernels.INSTANCE), rule);
                for (int r = 0; r < batch.batchSize(); r++) {
                    stream.reset();
                    int spike = SpikeTimes.NO_SPIKE;
                    for (int t = 0; t < batch.length(r); t++) {
                        double[] x = Arrays.copyOfRange(batch.inputArray(), batch.inputOffset(t, r), batch.inputOffset(t, r) + 2);
                        if (stream.feed(x)) {
                            assertEquals(SpikeTimes.NO_SPIKE, spike, "a stream fires once; " + where);
                            spike = t + 1;
                        }
                    }
                    assertEquals(rule.firstFiring(trace[r]), spike, "stream, row " + r + "; " + where);
                }
            }
        }
        assertTrue(fired > 10 && unfired > 10, "the cases must include rows that fire and rows that do not: " + fired + ", " + unfired);
    }
}
