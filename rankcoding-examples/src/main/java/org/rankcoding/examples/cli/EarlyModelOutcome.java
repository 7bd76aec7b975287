package org.rankcoding.examples.cli;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.train.TrainingResult;

import java.util.List;

/**
 * One model of one {@code early-classify} run (one seed): how it was trained, the operating point chosen for it on the
 * validation split, its single evaluation on the test set at that point, and its accuracy-vs-earliness curve on the
 * test set (for the report only; the choice never sees the test set).
 *
 * @param name            "RC" or "EOS"
 * @param training        the training result (network, work counters, wall time, whether it stopped early); for an
 *                        ensemble, the averaged network and the work and time of all members; with several candidate
 *                        augmentations, the kept candidate's network and the work and time of all candidates
 * @param histories       each member network's validations during training, oldest first (one list for a single
 *                        network)
 * @param rule            the decision rule chosen on the validation split
 * @param validation      the chosen rule's evaluation on the validation split
 * @param goalMet         whether the chosen rule meets the stated goal on the validation split
 * @param test            the evaluation on the test set at the chosen rule
 * @param earlyExitSteps  example-steps an early-exit inference computed on the test set at the chosen rule
 * @param testCurve       the test set at every swept threshold with the chosen rule's consecutive count, in the order
 *                        of the thresholds
 * @param augmentation    the index of the candidate augmentation kept (0 with a single candidate)
 * @param candidatePoints each candidate augmentation's operating point on the validation data, in candidate order
 */
record EarlyModelOutcome(String name, TrainingResult training, List<List<ValidationPoint>> histories, DecisionRuleSpec rule,
                         Evaluation validation, boolean goalMet, Evaluation test, long earlyExitSteps, List<Evaluation> testCurve,
                         int augmentation, List<Evaluation> candidatePoints) {

    /** Copies the lists. */
    EarlyModelOutcome {
        histories = histories.stream().map(List::copyOf).toList();
        testCurve = List.copyOf(testCurve);
        candidatePoints = List.copyOf(candidatePoints);
    }

    /** Networks averaged into the model (1 for a single network). */
    int members() {
        return histories.size();
    }
}
