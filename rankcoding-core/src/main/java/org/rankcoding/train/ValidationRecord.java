package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;

import java.util.Objects;

/**
 * One validation of a training run: the progress when it was made and its result. Training checkpoints keep the
 * run's validations, and a resumed run hands them to {@link TrainingListener#onResume}, so that reports of a resumed
 * run show the whole history.
 *
 * @param progress   the progress after the batch that triggered the validation
 * @param evaluation the validation's result
 */
public record ValidationRecord(TrainingProgress progress, Evaluation evaluation) {

    /** Refuses a null component, naming it. */
    public ValidationRecord {
        Objects.requireNonNull(progress, "progress is null");
        Objects.requireNonNull(evaluation, "evaluation is null");
    }

}
