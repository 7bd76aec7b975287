package org.rankcoding.rc;

import org.rankcoding.nn.OutputHead;

import java.util.Objects;

/**
 * The training loss of one example: {@code L = CE(p_s, y) - beta * H(p_s) + gamma * (1/n) * sum_t CE(p_t, y)}, where
 * {@code s} is the example's decision step (its first spike, or its last step if it never spikes) under
 * {@link LossMode#RANK_CODING}, or its last step under {@link LossMode#END_OF_SEQUENCE}, {@code H} is the head's
 * entropy (see docs/method.md), and the last term, the <em>prefix loss</em> with weight {@code gamma}, is the mean
 * cross-entropy over the {@code n} steps the example back-propagates through: steps {@code s - n + 1 .. s} with
 * {@code n = min(s, horizon)}, so every step before the decision (the decision step included) with an unlimited
 * horizon. A batch's loss is the mean over its rows. {@code s} is chosen without gradient; nothing after {@code s}
 * contributes, so the prefix loss adds no computation after a decision.
 *
 * <p>The prefix loss asks every output before the decision to name the class already: where evidence accumulates over
 * a series (motion, power demand) and only a few training series exist, the loss at the decision step alone trains
 * the outputs of the late steps only, and the early outputs stay uninformed (docs/results.md, UCR section).
 * {@code gamma = 0} (the default) is the paper's loss.
 *
 * @param mode         where the loss is taken
 * @param beta         the entropy-reward weight, finite and {@code >= 0}
 * @param prefixWeight the prefix-loss weight {@code gamma}, finite and {@code >= 0} (0: none)
 */
public record RankCodingLoss(LossMode mode, double beta, double prefixWeight) {

    /** The paper's loss: no prefix term. */
    public RankCodingLoss(LossMode mode, double beta) {
        this(mode, beta, 0.0);
    }

    /** Validates the fields. */
    public RankCodingLoss {
        if (mode == null) {
            throw new IllegalArgumentException("loss mode is null; choose RANK_CODING or END_OF_SEQUENCE");
        }
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("entropy reward beta = " + beta + ", expected a finite value >= 0 "
                    + "(0 disables the reward; larger values delay decisions)");
        }
        requirePrefixWeight("prefix-loss weight", prefixWeight);
    }

    /**
     * Checks a prefix-loss weight: finite and {@code >= 0}.
     *
     * @param name what the caller calls it, for the message
     * @throws IllegalArgumentException naming {@code name} and the value otherwise
     */
    public static void requirePrefixWeight(String name, double weight) {
        Objects.requireNonNull(name, "name is null");
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException(name + " = " + weight + ", expected a finite value >= 0 "
                    + "(0 for the paper's loss; 0.3 to 1 trains the outputs before the decision)");
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
