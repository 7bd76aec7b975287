package org.rankcoding.rc;

import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Objects;

/**
 * Inference on one stream, one step per call: the forward pass of {@link InferencePass} on a batch of one row whose
 * inputs arrive step by step and whose end is not known, run to its end (the row never leaves), with the
 * {@link DecisionRule} asked at each step until it fires. Reads a shared, frozen {@link NetworkWeights} snapshot and
 * holds only the state of one row (two step slots) and, with a front end, its own front-end workspace. Steady-state
 * calls allocate nothing; confined to one thread.
 */
public final class StreamStepper {

    private final ForwardDriver forward;
    private final StreamInput input = new StreamInput();
    private final DecisionRule.Tracker tracker;
    private final double[] latest;
    private int steps;

    /**
     * @param network the network (its front end and readout are read; its LSTM weights are read from {@code weights})
     * @param weights the LSTM weights prepared for {@code kernels}, not modified while this stepper runs
     * @param rule    the decision rule
     */
    public StreamStepper(RankCodingNetwork network, MatrixKernels kernels, NetworkWeights weights, DecisionRule rule) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(kernels, "kernels is null");
        Objects.requireNonNull(weights, "weights is null");
        Objects.requireNonNull(rule, "rule is null");
        StepTape tape = StepTape.rolling(network);
        ActiveRows rows = new ActiveRows();
        ConvFrontEnd.Workspace frontWs = network.hasFrontEnd() ? network.frontEnd().newInferenceWorkspace(kernels) : null;
        InputStage stage = new InputStage(network, frontWs, tape, rows);
        stage.prepare();
        this.forward = new ForwardDriver(network, kernels, weights, tape, rows, stage);
        this.tracker = rule.newTracker();
        this.latest = new double[network.head().outputs()];
    }

    /** Forgets the stream: the next {@link #feed} is step 1 of a new one. */
    public void reset() {
        steps = 0;
        java.util.Arrays.fill(latest, 0.0);
    }

    /**
     * Computes the next step on {@code x} (the step's input, length the network's input size; read during the call only).
     *
     * @return whether the rule fired at this step for the first time in the stream (the stream's first spike)
     * @throws NonFiniteOutputException if the step's probabilities are not finite
     */
    public boolean feed(double[] x) {
        Objects.requireNonNull(x, "x is null");
        input.current = x;
        if (steps == 0) {
            forward.configure(ForwardDriver.Exit.AT_END, tracker, StepObserver.NONE, ForwardDriver.DecisionListener.NONE);
            forward.start(input, 1, 0, 1, Integer.MAX_VALUE);
        }
        forward.step(steps);
        steps++;
        System.arraycopy(forward.probabilities(), 0, latest, 0, latest.length);
        NonFiniteOutputException.requireFiniteStream(latest, steps);
        return forward.outcomes().firstSpike(0) == steps;
    }

    /** Number of steps fed since the last reset. */
    public int steps() {
        return steps;
    }

    /**
     * Writes into {@code out} ({@code head.outputs()} values) the probabilities the stream is answered with if it ends
     * now without having decided: the rule's {@link DecisionRule.Tracker#undecidedAnswer} (the latest step's, or their
     * mean over the steps fed). Meaningful only after at least one step and before the stream's first spike; allocates
     * nothing.
     */
    public void undecidedAnswer(double[] out) {
        Objects.requireNonNull(out, "out is null");
        tracker.undecidedAnswer(0, latest, 0, out);
    }

    /** The head's probabilities at the latest step (zeros before the first); a live view, read only. */
    public double[] probabilities() {
        return latest;
    }

    /** A stream's inputs: the vector of the current step, for the one row, with no end. */
    private static final class StreamInput implements StepInputs {
        private double[] current;

        @Override
        public int length(int r) {
            return Integer.MAX_VALUE;
        }

        @Override
        public boolean isSparse() {
            return false;
        }

        @Override
        public double[] dense() {
            return current;
        }

        @Override
        public int denseOffset(int t, int r) {
            return 0;
        }

        @Override
        public int[] sparseStart() {
            throw new UnsupportedOperationException("a stream's inputs are dense");
        }

        @Override
        public int[] sparseIndices() {
            throw new UnsupportedOperationException("a stream's inputs are dense");
        }

        @Override
        public int sparseCell(int t, int r) {
            throw new UnsupportedOperationException("a stream's inputs are dense");
        }
    }
}
