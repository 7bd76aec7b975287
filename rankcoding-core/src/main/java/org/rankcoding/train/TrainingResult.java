package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Objects;

/**
 * The outcome of {@link Trainer#train}: the trained network, the work done and the validation of the weights returned.
 *
 * @param network              the trained network (owned by the caller)
 * @param config               the configuration it was trained with
 * @param sequences            sequences trained on
 * @param batches              batches (optimizer steps)
 * @param forwardExampleSteps  example-steps computed forward during training
 * @param backwardExampleSteps example-steps computed backward during training
 * @param seconds              wall time of training, validation excluded
 * @param lastValidation       the validation of the weights returned: the last one, or with early stopping
 *                             ({@link TrainerConfig#patience()}) the best one, whose weights the network holds; {@code null}
 *                             without a validation set
 * @param stoppedEarly         whether early stopping ended the run before its budget
 */
public record TrainingResult(RankCodingNetwork network, TrainerConfig config, long sequences, long batches,
                             long forwardExampleSteps, long backwardExampleSteps, double seconds, Evaluation lastValidation,
                             boolean stoppedEarly) {

    /** A result of a run that trained its whole budget (no early stop). */
    public TrainingResult(RankCodingNetwork network, TrainerConfig config, long sequences, long batches,
                          long forwardExampleSteps, long backwardExampleSteps, double seconds, Evaluation lastValidation) {
        this(network, config, sequences, batches, forwardExampleSteps, backwardExampleSteps, seconds, lastValidation, false);
    }

    /** Refuses a null component, naming it. */
    public TrainingResult {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(config, "config is null");
    }
}
