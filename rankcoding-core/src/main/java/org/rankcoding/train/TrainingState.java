package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a training run changes as it goes, which is what a {@link TrainingCheckpoint} saves: the weights (in the
 * network), Adam's moments and step count, the data generator, the counters, the validation history, early
 * stopping's best weights and the weight average. Owned by one
 * run on one thread.
 */
final class TrainingState {

    final RankCodingNetwork network;
    final OptimizerStep optimizer;
    final SplitMix64 rng;
    long sequences;
    long batches;
    long forward;
    long backward;
    long nanos;
    /** The sequence count at or after which the next validation runs. */
    long nextValidation;
    double lastLoss = Double.NaN;
    double lastDecisionStep = Double.NaN;
    final List<ValidationRecord> validations = new ArrayList<>();
    /** Early stopping's best weights and counters (inactive without patience). */
    final EarlyStopping stopping;
    /** The moving average of the weights (inactive without {@link TrainerConfig#averageDecay()}). */
    final WeightAverage average;

    /** The state at the start of a run: no batches yet, a fresh Adam, the generator as given. */
    TrainingState(RankCodingNetwork network, TrainerConfig config, SplitMix64 rng) {
        this.network = network;
        this.optimizer = new OptimizerStep(config, network.parameters());
        this.rng = rng;
        this.stopping = new EarlyStopping(config);
        this.average = new WeightAverage(config, network.parameters());
        this.nextValidation = config.validateEverySequences();
    }

    /**
     * The state saved in {@code c}, to continue from; resets {@code source} and restores its position (for a
     * {@link ResumableSource}).
     *
     * @throws IllegalArgumentException if the source cannot continue from the saved position
     */
    static TrainingState restore(TrainingCheckpoint c, BatchSource source) {
        TrainingCheckpoint.DataState data = c.data();
        TrainingState s = new TrainingState(c.network(), c.config(), new SplitMix64(data.rngState(), data.rngGamma()));
        TrainingCheckpoint.Learned learned = c.learned();
        s.optimizer.restore(learned.firstMoments(), learned.secondMoments(), learned.adamSteps());
        TrainingProgress p = c.progress();
        s.sequences = p.sequences();
        s.batches = p.batches();
        s.forward = p.forwardExampleSteps();
        s.backward = p.backwardExampleSteps();
        s.nanos = c.counters().trainNanos();
        s.nextValidation = c.counters().nextValidation();
        s.lastLoss = p.batchLoss();
        s.lastDecisionStep = p.meanDecisionStep();
        s.validations.addAll(c.validations());
        try {
            s.stopping.restore(s.validations, learned.bestWeights());
            s.average.restore(learned.averageWeights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(c.file() + ": " + e.getMessage(), e);
        }
        source.reset();
        if (data.sourcePosition().isPresent()) {
            try {
                ((ResumableSource) source).restorePosition(data.sourcePosition().get().clone());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(c.file() + ": the source cannot continue from the saved position: "
                        + e.getMessage(), e);
            }
        }
        return s;
    }

    /**
     * A checkpoint of this state (copies of the weights and moments), to be written to {@code file}.
     *
     * @param runInfo       the run information of the checkpoint policy
     * @param source        the training source, whose position is saved if it is a {@link ResumableSource}, and its
     *                      fingerprint if it gives one
     * @param listenerState what the listener wants saved; keys and values non-null
     * @throws IllegalStateException    if a weight or moment is not finite (the run diverged; nothing may be written)
     * @throws IllegalArgumentException if the listener's state has a null key or value, or the source's fingerprint is null
     */
    TrainingCheckpoint snapshot(Path file, TrainerConfig config, Map<String, String> runInfo, BatchSource source,
                                Map<String, String> listenerState) {
        Parameters params = network.parameters();
        requireFinite(params, "parameter");
        requireFinite(optimizer.adam().firstMoments(), "Adam's first moment of");
        requireFinite(optimizer.adam().secondMoments(), "Adam's second moment of");
        stopping.bestWeights().ifPresent(b -> requireFinite(b, "the best validation's"));
        average.current().ifPresent(a -> requireFinite(a, "the weight average's"));
        listenerState.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("the listener's checkpoint state has the entry " + k + " = " + v
                        + "; keys and values must be non-null");
            }
        });
        Optional<long[]> position = source instanceof ResumableSource r ? Optional.of(r.savePosition()) : Optional.empty();
        return new TrainingCheckpoint(file,
                new TrainingCheckpoint.Settings(config, network.config(), network.seed(), runInfo,
                        CheckpointCompatibility.fingerprintOf(source)),
                new TrainingCheckpoint.Counters(progress(config.trainSequences()), nanos, nextValidation),
                new TrainingCheckpoint.Learned(params.copy(), optimizer.firstMoments(), optimizer.secondMoments(),
                        optimizer.steps(), stopping.bestWeights().map(Parameters::copy), average.current().map(Parameters::copy)),
                new TrainingCheckpoint.DataState(rng.state(), rng.gamma(), source.getClass().getName(), position),
                validations, listenerState);
    }

    private void requireFinite(Parameters p, String what) {
        String bad = p.firstNonFinite();
        if (bad != null) {
            throw new IllegalStateException("training diverged at batch " + batches + ": " + what + " '" + bad + "' holds a "
                    + "non-finite value; no checkpoint of this state was written, the earlier ones are intact");
        }
    }

    /** The progress after the last batch. */
    TrainingProgress progress(long totalSequences) {
        return new TrainingProgress(batches, sequences, totalSequences, lastLoss, lastDecisionStep, forward, backward, nanos / 1e9);
    }

    /** The last validation's result, or {@code null}. */
    Evaluation lastValidation() {
        return validations.isEmpty() ? null : validations.get(validations.size() - 1).evaluation();
    }
}
