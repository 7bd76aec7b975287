package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.ThresholdSchedule;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.testing.Refusals.assertRefusal;

/**
 * The decision rule in model files: a file keeps its rule through a round trip, a threshold-crossing model's file is
 * written exactly as before decision rules existed (format version 1, no rule key), an old file loads as threshold
 * crossing at its threshold, and a broken or inconsistent rule is refused naming the key.
 */
class DecisionRuleModelFilesTest {

    @TempDir
    Path dir;

    private static RankCodingNetwork network() {
        return new RankCodingNetwork(new NetworkConfig(2, 4, 1, HeadType.SOFTMAX, 3), 5);
    }

    @Test
    void aModelFileKeepsItsRule() throws IOException {
        DecisionRuleSpec rule = new DecisionRuleSpec(ThresholdSchedule.linear(0.97, 0.85, 12), 3, 2);
        Path file = dir.resolve("rule.safetensors");
        ModelFiles.save(network(), rule, file, SaveOptions.DEFAULT);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(rule, loaded.decisionRule());
        assertEquals(0.97, loaded.threshold());
        assertEquals(rule.toString(), loaded.metadata(ModelFiles.KEY_DECISION_RULE));
        assertEquals("2", loaded.metadata(ModelFiles.KEY_FORMAT_VERSION), "older readers must refuse a rule they cannot apply");
        RankCodingModel model = loaded.model(ReferenceKernels.INSTANCE);
        assertEquals(rule, model.decisionRule());
        assertEquals(0.97, model.threshold());
    }

    @Test
    void aModelFileKeepsItsUndecidedAnswer() throws IOException {
        DecisionRuleSpec rule = DecisionRuleSpec.thresholdCrossing(0.9)
                .withUndecided(org.rankcoding.rc.UndecidedAnswer.MEAN_PROBABILITY);
        Path file = dir.resolve("mean.safetensors");
        ModelFiles.save(network(), rule, file, SaveOptions.DEFAULT);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(rule, loaded.decisionRule());
        assertEquals("threshold=0.9;consecutive=1;minSteps=1;undecided=MEAN_PROBABILITY",
                loaded.metadata(ModelFiles.KEY_DECISION_RULE));
        assertEquals("2", loaded.metadata(ModelFiles.KEY_FORMAT_VERSION), "older readers must refuse a rule they cannot apply");
        assertEquals(rule, loaded.model(ReferenceKernels.INSTANCE).decisionRule());
    }

    @Test
    void aModelFileKeepsItsAbstainingClasses() throws IOException {
        DecisionRuleSpec rule = DecisionRuleSpec.thresholdCrossing(0.9).withAbstaining(java.util.List.of(0, 1));
        Path file = dir.resolve("abstain.safetensors");
        ModelFiles.save(network(), rule, file, SaveOptions.DEFAULT);
        LoadedModel loaded = ModelFiles.load(file);
        assertEquals(rule, loaded.decisionRule());
        assertEquals("threshold=0.9;consecutive=1;minSteps=1;abstain=0,1", loaded.metadata(ModelFiles.KEY_DECISION_RULE));
        assertEquals("2", loaded.metadata(ModelFiles.KEY_FORMAT_VERSION), "older readers must refuse a rule they cannot apply");
        assertEquals(rule, loaded.model(ReferenceKernels.INSTANCE).decisionRule());
        CraftedFile outside = CraftedFile.of(network(), 0.9, "F32");
        outside.metadata.put(ModelFiles.KEY_DECISION_RULE, "threshold=0.9;consecutive=1;minSteps=1;abstain=3");
        Path outsideFile = outside.write(dir.resolve("outside.safetensors"));
        assertRefusal(ModelFileException.class, () -> ModelFiles.load(outsideFile), "metadata 'decision_rule'",
                "abstaining class 3", "3 classes");
    }

    @Test
    void aThresholdCrossingFileIsWrittenAsBeforeAndOldFilesLoadAsThresholdCrossing() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        ModelFiles.save(network(), 0.8, file);
        LoadedModel loaded = ModelFiles.load(file);
        assertFalse(loaded.metadata().containsKey(ModelFiles.KEY_DECISION_RULE));
        assertEquals("1", loaded.metadata(ModelFiles.KEY_FORMAT_VERSION));
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.8), loaded.decisionRule());
        // a file written independently, as every file before decision rules
        LoadedModel crafted = ModelFiles.load(CraftedFile.of(network(), 0.75, "F32").write(dir.resolve("old.safetensors")));
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.75), crafted.decisionRule());
        assertEquals(DecisionRuleSpec.thresholdCrossing(0.75), crafted.model(ReferenceKernels.INSTANCE).decisionRule());
    }

    @Test
    void aBrokenOrInconsistentRuleIsRefusedNamingTheKey() throws IOException {
        CraftedFile bad = CraftedFile.of(network(), 0.75, "F32");
        bad.metadata.put(ModelFiles.KEY_DECISION_RULE, "threshold=0.75;consecutive=0;minSteps=1");
        Path badFile = bad.write(dir.resolve("bad.safetensors"));
        assertRefusal(ModelFileException.class, () -> ModelFiles.load(badFile), "metadata 'decision_rule'", "k = 0");
        CraftedFile garbage = CraftedFile.of(network(), 0.75, "F32");
        garbage.metadata.put(ModelFiles.KEY_DECISION_RULE, "x".repeat(500));
        Path garbageFile = garbage.write(dir.resolve("garbage.safetensors"));
        assertRefusal(ModelFileException.class, () -> ModelFiles.load(garbageFile), "metadata 'decision_rule'",
                "threshold=S;consecutive=K;minSteps=M");
        CraftedFile mismatch = CraftedFile.of(network(), 0.75, "F32");
        mismatch.metadata.put(ModelFiles.KEY_DECISION_RULE, "threshold=0.9;consecutive=2;minSteps=1");
        Path mismatchFile = mismatch.write(dir.resolve("mismatch.safetensors"));
        assertRefusal(ModelFileException.class, () -> ModelFiles.load(mismatchFile),
                "'decision_rule' starts at threshold 0.9 but 'threshold' is 0.75");
        assertIllegalArgument(() -> SaveOptions.DEFAULT.withMetadata(java.util.Map.of(ModelFiles.KEY_DECISION_RULE, "x")),
                "reserved");
    }
}
