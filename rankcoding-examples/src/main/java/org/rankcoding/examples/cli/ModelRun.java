package org.rankcoding.examples.cli;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.examples.run.TimedEvaluation;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.TrainingResult;

import java.util.List;

/**
 * One trained model of a demo and how it did.
 *
 * @param name              short name, "RC" or "EOS"
 * @param mode              the loss mode it was trained with
 * @param beta              its entropy reward
 * @param training          the training result (work counters, wall time, network)
 * @param history           its validations, oldest first
 * @param test              its evaluation on the test set (every sequence run to its end)
 * @param earlyExitSteps    example-steps an early-exit inference computed on the test set
 * @param earlyExitSeconds  wall time of that early-exit inference
 */
public record ModelRun(String name, LossMode mode, double beta, TrainingResult training, List<ValidationPoint> history,
                       Evaluation test, long earlyExitSteps, double earlyExitSeconds) {

    /** Copies the history. */
    public ModelRun {
        history = List.copyOf(history);
    }

    /** This run with its test evaluation and early-exit cost. */
    public ModelRun tested(TimedEvaluation t) {
        return new ModelRun(name, mode, beta, training, history, t.evaluation(), t.earlyExitSteps(), t.earlyExitSeconds());
    }
}
