package org.rankcoding.rc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * The forward pass over whole batches that training ({@link RankCodingPass}) and batch inference
 * ({@link InferencePass}) share: the network's weight snapshot, the batch's inputs, the step tape, the active rows,
 * the input stage, the {@link ForwardDriver} and the rule cache, built once per pass. The two differ only in the tape
 * (a full one, kept for the backward pass, or a rolling one of two slots) and in the front end's workspace (with or
 * without what its backward pass needs). A run is {@link #begin} (check the batch, refresh the weights), configuring
 * the {@link #driver()}, then {@link #run}. Not thread-safe.
 */
final class BatchForward {

    private final NetworkWeights weights;
    private final BatchInputs inputs;
    private final StepTape tape;
    private final ActiveRows rows;
    private final InputStage input;
    private final ForwardDriver driver;
    private final RuleCache rules;

    private BatchForward(RankCodingNetwork network, MatrixKernels kernels, StepTape tape, ConvFrontEnd.Workspace frontEnd) {
        this.weights = new NetworkWeights(network, kernels);
        this.inputs = new BatchInputs(network);
        this.tape = tape;
        this.rows = new ActiveRows();
        this.input = new InputStage(network, frontEnd, tape, rows);
        this.driver = new ForwardDriver(network, kernels, weights, tape, rows, input);
        this.rules = new RuleCache(network.head());
    }

    /** For training: a full tape, and a front-end workspace that the front end's backward pass can use. */
    static BatchForward training(RankCodingNetwork network, MatrixKernels kernels) {
        return new BatchForward(network, kernels, StepTape.full(network),
                network.hasFrontEnd() ? network.frontEnd().newWorkspace(kernels) : null);
    }

    /** For inference: a rolling tape of two slots, and a front-end workspace without gradient buffers. */
    static BatchForward inference(RankCodingNetwork network, MatrixKernels kernels) {
        return new BatchForward(network, kernels, StepTape.rolling(network),
                network.hasFrontEnd() ? network.frontEnd().newInferenceWorkspace(kernels) : null);
    }

    /**
     * Checks {@code batch} against the network without starting a run.
     *
     * @throws IllegalArgumentException if the batch's input size is not the network's or a label is not one of its classes
     */
    void check(SequenceBatch batch) {
        inputs.of(batch);
    }

    /**
     * Starts a run over {@code batch}: checks it against the network and takes the network's current weights.
     *
     * @return the batch as the driver reads it
     * @throws IllegalArgumentException if the batch's input size is not the network's or a label is not one of its classes
     */
    BatchInputs begin(SequenceBatch batch) {
        BatchInputs in = inputs.of(batch);
        weights.refresh();
        input.prepare();
        return in;
    }

    /**
     * Runs rows {@code [from, to)} of a batch of {@code batchSize} rows forward, as the {@link #driver()} was
     * configured, until no row is left (at most {@code stepLimit} steps).
     *
     * @return the per-row results (valid until the next run)
     */
    RowOutcomes run(BatchInputs in, int batchSize, int from, int to, int stepLimit) {
        driver.run(driver.start(in, batchSize, from, to, stepLimit));
        return driver.outcomes();
    }

    /** The forward driver, to configure before {@link #run}. */
    ForwardDriver driver() {
        return driver;
    }

    /** The per-row results of the last run. */
    RowOutcomes outcomes() {
        return driver.outcomes();
    }

    /** The rules the pass was given, cached (see {@link RuleCache}). */
    RuleCache rules() {
        return rules;
    }

    /** The network's weights in the kernels' compute layout. */
    NetworkWeights weights() {
        return weights;
    }

    /** The step tape the driver records into. */
    StepTape tape() {
        return tape;
    }

    /** The active rows of each step slot. */
    ActiveRows rows() {
        return rows;
    }

    /** The input stage (with the front end's workspace). */
    InputStage input() {
        return input;
    }
}
