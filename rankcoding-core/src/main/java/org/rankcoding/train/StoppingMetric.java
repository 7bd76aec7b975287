package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;

/**
 * What early stopping ({@link TrainerConfig#patience()}) watches in each validation; higher is better for every one.
 * A validation improves on the best so far when its score is strictly higher (a tie keeps the earlier, best weights);
 * a NaN score never improves.
 */
public enum StoppingMetric {

    /** {@link Evaluation#accuracyFirstSpike()}: the accuracy of the prediction at each example's decision step. */
    ACCURACY {
        @Override
        public double score(Evaluation e) {
            return e.accuracyFirstSpike();
        }
    },
    /** {@link Evaluation#accuracyLastStep()}: the accuracy at each example's last step (for end-of-sequence models). */
    ACCURACY_LAST_STEP {
        @Override
        public double score(Evaluation e) {
            return e.accuracyLastStep();
        }
    },
    /** {@link Evaluation#harmonicMean()}: of the accuracy at the decision and one minus the earliness. */
    HARMONIC_MEAN {
        @Override
        public double score(Evaluation e) {
            return e.harmonicMean();
        }
    };

    /** The score of a validation result; higher is better. */
    public abstract double score(Evaluation e);
}
