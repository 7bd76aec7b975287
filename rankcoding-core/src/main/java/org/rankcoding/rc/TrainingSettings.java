package org.rankcoding.rc;

import java.util.Objects;

/**
 * What a training pass needs besides the batch: the rule that decides where each row's loss is taken, the loss, how
 * far back to propagate, and where rows are cut.
 *
 * @param rule      the decision rule (built from a {@link DecisionRuleSpec}: threshold crossing, k consecutive steps,
 *                  minimum steps, a per-step threshold)
 * @param loss      the loss, taken at each row's decision step ({@link LossMode#RANK_CODING}: rows leave there) or at
 *                  its end ({@link LossMode#END_OF_SEQUENCE}: every row runs to its end)
 * @param horizon   the most steps back-propagated through, counting the decision step itself ({@code >= 1}), or
 *                  {@link RankCodingPass#UNLIMITED_HORIZON}
 * @param stepLimit the most steps any row runs, {@code >= 1} ({@link Integer#MAX_VALUE} for no cut): a longer row ends
 *                  there, as if its sequence were that long (a length curriculum)
 */
public record TrainingSettings(DecisionRule rule, RankCodingLoss loss, int horizon, int stepLimit) {

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException for a horizon or step limit below 1
     */
    public TrainingSettings {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(loss, "loss");
        if (stepLimit < 1) {
            throw new IllegalArgumentException("stepLimit = " + stepLimit + ", expected >= 1 (Integer.MAX_VALUE for no cut)");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon = " + horizon + ", expected >= 1 (or UNLIMITED_HORIZON)");
        }
    }
}
