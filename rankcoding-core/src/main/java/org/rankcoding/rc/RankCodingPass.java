package org.rankcoding.rc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Objects;

/**
 * A training pass of a {@link RankCodingNetwork} over a batch, with real early exit: forward step by step, rows
 * leave the active batch when they decide, the forward pass ends when every row has decided, the loss of each row is
 * taken at its decision step (with {@link RankCodingLoss#prefixWeight() a prefix term}, also at the steps before it),
 * and the backward pass of each row starts there.
 *
 * <h2>How it is built</h2>
 * The forward pass ({@link ForwardDriver}) computes each step on the compacted block of active rows
 * ({@link ActiveRows}), recording every step in a full {@link StepTape}; the {@link DecisionRule} (threshold crossing
 * at {@code theta}) and each row's end decide when rows leave; {@link DecisionLoss} takes each row's loss there; the
 * backward pass ({@link BackwardDriver}) runs the same blocks in reverse into {@link GradientAccumulators}, which are
 * finally written into the caller's {@link Parameters}. Inference without gradients is {@link InferencePass}.
 *
 * <h2>Ownership and threads</h2>
 * A pass owns its workspace (sized on first use, grown only, never shrunk) and is reused across batches;
 * steady-state calls allocate nothing. Per-row results ({@link #decisionStep(int)} etc.) are valid until the next
 * call. A pass reads the network's weights and must not run concurrently with an update of them; use one pass per
 * thread.
 */
public final class RankCodingPass {

    /** Back-propagate through every step before the decision (no horizon). */
    public static final int UNLIMITED_HORIZON = Integer.MAX_VALUE;

    private final RankCodingNetwork network;
    private final BatchForward forward;
    private final BackwardDriver backward;
    private final DecisionLoss decisionLoss;
    private final PrefixLoss prefixLoss;
    private final GradientAccumulators gradients;

    /**
     * @param network the network whose weights are read (not copied)
     * @param kernels the matrix kernels to compute with
     */
    public RankCodingPass(RankCodingNetwork network, MatrixKernels kernels) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(kernels, "kernels is null");
        this.network = network;
        this.forward = BatchForward.training(network, kernels);
        this.gradients = new GradientAccumulators(network);
        this.decisionLoss = new DecisionLoss(network, forward.tape(), gradients);
        this.prefixLoss = new PrefixLoss(network, gradients);
        this.backward = new BackwardDriver(network, kernels, forward.weights(), forward.tape(), forward.rows(), forward.input(),
                gradients);
    }

    /**
     * Drops hidden units between stacked layers in the following training passes, with the masks {@code d} holds when
     * each pass runs (draw them for each batch; {@link HiddenDropout#NONE}, the default, for none). The masks must have
     * been drawn for at least the batch's rows.
     *
     * @throws IllegalArgumentException for null
     */
    public void dropout(HiddenDropout d) {
        if (d == null) {
            throw new IllegalArgumentException("dropout(null): pass HiddenDropout.NONE for no dropout");
        }
        forward.driver().dropout(d);
        backward.dropout(d);
    }

    /** The network this pass reads. */
    public RankCodingNetwork network() {
        return network;
    }

    /**
     * Training pass: forward with early exit, loss at each row's decision step, backward from each row's
     * decision step (at most {@code horizon} steps back). Writes the gradient of the mean loss over the
     * batch's rows into {@code gradients} (overwritten; same layout as the network's parameters).
     *
     * @param theta    spike threshold in (0.5, 1)
     * @param horizon  maximum number of steps to back-propagate through, counting the decision step itself
     *                 ({@code >= 1}), or {@link #UNLIMITED_HORIZON}
     * @return the mean loss over the batch's rows
     */
    public double gradients(SequenceBatch batch, double theta, RankCodingLoss loss, int horizon, Parameters gradients) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(loss, "loss is null");
        Objects.requireNonNull(gradients, "gradients is null");
        return gradients(batch, 0, batch.batchSize(), 1.0 / batch.batchSize(), theta, loss, horizon, gradients);
    }

    /**
     * Training pass over rows {@code [from, to)} of a batch, with each row's loss weighted by {@code lossScale}:
     * writes the gradient of {@code lossScale * sum of the rows' losses} into {@code gradients} (overwritten).
     * Splitting a batch into row ranges with {@code lossScale = 1 / batchSize} and adding the gradients gives
     * the whole batch's gradient; this is how training uses several threads.
     *
     * @return {@code lossScale * sum of the rows' losses}
     * @throws IllegalArgumentException for an empty or out-of-bounds row range or a bad threshold or horizon
     */
    public double gradients(SequenceBatch batch, int from, int to, double lossScale, double theta, RankCodingLoss loss,
                            int horizon, Parameters gradients) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(loss, "loss is null");
        Objects.requireNonNull(gradients, "gradients is null");
        return gradients(batch, from, to, lossScale, theta, loss, horizon, Integer.MAX_VALUE, gradients);
    }

    /**
     * As {@link #gradients(SequenceBatch, int, int, double, double, RankCodingLoss, int, Parameters)}, with every row
     * cut after {@code stepLimit} steps: a row longer than that ends there (its loss is taken there if it has not
     * spiked before), as if its sequence were {@code stepLimit} steps long. This is how a length curriculum
     * ({@link org.rankcoding.train.TrainerConfig#warmupSequencesPerStep()}) trains. The threshold-crossing form of
     * {@link #gradients(SequenceBatch, int, int, double, TrainingSettings, Parameters)} (nine parameters, kept for the
     * callers that pass a threshold).
     *
     * @param stepLimit the most steps any row runs, {@code >= 1} ({@link Integer#MAX_VALUE} for no cut)
     */
    public double gradients(SequenceBatch batch, int from, int to, double lossScale, double theta, RankCodingLoss loss,
                            int horizon, int stepLimit, Parameters gradients) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(loss, "loss is null");
        Objects.requireNonNull(gradients, "gradients is null");
        if (stepLimit < 1) {
            throw new IllegalArgumentException("stepLimit = " + stepLimit + ", expected >= 1 (Integer.MAX_VALUE for no cut)");
        }
        forward.check(batch);
        checkRange(batch, from, to);
        FirstSpikeDetector rule = forward.rules().threshold(theta);
        return gradients(batch, from, to, lossScale, new TrainingSettings(rule, loss, horizon, stepLimit), gradients);
    }

    /**
     * Training pass over rows {@code [from, to)} of a batch under {@code settings} (any {@link DecisionRule}), each row's
     * loss weighted by {@code lossScale}: writes the gradient of {@code lossScale * sum of the rows' losses} into
     * {@code gradients} (overwritten; same layout as the network's parameters).
     *
     * @return {@code lossScale * sum of the rows' losses}
     * @throws IllegalArgumentException for an empty or out-of-bounds row range, a batch that does not fit the network, or
     *                                  gradients of another layout
     */
    public double gradients(SequenceBatch batch, int from, int to, double lossScale, TrainingSettings settings,
                            Parameters gradients) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(settings, "settings is null");
        Objects.requireNonNull(gradients, "gradients is null");
        BatchInputs in = forward.begin(batch);
        checkRange(batch, from, to);
        network.parameters().requireSameLayout(gradients);
        this.gradients.zero();
        RankCodingLoss loss = settings.loss();
        ForwardDriver.Exit exit = loss.exitsOnSpike() ? ForwardDriver.Exit.AT_DECISION : ForwardDriver.Exit.AT_END;
        forward.driver().configure(exit, forward.rules().tracker(settings.rule()), StepObserver.NONE, decisionLoss);
        decisionLoss.begin(in, loss, lossScale);
        prefixLoss.begin(in, loss, lossScale, settings.horizon());
        RowOutcomes outcomes = forward.run(in, batch.batchSize(), from, to, settings.stepLimit());
        backward.run(outcomes, decisionLoss, prefixLoss, batch.batchSize(), from, to, settings.horizon());
        this.gradients.writeTo(gradients);
        return (decisionLoss.sum() + prefixLoss.sum()) * lossScale;
    }

    private static void checkRange(SequenceBatch batch, int from, int to) {
        if (from < 0 || to > batch.batchSize() || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") is empty or outside the batch's rows [0, "
                    + batch.batchSize() + ")");
        }
    }

    /** The per-row results of the last call (valid until the next call). */
    public RowOutcomes outcomes() {
        return forward.outcomes();
    }

    /** Decision step (1-based) of row {@code r} in the last call: the step its loss / prediction was taken at. */
    public int decisionStep(int r) {
        return forward.outcomes().decisionStep(r);
    }

    /** First spike (1-based) of row {@code r}, or {@link SpikeTimes#NO_SPIKE} if it never crossed the threshold while computed. */
    public int firstSpike(int r) {
        return forward.outcomes().firstSpike(r);
    }

    /** Predicted class of row {@code r} at its decision step. */
    public int predictionAtDecision(int r) {
        return forward.outcomes().predictionAtDecision(r);
    }

    /** Predicted class of row {@code r} at its first spike, or -1 if it did not spike. */
    public int predictionAtSpike(int r) {
        return forward.outcomes().predictionAtSpike(r);
    }

    /** Predicted class of row {@code r} at its last step, or -1 if the row left before its end. */
    public int predictionAtLastStep(int r) {
        return forward.outcomes().predictionAtLastStep(r);
    }

    /** Example-steps computed forward in the last call (each active row at each step counts once). */
    public long forwardExampleSteps() {
        return forward.outcomes().forwardExampleSteps();
    }

    /** Example-steps computed backward in the last call. */
    public long backwardExampleSteps() {
        return backward.exampleSteps();
    }

    /** Number of steps the forward pass of the last call ran (the batch ended early if below its length). */
    public int forwardSteps() {
        return forward.outcomes().forwardSteps();
    }
}
