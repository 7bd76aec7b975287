package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Receives a training run's progress. Call order: {@link #onResume} once before the first batch of a run resumed from
 * a checkpoint; {@link #onBatch} after every batch; {@link #onValidation} after the batches that cross a validation
 * interval and after the last batch (when a validation set is given); {@link #checkpointState()} and then
 * {@link #onCheckpoint} after the batches (and their validations) that end with a checkpoint. All run on the training
 * thread and should return quickly. Default methods do nothing.
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

    /**
     * What this listener wants stored in the next checkpoint, to get it back in {@link #onResume} (for example the
     * running sums of a report); called right before each checkpoint is written. Keys and values must be non-null
     * strings. Default: nothing.
     */
    default Map<String, String> checkpointState() {
        return Map.of();
    }

    /** Called after a checkpoint has been written completely to {@code file}, with the progress it holds. */
    default void onCheckpoint(TrainingProgress progress, Path file) {
    }

    /**
     * Called once when a run resumes from a checkpoint, before its first batch.
     *
     * @param progress    the progress saved in the checkpoint (counters, last batch's loss, training time so far)
     * @param validations the validations made before the checkpoint, oldest first
     * @param state       what {@link #checkpointState()} returned when the checkpoint was written
     */
    default void onResume(TrainingProgress progress, List<ValidationRecord> validations, Map<String, String> state) {
    }
}
