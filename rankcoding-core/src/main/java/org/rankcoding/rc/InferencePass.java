package org.rankcoding.rc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Objects;

/**
 * Inference of a {@link RankCodingNetwork} over a batch, without gradients: the same forward step and
 * {@link DecisionRule} as training ({@link RankCodingPass}), on a rolling workspace of two step slots (no tape of the
 * whole sequence, no gradient buffers). Two ways to run a batch:
 * <ul>
 *   <li>{@link #earlyExit}: rows leave at their decision (first spike, or their end), the pass ends when every row
 *       has decided: what a deployed model computes;</li>
 *   <li>{@link #runToEnd}: every row runs to its own end, so the prediction at the last step is known too, and an
 *       observer may see every step's probabilities: what an evaluation or a threshold sweep needs.</li>
 * </ul>
 * Each call reads the network's current weights (a snapshot is refreshed at the start of the call). A pass owns its
 * workspace (grown on demand) and is reused across batches; calls on batches no larger than before allocate nothing.
 * Results are valid until the next call. Use one pass per thread.
 *
 * <p>A non-finite probability is an error, not a result: each row's probabilities are checked when the row decides
 * (for {@link #runToEnd}, at its last step), and a {@link NonFiniteOutputException} names the row and the step.
 */
public final class InferencePass {

    private final RankCodingNetwork network;
    private final BatchForward forward;
    /** Checks each row's probabilities when it decides (for rows run to the end: at their last step). */
    private final ForwardDriver.DecisionListener finiteCheck;

    /**
     * @param network the network whose weights are read (not copied)
     * @param kernels the matrix kernels to compute with
     */
    public InferencePass(RankCodingNetwork network, MatrixKernels kernels) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(kernels, "kernels is null");
        this.network = network;
        this.forward = BatchForward.inference(network, kernels);
        RowOutcomes outcomes = forward.outcomes();
        int outputs = network.head().outputs();
        this.finiteCheck = (j, row, z, p) ->
                NonFiniteOutputException.requireFinite(p, j * outputs, outputs, outcomes.decisionStep(row), row);
    }

    /**
     * Early-exit inference: each row decides at the first step {@code rule} fires, or at its last step, and leaves.
     *
     * @return the per-row results (owned by this pass, valid until its next call)
     * @throws IllegalArgumentException if the batch's input size is not the network's or a label is not one of its classes
     * @throws NonFiniteOutputException if a row's probabilities at its decision are not finite
     */
    public RowOutcomes earlyExit(SequenceBatch batch, DecisionRule rule) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(rule, "rule is null");
        return run(batch, rule, ForwardDriver.Exit.AT_DECISION, StepObserver.NONE);
    }

    /**
     * As {@link #earlyExit(SequenceBatch, DecisionRule)} with the threshold-crossing rule at {@code theta}.
     *
     * @throws IllegalArgumentException also if theta is outside (0.5, 1)
     */
    public RowOutcomes earlyExit(SequenceBatch batch, double theta) {
        Objects.requireNonNull(batch, "batch is null");
        return earlyExit(batch, forward.rules().threshold(theta));
    }

    /**
     * Runs every row to its own end, recording its first spike under {@code rule} and its predictions at the spike and
     * at the last step (every row's decision step is its last step). {@code observer} sees the head's probabilities of
     * every row at every step (rows in the order they are active, steps ascending), in this pass's own buffer, which it
     * must not keep or modify.
     *
     * @return the per-row results (owned by this pass, valid until its next call)
     * @throws IllegalArgumentException if the batch's input size is not the network's or a label is not one of its classes
     * @throws NonFiniteOutputException if a row's probabilities at its last step are not finite
     */
    public RowOutcomes runToEnd(SequenceBatch batch, DecisionRule rule, StepObserver observer) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(rule, "rule is null");
        Objects.requireNonNull(observer, "observer is null");
        return run(batch, rule, ForwardDriver.Exit.AT_END, observer);
    }

    /**
     * As {@link #runToEnd(SequenceBatch, DecisionRule, StepObserver)} with the threshold-crossing rule at {@code theta}
     * ({@link StepObserver#NONE} for no observer).
     *
     * @throws IllegalArgumentException also if theta is outside (0.5, 1)
     */
    public RowOutcomes runToEnd(SequenceBatch batch, double theta, StepObserver observer) {
        Objects.requireNonNull(batch, "batch is null");
        Objects.requireNonNull(observer, "observer is null");
        return runToEnd(batch, forward.rules().threshold(theta), observer);
    }

    /** The network this pass reads. */
    public RankCodingNetwork network() {
        return network;
    }

    /** The per-row results of the last call. */
    public RowOutcomes outcomes() {
        return forward.outcomes();
    }

    private RowOutcomes run(SequenceBatch batch, DecisionRule rule, ForwardDriver.Exit exit, StepObserver observer) {
        BatchInputs in = forward.begin(batch);
        forward.driver().configure(exit, forward.rules().tracker(rule), observer, finiteCheck);
        return forward.run(in, batch.batchSize(), 0, batch.batchSize(), Integer.MAX_VALUE);
    }
}
