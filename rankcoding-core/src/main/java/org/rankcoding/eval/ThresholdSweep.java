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
 * <p>Usage: create, {@link #add} batches (or {@link #addAll} a list of them), then {@link #results()}; or the one-call
 * {@link #sweep}.
 *
 * <h2>Threads</h2>
 * As for {@link Evaluator}: a sweep built with {@code threads > 1} runs the batches of each {@link #addAll} call on up to
 * that many threads, each with an inference workspace and decision trackers of its own, and tallies the rows afterwards
 * in batch order, so that every result is bit-identical to one thread's, whatever the thread count. {@link #add} runs
 * its batch on the calling thread. The sweep itself is not thread-safe: use it from one thread at a time.
 */
public final class ThresholdSweep {

    private final RankCodingNetwork network;
    private final OutputHead head;
    private final double[] thresholds;
    private final DecisionRule[] rules;
    private final BatchTallier runner;
    /** One per thread, created when first needed; the first is the one {@link #add} uses. */
    private final EvaluationTally[] tallies;

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
     * schedule moved to start at each threshold), on one thread.
     *
     * @see #ThresholdSweep(RankCodingNetwork, double[], double)
     */
    public ThresholdSweep(RankCodingNetwork network, DecisionRuleSpec rule, double[] thresholds, double timingWindow) {
        this(network, rule, thresholds, timingWindow, 1);
    }

    /**
     * A sweep of {@code rule} over {@code thresholds} whose {@link #addAll} runs batches on up to {@code threads} threads
     * (see the class comment; the results do not depend on {@code threads}).
     *
     * @param threads threads running the batches of an {@link #addAll} call, in [1, 1024] (typically the number of cores)
     * @throws IllegalArgumentException for no threshold, a threshold out of range, a duplicate, a bad window or a bad
     *                                  thread count
     * @see #ThresholdSweep(RankCodingNetwork, double[], double)
     */
    public ThresholdSweep(RankCodingNetwork network, DecisionRuleSpec rule, double[] thresholds, double timingWindow,
                          int threads) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(rule, "rule is null");
        validate(thresholds);
        if (!(timingWindow > 0)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected > 0");
        }
        this.network = network;
        this.head = network.head();
        this.thresholds = thresholds.clone();
        this.rules = new DecisionRule[thresholds.length];
        for (int k = 0; k < thresholds.length; k++) {
            rules[k] = rule.withThreshold(thresholds[k]).rule(head);
        }
        this.tallies = new EvaluationTally[thresholds.length];
        for (int i = 0; i < tallies.length; i++) {
            tallies[i] = new EvaluationTally(network.config().numClasses(), timingWindow);
        }
        this.runner = new BatchTallier(threads, Worker::new, tallies);
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
        s.addAll(batches);
        return s.results();
    }

    /**
     * Evaluates {@code network} on {@code batches} deciding by {@code rule} moved to each of {@code thresholds}; one
     * {@link Evaluation} per threshold, in order.
     */
    public static List<Evaluation> sweep(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                         double[] thresholds, double timingWindow) {
        return sweep(network, batches, rule, thresholds, timingWindow, 1);
    }

    /**
     * As {@link #sweep(RankCodingNetwork, List, DecisionRuleSpec, double[], double)}, running the batches on up to
     * {@code threads} threads; the results are bit-identical to one thread's for any thread count.
     *
     * @param threads in [1, 1024] (typically the number of cores)
     * @throws IllegalArgumentException for a bad threshold list, window or thread count, or a batch that does not fit
     *                                  the network
     */
    public static List<Evaluation> sweep(RankCodingNetwork network, List<SequenceBatch> batches, DecisionRuleSpec rule,
                                         double[] thresholds, double timingWindow, int threads) {
        Objects.requireNonNull(batches, "batches is null");
        ThresholdSweep s = new ThresholdSweep(network, rule, thresholds, timingWindow, threads);
        s.addAll(batches);
        return s.results();
    }

    /**
     * Out-of-fold evaluation for cross-fitting ({@link org.rankcoding.data.StratifiedFolds}): network {@code f} runs over
     * the batches of part {@code f} only (the fold it never trained on), and the rows of every part are tallied together,
     * as if one model had decided them all; one {@link Evaluation} per threshold, in order. Parts are added in list
     * order, so the results do not depend on {@code threads}.
     *
     * @param networks one network per part, all of one configuration
     * @param parts    each network's batches, as many lists as networks
     * @throws IllegalArgumentException for lists of different sizes or none, networks of different configurations, a bad
     *                                  threshold list, window or thread count, or a batch that does not fit
     */
    public static List<Evaluation> sweepOutOfFold(List<RankCodingNetwork> networks, List<List<SequenceBatch>> parts,
                                                  DecisionRuleSpec rule, double[] thresholds, double timingWindow, int threads) {
        Objects.requireNonNull(networks, "networks is null");
        Objects.requireNonNull(parts, "parts is null");
        Objects.requireNonNull(rule, "rule is null");
        validate(thresholds);
        if (networks.isEmpty() || networks.size() != parts.size()) {
            throw new IllegalArgumentException(networks.size() + " networks for " + parts.size() + " parts; give one network per "
                    + "part (the model that did not train on it), at least one");
        }
        ThresholdSweep first = new ThresholdSweep(networks.get(0), rule, thresholds, timingWindow, threads);
        for (int f = 0; f < networks.size(); f++) {
            RankCodingNetwork network = Objects.requireNonNull(networks.get(f), "network " + f + " is null");
            if (!network.config().equals(first.network.config())) {
                throw new IllegalArgumentException("out-of-fold networks must share one configuration: network 0 is "
                        + first.network.config() + ", network " + f + " is " + network.config());
            }
            ThresholdSweep part = f == 0 ? first : new ThresholdSweep(first, network);
            part.addAll(Objects.requireNonNull(parts.get(f), "part " + f + " is null"));
        }
        return first.results();
    }

    /** A sweep of {@code network} adding to the statistics of {@code shared} (same rules and thresholds and threads). */
    private ThresholdSweep(ThresholdSweep shared, RankCodingNetwork network) {
        this.network = network;
        this.head = network.head();
        this.thresholds = shared.thresholds;
        this.rules = shared.rules;
        this.tallies = shared.tallies;
        this.runner = new BatchTallier(shared.threads(), Worker::new, tallies);
    }

    /** The thresholds, in the order given. */
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** The most threads {@link #addAll} runs batches on. */
    public int threads() {
        return runner.threads();
    }

    /**
     * Runs the network over one batch to the end of every sequence, on the calling thread, and adds its rows to every
     * threshold's statistics.
     *
     * @throws org.rankcoding.rc.NonFiniteOutputException if a row's probabilities at its last step are not finite
     *                                                    (nothing of the batch is added)
     */
    public void add(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        runner.add(batch);
    }

    /**
     * Adds every batch of {@code batches}, running them on up to {@link #threads()} threads; the statistics are the same,
     * bit for bit, as after {@link #add} of each batch in list order. If a batch fails, the batches before it are
     * added, none after it, and its exception is thrown.
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

    /**
     * One thread's inference pass and decision trackers: sees every step of a batch and records each threshold's first
     * spike and the prediction there.
     */
    private final class Worker implements ParallelBatches.Worker, StepObserver {

        private final InferencePass pass = new InferencePass(network, Kernels.best());
        private final DecisionRule.Tracker[] trackers = new DecisionRule.Tracker[rules.length];
        private final double[] answer = new double[head.outputs()];
        /** The batch being run. */
        private SequenceBatch batch;
        /** Where the batch being run is recorded. */
        private RowDecisions into;

        Worker() {
            for (int k = 0; k < rules.length; k++) {
                trackers[k] = rules[k].newTracker();
            }
        }

        @Override
        public void run(SequenceBatch batch, RowDecisions into) {
            Objects.requireNonNull(batch, "batch is null");
            int n = batch.batchSize();
            into.begin(n);
            for (DecisionRule.Tracker tracker : trackers) {
                tracker.begin(n);
            }
            this.into = into;
            this.batch = batch;
            try {
                RowOutcomes out = pass.runToEnd(batch, rules[0], this);
                for (int r = 0; r < n; r++) {
                    into.last(r, out.predictionAtLastStep(r));
                }
            } finally {
                this.into = null;
                this.batch = null;
            }
        }

        /**
         * One computed example-step: each threshold whose rule had not fired for the row yet is asked; at the row's last
         * step, each rule that did not fire answers for it.
         */
        @Override
        public void step(int step, int row, double[] p, int off) {
            int pred = -1;
            boolean last = step == batch.length(row);
            for (int k = 0; k < trackers.length; k++) {
                if (into.spiked(k, row)) {
                    continue;
                }
                if (trackers[k].decides(row, step, p, off)) {
                    if (pred < 0) {
                        pred = head.predict(p, off);
                    }
                    into.spike(k, row, step, pred);
                } else if (last) {
                    trackers[k].undecidedAnswer(row, p, off, answer);
                    into.undecided(k, row, head.predict(answer, 0));
                }
            }
        }
    }
}
