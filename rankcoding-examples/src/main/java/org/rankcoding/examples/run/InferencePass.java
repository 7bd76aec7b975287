package org.rankcoding.examples.run;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.SpikeTimes;

/**
 * Inference of a trained network over batches, as the examples need it: early exit (each row stops at its first spike)
 * or every row to its end, with the decision of every row of the last batch. The one place in the examples that runs
 * the library's rank-coding pass for inference; a pass owns its buffers, so use one per thread.
 */
public final class InferencePass {

    /** What {@link #firstSpike} returns for a row that never crossed the threshold. */
    public static final int NO_SPIKE = SpikeTimes.NO_SPIKE;

    /** Sees the head's output probabilities of every computed example-step (see {@link #toEnd(SequenceBatch, double, Outputs)}). */
    @FunctionalInterface
    public interface Outputs {
        /**
         * One computed example-step.
         *
         * @param step   1-based step
         * @param row    the example's row in the batch
         * @param p      the probabilities, the head's outputs from {@code offset}; valid only during the call, read only
         * @param offset offset of the row's values in {@code p}
         */
        void step(int step, int row, double[] p, int offset);
    }

    private final RankCodingPass pass;

    /** A pass over {@code network} with the best kernels of this machine. */
    public InferencePass(RankCodingNetwork network) {
        this(network, Kernels.best());
    }

    /** A pass over {@code network} with {@code kernels}. */
    public InferencePass(RankCodingNetwork network, MatrixKernels kernels) {
        this.pass = new RankCodingPass(network, kernels);
    }

    /**
     * Runs {@code batch} with early exit: each row stops at its first spike at threshold {@code theta} in (0.5, 1).
     *
     * @return the example-steps computed
     */
    public long earlyExit(SequenceBatch batch, double theta) {
        pass.infer(batch, theta, true);
        return pass.forwardExampleSteps();
    }

    /**
     * Runs every row of {@code batch} to its end; spikes at threshold {@code theta} are recorded, not acted on.
     *
     * @return the example-steps computed
     */
    public long toEnd(SequenceBatch batch, double theta) {
        pass.infer(batch, theta, false);
        return pass.forwardExampleSteps();
    }

    /**
     * As {@link #toEnd(SequenceBatch, double)}, showing {@code outputs} the head's probabilities at every example-step.
     *
     * @return the example-steps computed
     */
    public long toEnd(SequenceBatch batch, double theta, Outputs outputs) {
        pass.infer(batch, theta, false, outputs::step);
        return pass.forwardExampleSteps();
    }

    /** First spike (1-based) of row {@code row} in the last batch, or {@link #NO_SPIKE}. */
    public int firstSpike(int row) {
        return pass.firstSpike(row);
    }

    /** Decision step (1-based) of row {@code row} in the last batch: its first spike, else its last step. */
    public int decisionStep(int row) {
        return pass.decisionStep(row);
    }

    /** Predicted class of row {@code row} in the last batch at its decision step. */
    public int predictionAtDecision(int row) {
        return pass.predictionAtDecision(row);
    }
}
