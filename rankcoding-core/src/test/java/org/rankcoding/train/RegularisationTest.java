package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.Augmentation;
import org.rankcoding.data.AugmentedSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.LossMode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.train.SmallTaskFixture.NET2;
import static org.rankcoding.train.SmallTaskFixture.base;
import static org.rankcoding.train.SmallTaskFixture.train;
import static org.rankcoding.train.SmallTaskFixture.validation;

/**
 * Weight decay (AdamW), dropout between layers and on the input, and early stopping: the update formula, determinism
 * for a seed, early stopping that stops and gives back the best validation's weights (bit-identical to a run that ends
 * there), early stopping across a checkpoint and resume, and the refusals of bad settings.
 */
class RegularisationTest {

    private static TrainingResult run(TrainerConfig c) {
        return new Trainer(c, ReferenceKernels.INSTANCE).train(NET2, train(), validation(), TrainingListener.NONE);
    }

    // ------------------------------------------------------------------ weight decay

    @Test
    void adamWShrinksEachWeightByOneMinusLrTimesDecayBeforeTheAdamStep() {
        RankCodingNetwork a = new RankCodingNetwork(NetworkConfig.binary(1, 3), 1);
        RankCodingNetwork b = new RankCodingNetwork(NetworkConfig.binary(1, 3), 1);
        Parameters grads = a.parameters().zerosLike();
        SplittableRandom rng = new SplittableRandom(2);
        for (var m : grads.tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = rng.nextDouble() - 0.5;
            }
        }
        double lr = 0.01;
        double wd = 0.1;
        new Adam(a.parameters(), lr, 0.9, 0.999, 1e-8, wd).update(a.parameters(), grads);
        for (var m : b.parameters().tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] *= 1 - lr * wd;
            }
        }
        new Adam(b.parameters(), lr, 0.9, 0.999, 1e-8).update(b.parameters(), grads);
        assertNull(CheckpointFixtures.firstDifference(b.parameters(), a.parameters()));
        assertIllegalArgument(() -> new Adam(a.parameters(), lr, 0.9, 0.999, 1e-8, -1), "weightDecay = -1.0", ">= 0");
    }

    @Test
    void weightDecayShrinksTheWeights() {
        double plain = norm(run(base().build()).network().parameters());
        double decayed = norm(run(base().weightDecay(0.5).build()).network().parameters());
        assertTrue(decayed < plain, "weight norm with decay " + decayed + ", without " + plain);
    }

    private static double norm(Parameters p) {
        return p.norm();
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void everyRegulariserIsDeterministicForASeedAndDrawsFromIt() {
        TrainerConfig all = base().weightDecay(0.01).dropout(0.3).inputDropout(0.2).patience(3).build();
        TrainingResult a = run(all);
        TrainingResult b = run(all);
        assertNull(CheckpointFixtures.firstDifference(a.network().parameters(), b.network().parameters()));
        TrainingResult other = run(all.toBuilder().seed(8).build());
        assertNotNull(CheckpointFixtures.firstDifference(a.network().parameters(), other.network().parameters()));
        // the masks change training: dropout alone, input dropout alone
        TrainingResult none = run(base().build());
        assertNotNull(CheckpointFixtures.firstDifference(none.network().parameters(),
                run(base().dropout(0.3).build()).network().parameters()));
        assertNotNull(CheckpointFixtures.firstDifference(none.network().parameters(),
                run(base().inputDropout(0.3).build()).network().parameters()));
    }

    @Test
    void inputDropoutZeroesOrScalesEachVisibleValueAndLeavesPaddingAndTheBatchAlone() {
        SequenceBatch batch = train().batches(30).get(0);
        double[] before = batch.inputArray().clone();
        SequenceBatch dropped = InputDropout.apply(batch, 0.25, new SplittableRandom(3));
        SequenceBatch again = InputDropout.apply(batch, 0.25, new SplittableRandom(3));
        assertTrue(java.util.Arrays.equals(before, batch.inputArray()), "the batch itself is not changed");
        assertTrue(java.util.Arrays.equals(dropped.inputArray(), again.inputArray()), "deterministic for a seed");
        int zeros = 0;
        int visible = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            assertEquals(batch.length(r), dropped.length(r));
            assertEquals(batch.label(r), dropped.label(r));
            for (int t = 0; t < batch.length(r); t++) {
                int o = batch.inputOffset(t, r);
                double v = dropped.inputArray()[o];
                assertTrue(v == 0 || v == before[o] * (1 / 0.75), "value " + v + " from " + before[o]);
                zeros += v == 0 && before[o] != 0 ? 1 : 0;
                visible++;
            }
        }
        double rate = (double) zeros / visible;
        assertTrue(rate > 0.15 && rate < 0.35, "dropped fraction " + rate);
    }

    // ------------------------------------------------------------------ early stopping

    /** A budget far beyond what the easy task needs, validated often: the accuracy stops improving. */
    private static TrainerConfig stopping(int patience) {
        return base().trainSequences(16 * 200).validateEverySequences(32).patience(patience).build();
    }

    @Test
    void earlyStoppingStopsAndGivesBackTheBestValidationsWeights() {
        List<ValidationRecord> seen = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onValidation(TrainingProgress progress, Evaluation validation) {
                seen.add(new ValidationRecord(progress, validation));
            }
        };
        TrainerConfig config = stopping(3);
        TrainingResult r = new Trainer(config, ReferenceKernels.INSTANCE).train(NET2, train(), validation(), recorder);
        assertTrue(r.stoppedEarly(), "the run must stop early: " + seen.size() + " validations");
        assertTrue(r.sequences() < config.trainSequences());
        int best = 0;
        for (int i = 1; i < seen.size(); i++) {
            if (seen.get(i).evaluation().accuracyFirstSpike() > seen.get(best).evaluation().accuracyFirstSpike()) {
                best = i;
            }
        }
        assertEquals(best + 1 + 3, seen.size(), "stops after exactly 3 validations without improvement");
        assertEquals(seen.get(best).evaluation(), r.lastValidation(), "the result reports the best validation");
        // the weights returned are those a run ending at the best validation has, bit for bit
        long bestSequences = seen.get(best).progress().sequences();
        TrainingResult endingThere = new Trainer(config.toBuilder().patience(0).trainSequences(bestSequences).build(),
                ReferenceKernels.INSTANCE).train(NET2, train(), validation(), TrainingListener.NONE);
        assertNull(CheckpointFixtures.firstDifference(endingThere.network().parameters(), r.network().parameters()));
        Evaluation again = Evaluator.evaluate(r.network(), validation(), config.threshold(), config.timingWindow());
        assertEquals(seen.get(best).evaluation().accuracyFirstSpike(), again.accuracyFirstSpike());
    }

    @Test
    void earlyStoppingSurvivesACheckpointAndResume(@TempDir Path tmp) throws IOException {
        TrainerConfig config = stopping(3);
        TrainingResult straight = new Trainer(config, ReferenceKernels.INSTANCE).train(NET2, train(), validation(),
                TrainingListener.NONE);
        assertTrue(straight.stoppedEarly());
        long crashAt = straight.batches() - 2;
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(tmp.resolve("run"), 1);
        TrainingListener crashing = SmallTaskFixture.crashingAt(crashAt);
        assertThrows(IllegalStateException.class, () -> new Trainer(config, ReferenceKernels.INSTANCE).train(NET2, train(),
                validation(), crashing, policy));
        TrainingCheckpoint c = TrainingCheckpoint.latest(policy.directory()).orElseThrow();
        assertEquals(crashAt - 1, c.progress().batches());
        TrainingResult resumed = new Trainer(config, ReferenceKernels.INSTANCE).resume(c, NET2, train(), validation(),
                TrainingListener.NONE, policy);
        assertTrue(resumed.stoppedEarly());
        assertEquals(straight.sequences(), resumed.sequences());
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()));
        // the final checkpoint of a stopped run: resuming it returns at once, with the best weights
        TrainingCheckpoint last = TrainingCheckpoint.latest(policy.directory()).orElseThrow();
        assertEquals(straight.batches(), last.progress().batches());
        assertFalse(last.complete());
        assertTrue(last.stoppedEarly());
        assertFalse(c.stoppedEarly());
        TrainingResult again = new Trainer(config, ReferenceKernels.INSTANCE).resume(last, NET2, train(), validation(),
                TrainingListener.NONE, null);
        assertEquals(straight.batches(), again.batches());
        assertTrue(again.stoppedEarly());
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), again.network().parameters()));
    }

    @Test
    void withoutAnImprovementToWaitForTheWholeBudgetRunsAndTheBestWeightsComeBack() {
        TrainerConfig config = base().patience(1000).build();
        TrainingResult r = run(config);
        assertFalse(r.stoppedEarly());
        assertEquals(config.trainSequences(), r.sequences());
    }

    // ------------------------------------------------------------------ augmentation in training

    @Test
    void augmentedTrainingIsDeterministicAndResumesBitIdentical(@TempDir Path tmp) throws IOException {
        Augmentation aug = Augmentation.NONE.withJitter(0.05).withScaling(0.1).withWindowWarp(0.2, 2);
        TrainerConfig config = base().dropout(0.2).build();
        Trainer trainer = new Trainer(config, ReferenceKernels.INSTANCE);
        TrainingResult a = trainer.train(NET2, new AugmentedSource(train(), aug), validation(), TrainingListener.NONE);
        TrainingResult b = trainer.train(NET2, new AugmentedSource(train(), aug), validation(), TrainingListener.NONE);
        assertNull(CheckpointFixtures.firstDifference(a.network().parameters(), b.network().parameters()));
        TrainingResult plain = trainer.train(NET2, train(), validation(), TrainingListener.NONE);
        assertNotNull(CheckpointFixtures.firstDifference(a.network().parameters(), plain.network().parameters()));

        CheckpointPolicy policy = CheckpointPolicy.everyBatches(tmp.resolve("aug"), 10);
        TrainingListener crashing = SmallTaskFixture.crashingAt(15);
        assertThrows(IllegalStateException.class, () -> trainer.train(NET2, new AugmentedSource(train(), aug), validation(),
                crashing, policy));
        TrainingCheckpoint c = TrainingCheckpoint.latest(policy.directory()).orElseThrow();
        TrainingResult resumed = trainer.resume(c, NET2, new AugmentedSource(train(), aug), validation(),
                TrainingListener.NONE, policy);
        assertNull(CheckpointFixtures.firstDifference(a.network().parameters(), resumed.network().parameters()));
        assertIllegalArgument(() -> trainer.resume(c, NET2, new AugmentedSource(train(), aug.withJitter(0.5)), validation(),
                TrainingListener.NONE, null), "jitter=0.05", "jitter=0.5");
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void badSettingsAreRefusedNamingTheSettingAndTheRange() {
        assertIllegalArgument(() -> base().weightDecay(-0.1).build(), "weightDecay = -0.1", ">= 0");
        assertIllegalArgument(() -> base().weightDecay(Double.NaN).build(), "weightDecay = NaN");
        assertIllegalArgument(() -> base().dropout(1.0).build(), "dropout = 1.0", "[0, 1)");
        assertIllegalArgument(() -> base().dropout(-0.5).build(), "dropout = -0.5", "[0, 1)");
        assertIllegalArgument(() -> base().inputDropout(Double.NaN).build(), "inputDropout = NaN", "[0, 1)");
        assertIllegalArgument(() -> base().patience(-1).build(), "patience = -1", ">= 0");
        assertIllegalArgument(() -> base().stoppingMetric(null).build(), "stoppingMetric", "ACCURACY");
        assertIllegalArgument(() -> new Trainer(base().patience(2).build()).train(NET2, train(), List.of(),
                TrainingListener.NONE), "patience = 2", "no validation batches");
    }
}
