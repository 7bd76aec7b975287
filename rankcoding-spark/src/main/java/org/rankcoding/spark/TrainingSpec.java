package org.rankcoding.spark;

import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.train.TrainerConfig;

import java.io.Serializable;

/**
 * The part of a {@link TrainerConfig} that the executors need to compute a shard's gradient, in a form Spark ships:
 * the loss, the back-propagation horizon, the classes, and the kernels to compute with (named explicitly, because an
 * executor's JVM may lack the Vector API module the driver has).
 *
 * @param runId          identifies the run's workspaces in each executor JVM
 * @param lossMode       the loss
 * @param beta           the entropy reward
 * @param prefixWeight   the prefix-loss weight
 * @param horizon        the back-propagation horizon
 * @param numClasses     the number of classes
 * @param kernels        the kernels' name as {@link Kernels#select(String)} takes it; blank for the fastest available
 */
record TrainingSpec(String runId, LossMode lossMode, double beta, double prefixWeight, int horizon, int numClasses,
                    String kernels) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The executors' part of {@code config}. */
    static TrainingSpec of(String runId, TrainerConfig config, int numClasses, String kernels) {
        return new TrainingSpec(runId, config.lossMode(), config.beta(), config.prefixLossWeight(), config.horizon(),
                numClasses, kernels == null ? "" : kernels);
    }

    /** The loss. */
    RankCodingLoss loss() {
        return new RankCodingLoss(lossMode, beta, prefixWeight);
    }

    /** The kernels, as chosen in this JVM ({@link ExecutorKernels#named}). */
    MatrixKernels matrixKernels() {
        return ExecutorKernels.named(kernels);
    }
}
