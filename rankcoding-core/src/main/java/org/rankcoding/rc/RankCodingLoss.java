package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Objects;

/**
 * The training loss of one example: {@code L = CE(p_s, y) - beta * H(p_s)}, where {@code s} is the
 * example's decision step (its first spike, or its last step if it never spikes) under
 * {@link LossMode#RANK_CODING}, or its last step under {@link LossMode#END_OF_SEQUENCE}, and {@code H} is
 * the head's entropy (see docs/method.md). A batch's loss is the mean over its rows. {@code s} is chosen
 * without gradient; nothing after {@code s} contributes.
 *
 * @param mode where the loss is taken
 * @param beta the entropy-reward weight, finite and {@code >= 0}
 */
public record RankCodingLoss(LossMode mode, double beta) {

    /** Validates the fields. */
    public RankCodingLoss {
        if (mode == null) {
            throw new IllegalArgumentException("loss mode is null; choose RANK_CODING or END_OF_SEQUENCE");
        }
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("entropy reward beta = " + beta + ", expected a finite value >= 0 "
                    + "(0 disables the reward; larger values delay decisions)");
        }
    }

    /** Whether rows leave the batch at their first spike. */
    public boolean exitsOnSpike() {
        return mode == LossMode.RANK_CODING;
    }

    /**
     * The loss of one example and its gradient {@code dz = scale * dL/dz}.
     *
     * @param z   the readouts, the example's {@code head.outputs()} values from {@code off} (read)
     * @param p   the head's probabilities {@code head(z)}, at the same offset (read)
     * @param dz  receives the gradient in its first {@code head.outputs()} values (overwritten)
     * @return the unscaled loss
     */
    public double lossAndGradient(OutputHead head, double[] z, double[] p, int off, int label, double scale, double[] dz) {
        Objects.requireNonNull(head, "head is null");
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        Objects.requireNonNull(dz, "dz is null");
        return head.lossAndGradient(z, off, p, off, label, beta, scale, dz, 0);
    }
}
