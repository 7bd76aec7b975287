package org.rankcoding.infer;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.NetworkWeights;
import org.rankcoding.rc.NonFiniteOutputException;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.SpikeTimes;

import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trained network frozen for inference, with its decision rule ({@link DecisionRuleSpec}; threshold crossing when
 * built from a threshold): immutable and safe to share between
 * any number of threads. Two ways to run it:
 * <ul>
 *   <li>one stream at a time: each stream gets its own cheap {@link StreamingSession} from {@link #newSession()},
 *       fed one step per call, which reports the decision the moment the first spike happens;</li>
 *   <li>a batch at a time: {@link #classify(SequenceBatch)} and {@link #classify(SequenceBatch, int)} (with a step
 *       cap) run an early-exit pass over the batch, in which rows leave when they decide, and return one
 *       {@link Decision} per row.</li>
 * </ul>
 *
 * <h2>Thread safety</h2>
 * The constructor copies the network's weights (later training of the network does not affect the model) and
 * precomputes their compute layout once; every field is final and nothing the model computes with (weights,
 * layout, threshold, kernels) is written after construction, so sessions and {@code classify} calls on any threads
 * only read it. Sessions are confined to their thread. Each {@code classify} call works in a workspace (an
 * {@link InferencePass}: no gradient buffers, two step slots) of its own, borrowed from a small pool the model keeps
 * and returned at the end of the call: concurrent calls never share one. The pool is the only state that changes; it
 * is a lock-free queue and affects no result. Sessions and {@code classify} share one forward step and one decision
 * rule implementation with training.
 */
public final class RankCodingModel {

    /** Idle workspaces kept for reuse at most (more are dropped when returned, for the garbage collector). */
    private static final int MAX_IDLE_PASSES = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final RankCodingNetwork network;
    private final DecisionRuleSpec ruleSpec;
    private final DecisionRule rule;
    private final MatrixKernels kernels;
    private final NetworkWeights weights;
    private final String source;
    private final ConcurrentLinkedQueue<InferencePass> idlePasses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /**
     * Freezes a copy of {@code network} with spike threshold {@code theta}, computing with the fastest kernels.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public RankCodingModel(RankCodingNetwork network, double theta) {
        this(network, theta, Kernels.best());
    }

    /** As {@link #RankCodingModel(RankCodingNetwork, double)}, computing with the given kernels. */
    public RankCodingModel(RankCodingNetwork network, double theta, MatrixKernels kernels) {
        this(network, theta, kernels, NonFiniteOutputException.UNKNOWN_SOURCE);
    }

    /**
     * As {@link #RankCodingModel(RankCodingNetwork, double, MatrixKernels)}, naming where the network came from in the
     * errors of inference (a {@link NonFiniteOutputException} says "the weights of {@code source}").
     *
     * @param source what the network came from, for example {@code "model file 'kws.safetensors'"}
     */
    public RankCodingModel(RankCodingNetwork network, double theta, MatrixKernels kernels, String source) {
        this(network, DecisionRuleSpec.thresholdCrossing(theta), kernels, source);
    }

    /**
     * Freezes a copy of {@code network} deciding by {@code rule} (the same rule in {@code classify} and in every
     * session), computing with {@code kernels}; see {@link #RankCodingModel(RankCodingNetwork, double, MatrixKernels, String)}
     * for {@code source}.
     */
    public RankCodingModel(RankCodingNetwork network, DecisionRuleSpec rule, MatrixKernels kernels, String source) {
        Objects.requireNonNull(network, "network");
        this.ruleSpec = Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(kernels, "kernels");
        this.source = Objects.requireNonNull(source, "source");
        NetworkConfig config = network.config();
        RankCodingNetwork copy = new RankCodingNetwork(config, network.seed());
        copy.parameters().setTo(network.parameters());
        this.network = copy;
        this.rule = rule.rule(copy.head());
        this.kernels = kernels;
        this.weights = new NetworkWeights(copy, kernels);
    }

    /** A new session for one stream; sessions are cheap and reusable via {@link StreamingSession#reset()}. */
    public StreamingSession newSession() {
        return new StreamingSession(this);
    }

    /**
     * Classifies every row of {@code batch} with early exit: each row is decided at its first spike, or at its
     * last step if it never spikes. Equivalent to {@link #classify(SequenceBatch, int)} without a cap.
     */
    public BatchDecisions classify(SequenceBatch batch) {
        return classify(batch, Integer.MAX_VALUE);
    }

    /**
     * Classifies every row of {@code batch} with early exit, computing at most {@code maxSteps} steps per row.
     *
     * <p>Row {@code r} is decided at the first step {@code t <= min(length(r), maxSteps)} at which the model's decision
     * rule fires (threshold crossing: its output crosses the threshold; {@link Decision#spiked()} true), otherwise at step {@code min(length(r), maxSteps)} (spiked false):
     * the same decision as a {@link StreamingSession} fed the row's first {@code min(length(r), maxSteps)} steps and
     * then {@linkplain StreamingSession#finish() finished}. Rows leave the computation when they decide, and the
     * pass ends when every row has decided ({@link BatchDecisions#exampleSteps()} counts what was computed). Each
     * decision's {@link Decision#nanosToDecision()} is the time from the start of this call to the end of the step
     * at which its row decided.
     *
     * <p>The rows' labels are not used, but must be valid classes of the model (use 0 for unlabelled data). Dense
     * and sparse batches are accepted. A cap below the batch's longest row builds a view of the batch with the
     * lengths capped (sharing its inputs; it re-validates the visible inputs, about the cost of reading them once).
     *
     * <p>Safe to call from any number of threads at once. A call borrows an idle workspace from the model's pool
     * or, if none is idle, creates one; creating one costs a copy of the LSTM weights in the compute layout,
     * and a workspace grows to the largest batch it has served
     * ({@code O(rows x hidden x layers)} doubles), so the first calls on each of N concurrent threads allocate and
     * later ones of no larger batches allocate only the result. Every call also refreshes the workspace's copy of
     * the weights ({@code O(parameters)}, negligible unless the batch is a handful of short rows; use a
     * {@link StreamingSession} for single streams).
     *
     * @param batch    the rows to classify; its input size must be the model's
     * @param maxSteps the cap on the steps computed per row, at least 1 ({@link Integer#MAX_VALUE} for none)
     * @return one decision per row, in row order, with the call's example-steps and time
     * @throws IllegalArgumentException if the input size differs from the model's, {@code maxSteps < 1}, or a label
     *                                  is not a class of the model
     * @throws NonFiniteOutputException if a row's probabilities at its decision are not finite (naming the row, the
     *                                  step and the model's {@linkplain #source() source})
     */
    public BatchDecisions classify(SequenceBatch batch, int maxSteps) {
        long start = System.nanoTime();
        Objects.requireNonNull(batch, "batch");
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps = " + maxSteps + ", expected >= 1 (the number of steps after which "
                    + "rows still undecided are decided; Integer.MAX_VALUE for no cap)");
        }
        int inputSize = config().inputSize();
        if (batch.inputSize() != inputSize) {
            throw new IllegalArgumentException("batch input size is " + batch.inputSize() + " but the model expects " + inputSize
                    + " values per step");
        }
        SequenceBatch view = capped(batch, maxSteps);
        int rows = view.batchSize();
        InferencePass pass = borrowPass();
        try {
            RowOutcomes out = earlyExit(pass, view);
            Decision[] decisions = new Decision[rows];
            double[] p = new double[network.head().outputs()];
            long full = 0;
            for (int r = 0; r < rows; r++) {
                out.probabilitiesAtDecision(r, p);
                decisions[r] = new Decision(out.predictionAtDecision(r), out.decisionStep(r),
                        out.firstSpike(r) != SpikeTimes.NO_SPIKE, p, out.decisionNanoTime(r) - start);
                full += view.length(r);
            }
            return new BatchDecisions(decisions, out.forwardExampleSteps(), full, out.forwardSteps(), maxSteps,
                    System.nanoTime() - start);
        } finally {
            returnPass(pass);
        }
    }

    private RowOutcomes earlyExit(InferencePass pass, SequenceBatch batch) {
        try {
            return pass.earlyExit(batch, rule);
        } catch (NonFiniteOutputException e) {
            throw e.from(source);
        }
    }

    /** {@code batch} with every length capped at {@code maxSteps} (the batch itself if no row is longer). */
    private static SequenceBatch capped(SequenceBatch batch, int maxSteps) {
        if (batch.longestRow() <= maxSteps) {
            return batch;
        }
        int rows = batch.batchSize();
        int[] lengths = new int[rows];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            lengths[r] = Math.min(batch.length(r), maxSteps);
            labels[r] = batch.label(r);
        }
        // the labels were checked when the batch was built; the pass checks them against the model's classes
        if (batch.isSparse()) {
            return SequenceBatch.sparseBinary(rows, batch.maxLength(), batch.inputSize(), batch.sparseStart(),
                    batch.sparseIndices(), lengths, labels, Integer.MAX_VALUE, null);
        }
        return new SequenceBatch(rows, batch.maxLength(), batch.inputSize(), batch.inputArray(), lengths, labels,
                Integer.MAX_VALUE, null);
    }

    private InferencePass borrowPass() {
        InferencePass pass = idlePasses.poll();
        if (pass == null) {
            return new InferencePass(network, kernels);
        }
        idleCount.decrementAndGet();
        return pass;
    }

    private void returnPass(InferencePass pass) {
        if (idleCount.incrementAndGet() <= MAX_IDLE_PASSES) {
            idlePasses.offer(pass);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** The network's configuration. */
    public NetworkConfig config() {
        return network.config();
    }

    /** What the network came from, as errors of inference name it ({@link NonFiniteOutputException#UNKNOWN_SOURCE} unless given). */
    public String source() {
        return source;
    }

    /** The spike threshold (at step 1, for a per-step schedule). */
    public double threshold() {
        return ruleSpec.startThreshold();
    }

    /** The decision rule. */
    public DecisionRuleSpec decisionRule() {
        return ruleSpec;
    }

    /** The frozen network (do not modify its parameters: the model's compute copy would not follow). */
    RankCodingNetwork network() {
        return network;
    }

    DecisionRule rule() {
        return rule;
    }

    MatrixKernels kernels() {
        return kernels;
    }

    /** The frozen LSTM weights in the compute layout, shared read-only by the sessions. */
    NetworkWeights weights() {
        return weights;
    }
}
