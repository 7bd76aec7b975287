package org.rankcoding.train;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.io.TensorFile;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.testing.Refusals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankcoding.train.CheckpointFixtures.BUDGET;
import static org.rankcoding.train.CheckpointFixtures.NET;

/**
 * The decision rule of a training run in its checkpoints: saved with the configuration, compared on resume (a resume
 * with another rule is refused listing the difference; with the same one it is bit-identical), and a checkpoint
 * written before decision rules (a threshold only) reads as threshold crossing at that threshold.
 */
class DecisionRuleCheckpointTest {

    private static final DecisionRuleSpec RULE = new DecisionRuleSpec(ThresholdSchedule.linear(0.65, 0.55, 5), 2, 2);
    private static final TrainerConfig CONFIG = CheckpointFixtures.config(LossMode.RANK_CODING, 1, BUDGET).toBuilder()
            .decisionRule(RULE).build();
    private static final Map<String, String> RUN_INFO = Map.of("task", "noise");

    @TempDir
    static Path runs;
    private static TrainingCheckpoint checkpoint;

    @BeforeAll
    static void interruptedRun() throws IOException {
        Path dir = runs.resolve("rule");
        assertThrows(IllegalStateException.class, () -> trainer(CONFIG).train(NET, CheckpointFixtures.source("finite"),
                List.of(), stopAfter(6), CheckpointPolicy.everyBatches(dir, 5).withRunInfo(RUN_INFO)));
        checkpoint = TrainingCheckpoint.latest(dir).orElseThrow();
    }

    private static TrainingListener stopAfter(long batch) {
        return new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress progress) {
                if (progress.batches() == batch) {
                    throw new IllegalStateException("stopped after batch " + batch);
                }
            }
        };
    }

    private static Trainer trainer(TrainerConfig config) {
        return new Trainer(config, Kernels.select("reference"));
    }

    @Test
    void theRuleIsSavedAndTheSameRuleResumesBitIdentically(@TempDir Path tmp) throws IOException {
        assertEquals(RULE, checkpoint.config().decisionRule());
        assertEquals("threshold=linear:0.65:0.55:5;consecutive=2;minSteps=2",
                TensorFile.read(checkpoint.file()).metadata().get("config.decisionRule"));
        TrainingResult straight = trainer(CONFIG).train(NET, CheckpointFixtures.source("finite"), List.of(),
                TrainingListener.NONE);
        TrainingResult resumed = trainer(CONFIG).resume(checkpoint, NET, CheckpointFixtures.source("finite"), List.of(),
                TrainingListener.NONE, CheckpointPolicy.everyBatches(tmp, 5).withRunInfo(RUN_INFO));
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()));
        TrainingResult plain = trainer(CONFIG.toBuilder().decisionRule(DecisionRuleSpec.thresholdCrossing(0.65)).build())
                .train(NET, CheckpointFixtures.source("finite"), List.of(), TrainingListener.NONE);
        assertFalse(CheckpointFixtures.firstDifference(straight.network().parameters(), plain.network().parameters()) == null,
                "the rule changes the training (or the test proves nothing)");
    }

    @Test
    void aResumeWithAnotherRuleIsRefusedListingTheDifference() {
        for (DecisionRuleSpec other : List.of(DecisionRuleSpec.thresholdCrossing(0.65),
                new DecisionRuleSpec(RULE.threshold(), 3, 2), new DecisionRuleSpec(RULE.threshold(), 2, 1),
                RULE.withThreshold(0.9))) {
            TrainerConfig config = CONFIG.toBuilder().decisionRule(other).build();
            Refusals.assertIllegalArgument(() -> checkpoint.requireCompatible(config, NET, CheckpointFixtures.source("finite"),
                            RUN_INFO), checkpoint.file().toString(), "cannot resume",
                    "decisionRule = " + RULE + " in the checkpoint, " + other + " here", "start a new run in another directory");
        }
    }

    @Test
    void aCheckpointWrittenBeforeDecisionRulesReadsAsThresholdCrossing(@TempDir Path tmp) throws IOException {
        TrainerConfig plain = CONFIG.toBuilder().decisionRule(DecisionRuleSpec.thresholdCrossing(0.9)).build();
        Path old = CheckpointFixtures.rewrite(checkpoint.file(), tmp.resolve("old.safetensors"), m -> {
            m.remove("config.decisionRule");
            m.put("config.threshold", "0.9");
        });
        TrainingCheckpoint c = TrainingCheckpoint.load(old);
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.9), c.config().decisionRule());
        assertEquals(0.9, c.config().threshold());
        c.requireCompatible(plain, NET, CheckpointFixtures.source("finite"), RUN_INFO);
        Refusals.assertIllegalArgument(() -> c.requireCompatible(CONFIG, NET, CheckpointFixtures.source("finite"), RUN_INFO),
                "decisionRule = threshold=0.9;consecutive=1;minSteps=1 in the checkpoint, " + RULE + " here");
    }

    @Test
    void aBrokenRuleInACheckpointIsRefusedNamingTheKey(@TempDir Path tmp) throws IOException {
        Path bad = CheckpointFixtures.rewrite(checkpoint.file(), tmp.resolve("bad.safetensors"),
                m -> m.put("config.decisionRule", "threshold=0.9;consecutive=0;minSteps=1"));
        Refusals.assertRefusal(org.rankcoding.io.ModelFileException.class, () -> TrainingCheckpoint.load(bad),
                "config.decisionRule", "k = 0");
        Path none = CheckpointFixtures.rewrite(checkpoint.file(), tmp.resolve("none.safetensors"),
                m -> m.remove("config.decisionRule"));
        Refusals.assertRefusal(org.rankcoding.io.ModelFileException.class, () -> TrainingCheckpoint.load(none),
                "config.decisionRule");
    }
}
