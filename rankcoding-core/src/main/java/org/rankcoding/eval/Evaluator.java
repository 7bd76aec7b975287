package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.SpikeTimes;
import org.rankcoding.rc.StepObserver;

import java.util.List;
import java.util.Objects;

/**
 * Evaluates a network on batches: runs every sequence to its end (so both the prediction at the first
 * spike and at the last step are known) and accumulates the statistics of {@link Evaluation}.
 *
 * <p>Usage: create, {@link #add} batches, then {@link #result()}; or the one-call {@link #evaluate}. Not
 * thread-safe. The timing window (for {@link TimingMetrics}) is used only for batches with optimal steps.
 */
public final class Evaluator {

    private final InferencePass pass;
    private final DecisionRuleSpec spec;
    private final DecisionRule rule;

    private final EvaluationTally tally;

    /**
     * @param threshold    spike threshold in (0.5, 1)
     * @param timingWindow normaliser of the timing-aware loss ({@code length - shortest optimal step}, 20 for
     *                     sequence-of-five), {@code > 0}
     */
    public Evaluator(RankCodingNetwork network, double threshold, double timingWindow) {
        this(network, DecisionRuleSpec.thresholdCrossing(threshold), timingWindow);
    }

    /**
     * An evaluator deciding by {@code rule} (results labelled with its {@link DecisionRuleSpec#startThreshold()}).
     *
     * @param timingWindow see {@link #Evaluator(RankCodingNetwork, double, double)}
     */
    public Evaluator(RankCodingNetwork network, DecisionRuleSpec rule, double timingWindow) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(rule, "rule is null");
        if (!(timingWindow > 0)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected > 0");
        }
        this.pass = new InferencePass(network, Kernels.best());
        this.spec = rule;
        this.rule = rule.rule(network.head());
        this.tally = new EvaluationTally(network.config().numClasses(), timingWindow);
    }

    /** Evaluates {@code network} on {@code batches} at {@code threshold}; see {@link #Evaluator} for {@code timingWindow}. */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, double threshold, double timingWindow) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(batches, "batches is null");
        Evaluator e = new Evaluator(network, threshold, timingWindow);
        for (SequenceBatch b : batches) {
            e.add(b);
        }
        return e.result();
    }

    /** Evaluates {@code network} on {@code batches} deciding by {@code rule}; see {@link #Evaluator} for {@code timingWindow}. */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                      double timingWindow) {
        Objects.requireNonNull(batches, "batches is null");
        Evaluator e = new Evaluator(network, rule, timingWindow);
        for (SequenceBatch b : batches) {
            e.add(b);
        }
        return e.result();
    }

    /**
     * Runs the network over one batch and adds its rows to the statistics.
     *
     * @throws org.rankcoding.rc.NonFiniteOutputException if a row's probabilities at its last step are not finite
     *                                                    (nothing of the batch is added)
     */
    public void add(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        RowOutcomes out = pass.runToEnd(batch, rule, StepObserver.NONE);
        for (int r = 0; r < batch.batchSize(); r++) {
            int spike = out.firstSpike(r);
            int predLast = out.predictionAtLastStep(r);
            // the prediction at the decision step: at the first spike if there was one, else at the last step
            int predDecision = spike == SpikeTimes.NO_SPIKE ? predLast : out.predictionAtSpike(r);
            tally.add(batch, r, spike, predDecision, predLast);
        }
    }

    /**
     * The statistics over everything added so far.
     *
     * @throws IllegalStateException if nothing was added
     */
    public Evaluation result() {
        return tally.result(spec.startThreshold());
    }
}
