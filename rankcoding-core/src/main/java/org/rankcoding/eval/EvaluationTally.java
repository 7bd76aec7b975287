package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.rc.SpikeTimes;

import java.util.Arrays;

/**
 * The running sums behind an {@link Evaluation}, fed one example's outcome at a time: shared by
 * {@link Evaluator} (one threshold) and {@link ThresholdSweep} (one tally per threshold). Not thread-safe.
 */
final class EvaluationTally {

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

    /** @param timingWindow normaliser of the timing-aware loss, {@code > 0} (callers validate) */
    EvaluationTally(int numClasses, double timingWindow) {
        this.numClasses = numClasses;
        this.timingWindow = timingWindow;
        this.classCount = new long[numClasses];
        this.classDecisionSum = new long[numClasses];
    }

    /**
     * Adds row {@code r} of {@code batch}.
     *
     * @param spike        its first spike (1-based) or {@link SpikeTimes#NO_SPIKE}
     * @param predDecision its prediction at the decision step (the first spike, else the last step)
     * @param predLast     its prediction at its last step
     */
    void add(SequenceBatch batch, int r, int spike, int predDecision, int predLast) {
        int label = batch.label(r);
        int length = batch.length(r);
        int decision = SpikeTimes.decisionStep(spike, length);
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
            histogram = Arrays.copyOf(histogram, decision + 1);
            correctHistogram = Arrays.copyOf(correctHistogram, decision + 1);
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
     * The statistics over everything added so far, labelled with {@code threshold}.
     *
     * @throws IllegalStateException if nothing was added
     */
    Evaluation result(double threshold) {
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
