package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.SpikeTimes;

import java.util.List;

/**
 * Evaluates a network on batches: runs every sequence to its end (so both the prediction at the first
 * spike and at the last step are known) and accumulates the statistics of {@link Evaluation}.
 *
 * <p>Usage: create, {@link #add} batches, then {@link #result()}; or the one-call {@link #evaluate}. Not
 * thread-safe. The timing window (for {@link TimingMetrics}) is used only for batches with optimal steps.
 */
public final class Evaluator {

    private final RankCodingPass pass;
    private final double threshold;
    private final double timingWindow;
    private final int numClasses;

    private long examples;
    private long correctSpike;
    private long correctLast;
    private long noSpike;
    private double earlinessSum;
    private long decisionSum;
    private long lengthSum;
    private long[] histogram = new long[2];
    private long[] correctHistogram = new long[2];
    private final long[] classCount;
    private final long[] classDecisionSum;
    // timing
    private long positives;
    private long premature;
    private long lagCount;
    private double lagSum;
    private double timingLossSum;
    private boolean anyTiming;

    /**
     * @param threshold    spike threshold in (0.5, 1)
     * @param timingWindow normaliser of the timing-aware loss ({@code length - shortest optimal step}, 20 for
     *                     sequence-of-five), {@code > 0}
     */
    public Evaluator(RankCodingNetwork network, double threshold, double timingWindow) {
        FirstSpikeDetector.requireThreshold(threshold);
        if (!(timingWindow > 0)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected > 0");
        }
        this.pass = new RankCodingPass(network, Kernels.best());
        this.threshold = threshold;
        this.timingWindow = timingWindow;
        this.numClasses = network.config().numClasses();
        this.classCount = new long[numClasses];
        this.classDecisionSum = new long[numClasses];
    }

    /** Evaluates {@code network} on {@code batches} at {@code threshold}; see {@link #Evaluator} for {@code timingWindow}. */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, double threshold, double timingWindow) {
        Evaluator e = new Evaluator(network, threshold, timingWindow);
        for (SequenceBatch b : batches) {
            e.add(b);
        }
        return e.result();
    }

    /** Runs the network over one batch and adds its rows to the statistics. */
    public void add(SequenceBatch batch) {
        pass.infer(batch, threshold, false);
        for (int r = 0; r < batch.batchSize(); r++) {
            int label = batch.label(r);
            int length = batch.length(r);
            int spike = pass.firstSpike(r);
            int decision = SpikeTimes.decisionStep(spike, length);
            int predLast = pass.predictionAtLastStep(r);
            // the prediction at the decision step: at the first spike if there was one, else at the last step
            int predDecision = spike == SpikeTimes.NO_SPIKE ? predLast : pass.predictionAtSpike(r);
            examples++;
            if (predDecision == label) {
                correctSpike++;
            }
            if (predLast == label) {
                correctLast++;
            }
            if (spike == SpikeTimes.NO_SPIKE) {
                noSpike++;
            }
            decisionSum += decision;
            lengthSum += length;
            earlinessSum += (double) decision / length;
            if (decision >= histogram.length) {
                histogram = java.util.Arrays.copyOf(histogram, decision + 1);
                correctHistogram = java.util.Arrays.copyOf(correctHistogram, decision + 1);
            }
            histogram[decision]++;
            if (predDecision == label) {
                correctHistogram[decision]++;
            }
            classCount[label]++;
            classDecisionSum[label] += decision;
            int optimal = batch.optimalStep(r);
            if (batch.hasOptimalSteps()) {
                anyTiming = true;
                timingLossSum += timingLoss(label, predDecision, spike, optimal, length);
                if (label == 1 && optimal != SequenceBatch.NO_OPTIMAL_STEP) {
                    positives++;
                    if (predDecision == 1 && spike != SpikeTimes.NO_SPIKE) {
                        if (spike < optimal) {
                            premature++;
                        } else {
                            lagCount++;
                            lagSum += spike - optimal;
                        }
                    }
                }
            }
        }
    }

    private double timingLoss(int label, int pred, int spike, int optimal, int length) {
        if (pred != label) {
            return 1.0;
        }
        if (label != 1 || optimal == SequenceBatch.NO_OPTIMAL_STEP) {
            return 0.0;
        }
        if (spike == SpikeTimes.NO_SPIKE) {
            return (length - optimal) / timingWindow;
        }
        return spike < optimal ? 1.0 : (spike - optimal) / timingWindow;
    }

    /**
     * The statistics over everything added so far.
     *
     * @throws IllegalStateException if nothing was added
     */
    public Evaluation result() {
        if (examples == 0) {
            throw new IllegalStateException("no examples were evaluated; add at least one batch");
        }
        double acc = (double) correctSpike / examples;
        double earliness = earlinessSum / examples;
        double hm = acc + 1 - earliness == 0 ? 0 : 2 * acc * (1 - earliness) / (acc + 1 - earliness);
        double[] perClass = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            perClass[c] = classCount[c] == 0 ? Double.NaN : (double) classDecisionSum[c] / classCount[c];
        }
        TimingMetrics timing = anyTiming
                ? new TimingMetrics(lagCount == 0 ? Double.NaN : lagSum / lagCount, premature,
                positives == 0 ? 0 : (double) premature / positives, timingLossSum / examples, positives)
                : null;
        return new Evaluation(examples, threshold, acc, (double) correctLast / examples, (double) decisionSum / examples,
                median(histogram, examples), histogram, correctHistogram, perClass, (double) noSpike / examples, earliness, hm,
                decisionSum, lengthSum, timing);
    }

    static double median(long[] histogram, long count) {
        long lowerRank = (count - 1) / 2;
        long upperRank = count / 2;
        double lower = Double.NaN;
        double upper = Double.NaN;
        long seen = 0;
        for (int t = 0; t < histogram.length; t++) {
            long next = seen + histogram[t];
            if (Double.isNaN(lower) && lowerRank < next) {
                lower = t;
            }
            if (upperRank < next) {
                upper = t;
                break;
            }
            seen = next;
        }
        return (lower + upper) / 2;
    }
}
