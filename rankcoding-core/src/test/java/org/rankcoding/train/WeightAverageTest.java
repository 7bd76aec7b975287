package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

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
 * Weight averaging ({@link TrainerConfig#averageDecay()}): the average against its closed form, the swap that validation
 * makes, the trainer's use of the average for every validation and for the network it returns, bit-identical resume,
 * and the refusals of bad settings and of checkpoints that do not match the run.
 */
class WeightAverageTest {

    private static void fill(Parameters p, SplittableRandom rng) {
        for (var m : p.tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = rng.nextDouble() * 2 - 1;
            }
        }
    }

    /**
     * The average after the weights {@code w[0]} (initial), {@code w[1]}, ..., {@code w[n]} as the closed-form weighted
     * sum: {@code w[t]} counts {@code (1 - d_t) * prod_{k > t} d_k} ({@code d_0 = 0}), summed in double per value.
     */
    private static Parameters closedForm(List<Parameters> w, double decay) {
        int n = w.size() - 1;
        double[] d = new double[n + 1];
        for (int t = 1; t <= n; t++) {
            d[t] = Math.min(decay, (1.0 + t) / (10.0 + t));
        }
        Parameters out = w.get(0).zerosLike();
        for (int t = 0; t <= n; t++) {
            double c = t == 0 ? 1 : 1 - d[t];
            for (int k = t + 1; k <= n; k++) {
                c *= d[k];
            }
            for (int i = 0; i < out.tensors().size(); i++) {
                double[] o = out.tensors().get(i).data;
                double[] x = w.get(t).tensors().get(i).data;
                for (int j = 0; j < out.tensors().get(i).getNumElements(); j++) {
                    o[j] += c * x[j];
                }
            }
        }
        return out;
    }

    @Test
    void theAverageIsTheClosedFormWeightedSumWithTheWarmUp() {
        RankCodingNetwork net = new RankCodingNetwork(NET2, 3);
        Parameters weights = net.parameters();
        WeightAverage avg = new WeightAverage(base().averageDecay(0.95).build(), weights);
        assertTrue(avg.active());
        assertEquals(2.0 / 11, avg.decayAt(1), 0);
        assertEquals(0.95, avg.decayAt(1000), 0);
        assertEquals(Math.min(0.95, 101.0 / 110), avg.decayAt(100), 0);
        List<Parameters> seen = new ArrayList<>(List.of(weights.copy()));
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 1; t <= 300; t++) {
            fill(weights, rng);
            seen.add(weights.copy());
            avg.update(weights, t);
        }
        Parameters expected = closedForm(seen, 0.95);
        assertNull(CheckpointFixtures.firstDifference(expected, avg.current().orElseThrow(), 1e-12));
        // the weights themselves are not touched by updates
        assertNull(CheckpointFixtures.firstDifference(seen.get(300), weights));
    }

    @Test
    void validationSeesTheAverageAndTrainingGetsItsLiveWeightsBackBitForBit() {
        RankCodingNetwork net = new RankCodingNetwork(NET2, 3);
        Parameters weights = net.parameters();
        WeightAverage avg = new WeightAverage(base().averageDecay(0.9).build(), weights);
        fill(weights, new SplittableRandom(1));
        avg.update(weights, 1);
        fill(weights, new SplittableRandom(2));
        Parameters live = weights.copy();
        avg.useAverage(weights);
        assertNull(CheckpointFixtures.firstDifference(avg.current().orElseThrow(), weights));
        assertNotNull(CheckpointFixtures.firstDifference(live, weights));
        avg.useLive(weights);
        assertNull(CheckpointFixtures.firstDifference(live, weights));
    }

    @Test
    void withoutADecayNothingIsKeptOrChanged() {
        RankCodingNetwork net = new RankCodingNetwork(NET2, 3);
        Parameters weights = net.parameters();
        Parameters before = weights.copy();
        WeightAverage none = new WeightAverage(base().build(), weights);
        assertFalse(none.active());
        fill(weights, new SplittableRandom(4));
        Parameters live = weights.copy();
        none.update(weights, 1);
        none.useAverage(weights);
        none.finish(weights);
        assertNull(CheckpointFixtures.firstDifference(live, weights));
        assertTrue(none.current().isEmpty());
        assertNotNull(CheckpointFixtures.firstDifference(before, weights));
    }

    @Test
    void theTrainerValidatesAndReturnsTheAverageOfItsLiveWeights() {
        double decay = 0.9;
        TrainerConfig config = base().averageDecay(decay).build();
        RankCodingNetwork net = new RankCodingNetwork(NET2, config.seed());
        List<Parameters> live = new ArrayList<>(List.of(net.parameters().copy()));
        List<Evaluation> validations = new ArrayList<>();
        List<String> validatedWeights = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onBatch(TrainingProgress p) {
                live.add(net.parameters().copy()); // after the update, before any validation swaps the average in
            }

            @Override
            public void onValidation(TrainingProgress p, Evaluation v) {
                validations.add(v);
                validatedWeights.add(CheckpointFixtures.firstDifference(closedForm(live, decay), net.parameters(), 1e-12));
            }
        };
        TrainingResult r = new Trainer(config, ReferenceKernels.INSTANCE).continueTraining(net, train(), validation(),
                recorder);
        assertEquals(r.batches(), live.size() - 1);
        assertTrue(validations.size() >= 10, validations.size() + " validations");
        for (String difference : validatedWeights) {
            assertNull(difference, "every validation evaluates the average of the live weights so far");
        }
        assertNull(CheckpointFixtures.firstDifference(closedForm(live, decay), r.network().parameters(), 1e-12),
                "the network returned holds the average");
        assertNotNull(CheckpointFixtures.firstDifference(live.get(live.size() - 1), r.network().parameters()));
        Evaluation again = Evaluator.evaluate(r.network(), validation(), config.threshold(), config.timingWindow());
        assertEquals(r.lastValidation().accuracyFirstSpike(), again.accuracyFirstSpike());
        assertEquals(r.lastValidation().meanDecisionStep(), again.meanDecisionStep());
        // the live weights trained exactly as without averaging
        TrainingResult plain = new Trainer(base().build(), ReferenceKernels.INSTANCE).train(NET2, train(), validation(),
                TrainingListener.NONE);
        assertNull(CheckpointFixtures.firstDifference(plain.network().parameters(), live.get(live.size() - 1)));
    }

    @Test
    void averagingWithEarlyStoppingResumesBitIdenticalAfterACrash(@TempDir Path tmp) throws IOException {
        TrainerConfig config = base().trainSequences(16 * 60).validateEverySequences(32).patience(4).averageDecay(0.8)
                .build();
        TrainingResult straight = new Trainer(config, ReferenceKernels.INSTANCE).train(NET2, train(), validation(),
                TrainingListener.NONE);
        long crashAt = straight.batches() / 2;
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(tmp.resolve("run"), 3);
        TrainingListener crashing = SmallTaskFixture.crashingAt(crashAt);
        assertThrows(IllegalStateException.class, () -> new Trainer(config, ReferenceKernels.INSTANCE).train(NET2, train(),
                validation(), crashing, policy));
        TrainingCheckpoint c = TrainingCheckpoint.latest(policy.directory()).orElseThrow();
        assertTrue(c.learned().averageWeights().isPresent(), "the checkpoint keeps the average");
        assertNotNull(CheckpointFixtures.firstDifference(c.learned().weights(), c.learned().averageWeights().get()));
        TrainingResult resumed = new Trainer(config, ReferenceKernels.INSTANCE).resume(c, NET2, train(), validation(),
                TrainingListener.NONE, policy);
        assertEquals(straight.batches(), resumed.batches());
        assertEquals(straight.stoppedEarly(), resumed.stoppedEarly());
        assertEquals(straight.lastValidation().accuracyFirstSpike(), resumed.lastValidation().accuracyFirstSpike());
        assertEquals(straight.lastValidation().meanDecisionStep(), resumed.lastValidation().meanDecisionStep());
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), resumed.network().parameters()));
        // a finished run's checkpoint returns at once, with the same (averaged or best) weights
        TrainingCheckpoint last = TrainingCheckpoint.latest(policy.directory()).orElseThrow();
        TrainingResult again = new Trainer(config, ReferenceKernels.INSTANCE).resume(last, NET2, train(), validation(),
                TrainingListener.NONE, null);
        assertNull(CheckpointFixtures.firstDifference(straight.network().parameters(), again.network().parameters()));
    }

    @Test
    void aCheckpointWhoseAverageDoesNotMatchItsSettingsIsRefused(@TempDir Path tmp) throws IOException {
        TrainerConfig averaged = base().averageDecay(0.9).build();
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(tmp.resolve("avg"), 10);
        new Trainer(averaged, ReferenceKernels.INSTANCE).train(NET2, train(), validation(), TrainingListener.NONE, policy);
        Path file = TrainingCheckpoint.latest(policy.directory()).orElseThrow().file();
        // average.* tensors, but the settings say no averaging
        Path edited = CheckpointFixtures.rewrite(file, tmp.resolve("edited.safetensors"),
                meta -> meta.put("config.averageDecay", "0.0"));
        TrainingCheckpoint c = CheckpointCodec.read(edited);
        assertIllegalArgument(() -> new Trainer(base().build(), ReferenceKernels.INSTANCE).resume(c, NET2, train(),
                validation(), TrainingListener.NONE, null), "holds averaged weights", "averageDecay is 0");
        // averaging settings without the average
        CheckpointPolicy plainPolicy = CheckpointPolicy.everyBatches(tmp.resolve("plain"), 10);
        new Trainer(base().build(), ReferenceKernels.INSTANCE).train(NET2, train(), validation(), TrainingListener.NONE,
                plainPolicy);
        Path plainFile = TrainingCheckpoint.latest(plainPolicy.directory()).orElseThrow().file();
        Path claimed = CheckpointFixtures.rewrite(plainFile, tmp.resolve("claimed.safetensors"),
                meta -> meta.put("config.averageDecay", "0.9"));
        TrainingCheckpoint d = CheckpointCodec.read(claimed);
        assertIllegalArgument(() -> new Trainer(averaged, ReferenceKernels.INSTANCE).resume(d, NET2, train(),
                validation(), TrainingListener.NONE, null), "averageDecay = 0.9", "holds no average");
    }

    @Test
    void decaysOutsideZeroToOneAreRefused() {
        assertIllegalArgument(() -> base().averageDecay(1).build(), "averageDecay = 1.0", "[0, 1)");
        assertIllegalArgument(() -> base().averageDecay(-0.1).build(), "averageDecay = -0.1", "[0, 1)");
        assertIllegalArgument(() -> base().averageDecay(Double.NaN).build(), "averageDecay = NaN", "[0, 1)");
    }
}
