package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything a training run changes as it goes, which is what a {@link TrainingCheckpoint} saves: the weights (in the
 * network), Adam's moments and step count, the data generator, the counters and the validation history. Owned by one
 * run on one thread.
 */
final class TrainingState {

    final RankCodingNetwork network;
    final Adam adam;
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

    /** The state at the start of a run: no batches yet, a fresh Adam, the generator as given. */
    TrainingState(RankCodingNetwork network, TrainerConfig config, SplitMix64 rng) {
        this.network = network;
        this.adam = new Adam(network.parameters(), config.learningRate(), config.adamBeta1(), config.adamBeta2(),
                config.adamEpsilon());
        this.rng = rng;
        this.nextValidation = config.validateEverySequences();
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
