package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;

/**
 * Receives a training run's progress. Call order: {@link #onBatch} after every batch; {@link #onValidation}
 * after the batches that cross a validation interval and after the last batch (when a validation set is
 * given). Both run on the training thread and should return quickly. Default methods do nothing.
 */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Called after every batch. */
    default void onBatch(TrainingProgress progress) {
    }

    /** Called with each validation result. */
    default void onValidation(TrainingProgress progress, Evaluation validation) {
    }
}
