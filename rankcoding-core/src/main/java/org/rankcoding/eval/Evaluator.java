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
 * <p>Usage: create, {@link #add} batches (or {@link #addAll} a list of them), then {@link #result()}; or the one-call
 * {@link #evaluate}. The timing window (for {@link TimingMetrics}) is used only for batches with optimal steps.
 *
 * <h2>Threads</h2>
 * An evaluator built with {@code threads > 1} runs the batches of each {@link #addAll} call on up to that many threads,
 * each with an inference workspace of its own (the network's weights are only read, and must not change during the
 * call); the rows are tallied afterwards in batch order, so every count and every sum is bit-identical to one thread's,
 * whatever the thread count. {@link #add} runs its batch on the calling thread. The evaluator itself is not
 * thread-safe: use it from one thread at a time.
 */
public final class Evaluator {

    private final RankCodingNetwork network;
    private final DecisionRuleSpec spec;
    private final DecisionRule rule;
    private final BatchTallier runner;
    /** One per thread, created when first needed; the first is the one {@link #add} uses. */

    private final EvaluationTally[] tally;

    /**
     * @param threshold    spike threshold in (0.5, 1)
     * @param timingWindow normaliser of the timing-aware loss ({@code length - shortest optimal step}, 20 for
     *                     sequence-of-five), {@code > 0}
     */
    public Evaluator(RankCodingNetwork network, double threshold, double timingWindow) {
        this(network, DecisionRuleSpec.thresholdCrossing(threshold), timingWindow);
    }

    /**
     * An evaluator deciding by {@code rule} (results labelled with its {@link DecisionRuleSpec#startThreshold()}), on
     * one thread.
     *
     * @param timingWindow see {@link #Evaluator(RankCodingNetwork, double, double)}
     */
    public Evaluator(RankCodingNetwork network, DecisionRuleSpec rule, double timingWindow) {
        this(network, rule, timingWindow, 1);
    }

    /**
     * An evaluator deciding by {@code rule} whose {@link #addAll} runs batches on up to {@code threads} threads (see the
     * class comment; the results do not depend on {@code threads}).
     *
     * @param timingWindow see {@link #Evaluator(RankCodingNetwork, double, double)}
     * @param threads      threads running the batches of an {@link #addAll} call, in [1, 1024] (typically the number of
     *                     cores)
     * @throws IllegalArgumentException for a bad window or thread count
     */
    public Evaluator(RankCodingNetwork network, DecisionRuleSpec rule, double timingWindow, int threads) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(rule, "rule is null");
        if (!(timingWindow > 0)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected > 0");
        }
        this.network = network;
        this.spec = rule;
        this.rule = rule.rule(network.head());
        this.tally = new EvaluationTally[] {new EvaluationTally(network.config().numClasses(), timingWindow)};
        this.runner = new BatchTallier(threads, Worker::new, tally);
    }

    /** Evaluates {@code network} on {@code batches} at {@code threshold}; see {@link #Evaluator} for {@code timingWindow}. */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, double threshold, double timingWindow) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(batches, "batches is null");
        return evaluate(network, batches, DecisionRuleSpec.thresholdCrossing(threshold), timingWindow, 1);
    }

    /** Evaluates {@code network} on {@code batches} deciding by {@code rule}; see {@link #Evaluator} for {@code timingWindow}. */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                      double timingWindow) {
        return evaluate(network, batches, rule, timingWindow, 1);
    }

    /**
     * Evaluates {@code network} on {@code batches} deciding by {@code rule}, running the batches on up to
     * {@code threads} threads; the result is bit-identical to {@link #evaluate(RankCodingNetwork, List, DecisionRuleSpec,
     * double)}'s for any thread count.
     *
     * @param timingWindow see {@link #Evaluator(RankCodingNetwork, double, double)}
     * @param threads      in [1, 1024] (typically the number of cores)
     * @throws IllegalArgumentException for a bad window or thread count, or a batch that does not fit the network
     */
    public static Evaluation evaluate(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                      double timingWindow, int threads) {
        Objects.requireNonNull(batches, "batches is null");
        Evaluator e = new Evaluator(network, rule, timingWindow, threads);
        e.addAll(batches);
        return e.result();
    }

    /** The most threads {@link #addAll} runs batches on. */
    public int threads() {
        return runner.threads();
    }

    /**
     * Runs the network over one batch, on the calling thread, and adds its rows to the statistics.
     *
     * @throws org.rankcoding.rc.NonFiniteOutputException if a row's probabilities at its last step are not finite
     *                                                    (nothing of the batch is added)
     */
    public void add(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        runner.add(batch);
    }

    /**
     * Adds every batch of {@code batches}, running them on up to {@link #threads()} threads; the statistics are the
     * same, bit for bit, as after {@link #add} of each batch in list order. If a batch fails, the batches before it
     * are added, none after it, and its exception is thrown.
     *
     * @throws NullPointerException                       for a null list or batch
     * @throws IllegalArgumentException                   for a batch that does not fit the network
     * @throws org.rankcoding.rc.NonFiniteOutputException if a row's probabilities at its last step are not finite
     */
    public void addAll(List<SequenceBatch> batches) {
        Objects.requireNonNull(batches, "batches is null");
        runner.addAll(batches);
    }

    /**
     * The statistics over everything added so far.
     *
     * @throws IllegalStateException if nothing was added
     */
    public Evaluation result() {
        return tally[0].result(spec.startThreshold());
    }

    /** One thread's inference pass, recording each row's first spike and predictions. */
    private final class Worker implements ParallelBatches.Worker {

        private final InferencePass pass = new InferencePass(network, Kernels.best());

        @Override
        public void run(SequenceBatch batch, RowDecisions into) {
            Objects.requireNonNull(batch, "batch is null");
            RowOutcomes out = pass.runToEnd(batch, rule, StepObserver.NONE);
            int n = batch.batchSize();
            into.begin(n);
            for (int r = 0; r < n; r++) {
                int spike = out.firstSpike(r);
                if (spike != SpikeTimes.NO_SPIKE) {
                    into.spike(0, r, spike, out.predictionAtSpike(r));
                } else {
                    into.undecided(0, r, out.predictionAtDecision(r));
                }
                into.last(r, out.predictionAtLastStep(r));
            }
        }
    }
}
