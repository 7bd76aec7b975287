package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.SpikeTimes;
import org.rankcoding.rc.StepObserver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates one trained network at many spike thresholds from a single pass over the data: the trade-off
 * between how early the model decides and how often it is right, as an early-exit user would tune it.
 *
 * <p>Each sequence is run to its end once; the head's probabilities at every step are shown to every threshold's
 * {@link DecisionRule} (each asked, as in any pass, at every step until it fires), and each threshold's first spike and prediction there are tallied exactly as {@link Evaluator}
 * does for one threshold (the results are equal to {@code Evaluator.evaluate(network, batches, theta, window)}
 * for each {@code theta}, at the cost of one evaluation instead of one per threshold). This is also how early
 * exit "bolted onto" an end-of-sequence-trained model is measured: sweep its thresholds.
 *
 * <p>A sweep of another {@link DecisionRuleSpec decision rule} keeps its {@code k} consecutive steps and minimum steps
 * and moves its threshold schedule to start at each swept threshold ({@link DecisionRuleSpec#withThreshold(double)}:
 * the shape of a per-step schedule is kept in log-odds); each result equals
 * {@code Evaluator.evaluate(network, batches, rule.withThreshold(theta), window)}.
 *
 * <p>Usage: create, {@link #add} batches, then {@link #results()}; or the one-call {@link #sweep}. Not thread-safe.
 */
public final class ThresholdSweep {

    private final InferencePass pass;
    private final OutputHead head;
    private final double[] thresholds;
    private final DecisionRule[] rules;
    private final DecisionRule.Tracker[] trackers;
    /** Sees every step of a batch and records each threshold's first spike and the prediction there. */
    private final StepObserver recorder = this::observe;
    private final EvaluationTally[] tallies;
    private int[][] spike;
    private int[][] prediction;

    /**
     * @param network      the trained network (read, not modified)
     * @param thresholds   the thresholds to evaluate, each in (0.5, 1), at least one, no duplicates (any order; results
     *                     come in the same order)
     * @param timingWindow normaliser of the timing-aware loss (see {@link Evaluator#Evaluator}), {@code > 0}
     * @throws IllegalArgumentException for no threshold, a threshold out of range, a duplicate, or a bad window
     */
    public ThresholdSweep(RankCodingNetwork network, double[] thresholds, double timingWindow) {
        this(network, DecisionRuleSpec.thresholdCrossing(0.95), thresholds, timingWindow);
    }

    /**
     * A sweep of {@code rule} over {@code thresholds} (see the class comment: {@code k} and the minimum steps kept, the
     * schedule moved to start at each threshold).
     *
     * @see #ThresholdSweep(RankCodingNetwork, double[], double)
     */
    public ThresholdSweep(RankCodingNetwork network, DecisionRuleSpec rule, double[] thresholds, double timingWindow) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(rule, "rule is null");
        validate(thresholds);
        java.util.Objects.requireNonNull(rule, "rule");
        if (!(timingWindow > 0)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected > 0");
        }
        this.pass = new InferencePass(network, Kernels.best());
        this.head = network.head();
        this.thresholds = thresholds.clone();
        this.rules = new DecisionRule[thresholds.length];
        this.trackers = new DecisionRule.Tracker[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            rules[k] = rule.withThreshold(thresholds[k]).rule(head);
            trackers[k] = rules[k].newTracker();
        }
        this.tallies = new EvaluationTally[thresholds.length];
        for (int i = 0; i < tallies.length; i++) {
            tallies[i] = new EvaluationTally(network.config().numClasses(), timingWindow);
        }
        this.spike = new int[thresholds.length][0];
        this.prediction = new int[thresholds.length][0];
    }

    /**
     * Checks a threshold list as the constructor does.
     *
     * @throws IllegalArgumentException for no threshold, a threshold out of range or a duplicate
     */
    public static void validate(double[] thresholds) {
        if (thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException("no thresholds given, expected at least one in (0.5, 1)");
        }
        double[] sorted = thresholds.clone();
        for (double t : sorted) {
            FirstSpikeDetector.requireThreshold(t);
        }
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("threshold " + sorted[i] + " is given twice in " + Arrays.toString(thresholds));
            }
        }
    }

    /** Evaluates {@code network} on {@code batches} at each of {@code thresholds}; one {@link Evaluation} per threshold, in order. */
    public static List<Evaluation> sweep(RankCodingNetwork network, List<SequenceBatch> batches, double[] thresholds, double timingWindow) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(batches, "batches is null");
        ThresholdSweep s = new ThresholdSweep(network, thresholds, timingWindow);
        for (SequenceBatch b : batches) {
            s.add(b);
        }
        return s.results();
    }

    /**
     * Evaluates {@code network} on {@code batches} deciding by {@code rule} moved to each of {@code thresholds}; one
     * {@link Evaluation} per threshold, in order.
     */
    public static List<Evaluation> sweep(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                         double[] thresholds, double timingWindow) {
        Objects.requireNonNull(batches, "batches is null");
        ThresholdSweep s = new ThresholdSweep(network, rule, thresholds, timingWindow);
        for (SequenceBatch b : batches) {
            s.add(b);
        }
        return s.results();
    }

    /** The thresholds, in the order given. */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** Runs the network over one batch to the end of every sequence and adds its rows to every threshold's statistics. */
    public void add(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        int n = batch.batchSize();
        if (spike[0].length < n) {
            for (int k = 0; k < thresholds.length; k++) {
                spike[k] = new int[n];
                prediction[k] = new int[n];
            }
        }
        for (int k = 0; k < thresholds.length; k++) {
            Arrays.fill(spike[k], 0, n, SpikeTimes.NO_SPIKE);
        }
        for (DecisionRule.Tracker tracker : trackers) {
            tracker.begin(n);
        }
        RowOutcomes out = pass.runToEnd(batch, rules[0], recorder);
        for (int r = 0; r < n; r++) {
            int predLast = out.predictionAtLastStep(r);
            for (int k = 0; k < thresholds.length; k++) {
                int s = spike[k][r];
                tallies[k].add(batch, r, s, s == SpikeTimes.NO_SPIKE ? predLast : prediction[k][r], predLast);
            }
        }
    }

    /** One computed example-step: each threshold whose rule had not fired for the row yet is asked. */
    private void observe(int step, int row, double[] p, int off) {
        int pred = -1;
        for (int k = 0; k < thresholds.length; k++) {
            if (spike[k][row] == SpikeTimes.NO_SPIKE && trackers[k].decides(row, step, p, off)) {
                spike[k][row] = step;
                if (pred < 0) {
                    pred = head.predict(p, off);
                }
                prediction[k][row] = pred;
            }
        }
    }

    /**
     * One evaluation per threshold, in the order given.
     *
     * @throws IllegalStateException if nothing was added
     */
    public List<Evaluation> results() {
        List<Evaluation> out = new ArrayList<>(thresholds.length);
        for (int k = 0; k < thresholds.length; k++) {
            out.add(tallies[k].result(thresholds[k]));
        }
        return out;
    }
}
