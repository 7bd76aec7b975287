package org.rankcoding.eval;

import java.util.List;
import java.util.Objects;

/**
 * Picks an operating point (one of several decision rules or thresholds) for a stated {@link OperatingGoal} from
 * their evaluations on <em>validation</em> data, so that the choice never sees the test set. The candidates are
 * typically the results of one {@link ThresholdSweep} of a trained network over a validation split; the chosen index
 * says which rule to deploy, and the test set is then evaluated once, with that rule alone.
 *
 * <p>Ties are broken the same way every time: {@link OperatingGoal.WithinAccuracy} prefers, among equally early
 * candidates, the more accurate one and then the earlier in the list; {@link OperatingGoal.BestHarmonicMean} prefers,
 * among equal harmonic means, the earlier decisions and then the earlier in the list; {@link OperatingGoal.WithinEarliness}
 * prefers, among equally accurate candidates within the budget, the earlier decisions and then the earlier in the list.
 * When no candidate meets a {@code WithinAccuracy} goal, the most accurate candidate is chosen, and when none meets a
 * {@code WithinEarliness} goal, the earliest; the result then says the goal was not met.
 */
public final class ThresholdCalibrator {

    private ThresholdCalibrator() {
    }

    /**
     * The chosen operating point.
     *
     * @param index      the chosen candidate's index in the list given
     * @param validation the chosen candidate's evaluation on the validation data
     * @param goal       the goal asked for
     * @param goalMet    whether the candidate meets the goal ({@code false} only for a {@code WithinAccuracy} goal no
     *                   candidate meets, when the most accurate candidate is chosen, or a {@code WithinEarliness} goal
     *                   no candidate meets, when the earliest is chosen)
     */
    public record OperatingPoint(int index, Evaluation validation, OperatingGoal goal, boolean goalMet) {
        /** Refuses a null evaluation or goal. */
        public OperatingPoint {
            Objects.requireNonNull(validation, "validation is null");
            Objects.requireNonNull(goal, "goal is null");
        }
    }

    /**
     * Chooses among {@code candidates}, all evaluations of one network on the same validation data.
     *
     * @param candidates the candidates' validation evaluations, at least one
     * @param goal       what to optimise
     * @return the chosen point
     * @throws IllegalArgumentException for no candidates, or candidates that are not of the same network and data (their
     *                                  numbers of examples or full-length accuracies differ)
     */
    public static OperatingPoint choose(List<Evaluation> candidates, OperatingGoal goal) {
        Objects.requireNonNull(candidates, "candidates is null");
        Objects.requireNonNull(goal, "goal is null");
        requireSameModelAndData(candidates);
        if (goal instanceof OperatingGoal.WithinAccuracy within) {
            return earliestWithin(candidates, within);
        }
        if (goal instanceof OperatingGoal.WithinEarliness budget) {
            return mostAccurateWithin(candidates, budget);
        }
        return bestHarmonicMean(candidates, goal);
    }

    private static OperatingPoint earliestWithin(List<Evaluation> candidates, OperatingGoal.WithinAccuracy goal) {
        double floor = candidates.get(0).accuracyLastStep() - goal.tolerance();
        int best = -1;
        for (int i = 0; i < candidates.size(); i++) {
            Evaluation e = candidates.get(i);
            if (e.accuracyFirstSpike() >= floor - 1e-12 && (best < 0 || earlierThenMoreAccurate(e, candidates.get(best)))) {
                best = i;
            }
        }
        if (best >= 0) {
            return new OperatingPoint(best, candidates.get(best), goal, true);
        }
        int mostAccurate = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.get(i).accuracyFirstSpike() > candidates.get(mostAccurate).accuracyFirstSpike()) {
                mostAccurate = i;
            }
        }
        return new OperatingPoint(mostAccurate, candidates.get(mostAccurate), goal, false);
    }

    private static OperatingPoint mostAccurateWithin(List<Evaluation> candidates, OperatingGoal.WithinEarliness goal) {
        int best = -1;
        int earliest = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Evaluation e = candidates.get(i);
            if (e.earliness() <= goal.maxEarliness() + 1e-12 && (best < 0 || moreAccurateThenEarlier(e, candidates.get(best)))) {
                best = i;
            }
            if (earlierThenMoreAccurate(e, candidates.get(earliest))) {
                earliest = i;
            }
        }
        return best >= 0 ? new OperatingPoint(best, candidates.get(best), goal, true)
                : new OperatingPoint(earliest, candidates.get(earliest), goal, false);
    }

    private static boolean moreAccurateThenEarlier(Evaluation a, Evaluation b) {
        if (a.accuracyFirstSpike() != b.accuracyFirstSpike()) {
            return a.accuracyFirstSpike() > b.accuracyFirstSpike();
        }
        return a.earliness() < b.earliness();
    }

    private static boolean earlierThenMoreAccurate(Evaluation a, Evaluation b) {
        if (a.earliness() != b.earliness()) {
            return a.earliness() < b.earliness();
        }
        return a.accuracyFirstSpike() > b.accuracyFirstSpike();
    }

    private static OperatingPoint bestHarmonicMean(List<Evaluation> candidates, OperatingGoal goal) {
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            Evaluation e = candidates.get(i);
            Evaluation b = candidates.get(best);
            if (e.harmonicMean() > b.harmonicMean() || (e.harmonicMean() == b.harmonicMean() && e.earliness() < b.earliness())) {
                best = i;
            }
        }
        return new OperatingPoint(best, candidates.get(best), goal, true);
    }

    private static void requireSameModelAndData(List<Evaluation> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidates to choose from; evaluate at least one threshold on the validation data");
        }
        Evaluation first = candidates.get(0);
        for (int i = 1; i < candidates.size(); i++) {
            Evaluation e = Objects.requireNonNull(candidates.get(i), "candidates[" + i + "]");
            if (e.examples() != first.examples() || e.accuracyLastStep() != first.accuracyLastStep()) {
                throw new IllegalArgumentException("candidate " + i + " was evaluated on " + e.examples() + " examples with "
                        + "full-length accuracy " + e.accuracyLastStep() + ", candidate 0 on " + first.examples() + " with "
                        + first.accuracyLastStep() + "; calibrate candidates of one network on one validation set");
            }
        }
    }
}
