package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.ThresholdSchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * The decision rule of a {@link TrainerConfig}: threshold crossing at 0.95 by default, a threshold given alone is
 * threshold crossing there, a rule given is kept, and a threshold set on a rule (as {@link TrainingGrid} does) moves it
 * there with its consecutive and minimum steps kept.
 */
class TrainerConfigRuleTest {

    private static final DecisionRuleSpec RULE = new DecisionRuleSpec(ThresholdSchedule.linear(0.99, 0.9, 8), 3, 2);

    @Test
    void theThresholdAndTheRuleAgree() {
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.95), TrainerConfig.builder().build().decisionRule());
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.8), TrainerConfig.builder().threshold(0.8).build().decisionRule());
        TrainerConfig c = TrainerConfig.builder().threshold(0.8).decisionRule(RULE).build();
        assertEquals(RULE, c.decisionRule());
        assertEquals(0.99, c.threshold());
        assertEquals(c, c.toBuilder().build());
        TrainerConfig moved = c.toBuilder().threshold(0.9).build();
        assertEquals(RULE.withThreshold(0.9), moved.decisionRule());
        assertEquals(3, moved.decisionRule().consecutive());
        assertEquals(2, moved.decisionRule().minSteps());
        assertEquals(0.9, moved.threshold());
    }

    @Test
    void aGridMovesTheBaseRuleToEachThreshold() {
        TrainerConfig base = TrainerConfig.builder().decisionRule(RULE).build();
        TrainingGrid.validate(base, new double[]{0.0}, new double[]{0.7, 0.9});
        assertIllegalArgument(() -> TrainingGrid.validate(base, new double[]{0.0}, new double[]{0.5}), "theta = 0.5");
    }

    @Test
    void aBadThresholdOrNoRuleIsRefused() {
        assertIllegalArgument(() -> TrainerConfig.builder().threshold(1.5).build(), "theta = 1.5", "(0.5, 1)");
        assertIllegalArgument(() -> TrainerConfig.builder().decisionRule(RULE).threshold(Double.NaN).build(), "theta = NaN");
        assertIllegalArgument(() -> TrainerConfig.builder().decisionRule(null).build(), "decisionRule is null");
    }
}
